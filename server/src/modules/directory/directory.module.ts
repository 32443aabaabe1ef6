import type { Services } from '../../app';
import type { RouteDefinition } from '../../core/http/define-route';
import { registerDirectoryEvents } from './directory-events';
import { createDirectorySyncRunner } from './directory-sync.runner';
import { directoryRoutes } from './directory.routes';
import { createDirectoryService } from './directory.service';
import { createEmployeeApplier } from './employee-apply';
import { wecomLoginRoutes } from './wecom-login.routes';
import { createWecomLoginService } from './wecom-login.service';

type Deps = Pick<Services, 'config' | 'db' | 'models' | 'kv' | 'audit' | 'timeline' | 'sessions' | 'auth' | 'loginThrottle' | 'wecom' | 'log'>;

const applierOf = (s: Deps) => createEmployeeApplier({ models: s.models, audit: s.audit, timeline: s.timeline, sessions: s.sessions });

/** The directory's background side: the `directory` sync kind and the change_contact handlers. */
export function registerDirectory(services: Deps): void {
  const applier = applierOf(services);
  const log = services.log.child({ component: 'wecom-directory' });
  services.wecom.syncRuns.register('directory', createDirectorySyncRunner({ db: services.db, models: services.models, runtime: services.wecom.runtime, applier, log }));
  registerDirectoryEvents({ events: services.wecom.events, runtime: services.wecom.runtime, models: services.models, applier, log });
}

/** The directory's API: department mapping, employees, sync, and sign-in through WeCom. */
export function directoryModuleRoutes(services: Deps): RouteDefinition[] {
  const directory = createDirectoryService({ db: services.db, models: services.models, audit: services.audit, syncRuns: services.wecom.syncRuns, applier: applierOf(services) });
  const login = createWecomLoginService({ config: services.config, kv: services.kv, runtime: services.wecom.runtime, models: services.models, audit: services.audit, auth: services.auth, throttle: services.loginThrottle });
  return [...directoryRoutes(directory), ...wecomLoginRoutes(login)];
}
