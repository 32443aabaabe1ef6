import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import { can } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { createLocalDiskStorage, uploadsDir, type AttachmentStorage } from './attachment-storage';
import { createIdempotency } from './idempotency';
import { createTechnicianProfiles } from './technician-profile.service';
import { createWorkOrderActions } from './work-order-actions.service';
import { createAssignment } from './work-order-assignment';
import { registerEscalations } from './work-order-escalation.handler';
import { createWorkOrderHistory } from './work-order-history';
import { createWorkOrderMigrations } from './work-order-migration';
import { createWorkOrderNotifier } from './work-order-notify';
import { createWorkOrderPresenter } from './work-order-present';
import { createWorkOrderRuntime } from './work-order-runtime';
import { createWorkOrderStats } from './work-order-stats.service';
import { createWorkOrderService } from './work-order.service';
import type { CalendarsPort, FlowsPort, TimersPort } from './work-order.ports';

/** Work orders: wired from the flows, calendars and timers they run on. */
export function createWorkOrderModule(deps: {
  db: Database;
  models: Models;
  audit: AuditService;
  queue: JobQueue;
  address: PiiField;
  flows: FlowsPort;
  calendars: CalendarsPort;
  timers: TimersPort;
  wecom: WecomRuntime;
  log: Logger;
  dataDir: string;
  publicUrl?: string;
  storage?: AttachmentStorage;
}) {
  const { db, models, audit, queue, timers } = deps;
  const history = createWorkOrderHistory(models);
  const assignment = createAssignment(models);
  const notifier = createWorkOrderNotifier({ models, queue, runtime: deps.wecom, log: deps.log, publicUrl: deps.publicUrl });
  const runtime = createWorkOrderRuntime({ models, flows: deps.flows, calendars: deps.calendars, timers, assignment, history, notifier });
  const presenter = createWorkOrderPresenter({ models, address: deps.address, versionOf: runtime.versionOf });
  const idempotency = createIdempotency({ db, models });
  const storage = deps.storage ?? createLocalDiskStorage(uploadsDir(deps.dataDir));
  registerEscalations({ models, audit, timers, runtime, assignment, history, notifier });
  return {
    runtime,
    service: createWorkOrderService({ db, models, audit, address: deps.address, flows: deps.flows, runtime, history, presenter }),
    actions: createWorkOrderActions({ db, models, audit, runtime, history, timers, notifier, idempotency, storage }),
    migrations: createWorkOrderMigrations({ db, models, audit, queue, runtime, history, timers }),
    technicians: createTechnicianProfiles({ db, models, audit }),
    stats: createWorkOrderStats({ models, runtime, presenter, canRevealAddress: (actor) => can(actor, 'customer:pii:read') }),
  };
}

export type WorkOrderModule = ReturnType<typeof createWorkOrderModule>;
