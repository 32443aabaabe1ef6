import type { FilterPort } from '../plugins/filter-port';
import type { EventEmitter } from '../plugins/outbox';
import { completedEvent, withWorkOrderEvents } from '../plugins/work-order-events';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { BlobStorage } from '../../core/storage/blob-storage';
import { can } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { createIdempotency } from './idempotency';
import { createTechnicianProfiles } from './technician-profile.service';
import { createWorkOrderActions } from './work-order-actions.service';
import { createAssignment } from './work-order-assignment';
import { createAutomationRunner } from './work-order-automation';
import { registerEscalations } from './work-order-escalation.handler';
import { createWorkOrderHistory } from './work-order-history';
import { createWorkOrderMigrations } from './work-order-migration';
import { createWorkOrderNotifier } from './work-order-notify';
import { createWorkOrderPresenter } from './work-order-present';
import { createWorkOrderRuntime } from './work-order-runtime';
import { createWorkOrderStats } from './work-order-stats.service';
import { createStepRunActions } from './work-order-step-actions';
import { createStepRunLauncher } from './work-order-step-runs';
import { registerStepWorker } from './work-order-step-worker';
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
  publicUrl?: string;
  /** Where attachment bytes live. */
  storage: BlobStorage;
  /** The outbox: work-order events for plugins. */
  events?: EventEmitter;
  /** Plugin filters run before an order is created. */
  filters?: FilterPort;
}) {
  const { db, models, audit, queue, timers } = deps;
  const history = withWorkOrderEvents(createWorkOrderHistory(models), models, deps.events);
  const assignment = createAssignment(models);
  const notifier = createWorkOrderNotifier({ models, queue, runtime: deps.wecom, log: deps.log, publicUrl: deps.publicUrl });
  const automation = createAutomationRunner({ models, flows: deps.flows, assignment, notifier });
  const launcher = createStepRunLauncher({ models, queue, history });
  const runtime = createWorkOrderRuntime({ models, flows: deps.flows, calendars: deps.calendars, timers, assignment, automation, history, notifier, stepRuns: launcher });
  if (deps.events) runtime.onDone(completedEvent(deps.events));
  const stepWorker = registerStepWorker({ db, models, audit, queue, flows: deps.flows, runtime, history, notifier, assignment, launcher, log: deps.log });
  const stepRuns = createStepRunActions({ db, models, audit, queue, runtime, history });
  const presenter = createWorkOrderPresenter({ models, address: deps.address, versionOf: runtime.versionOf });
  const idempotency = createIdempotency({ db, models });
  registerEscalations({ models, audit, timers, runtime, assignment, history, notifier });
  return {
    runtime,
    service: createWorkOrderService({ db, models, audit, address: deps.address, flows: deps.flows, runtime, history, presenter, stepRuns, filters: deps.filters }),
    actions: createWorkOrderActions({ db, models, audit, runtime, history, timers, calendars: deps.calendars, notifier, idempotency, storage: deps.storage, cancelStepRuns: (orderId, tx) => launcher.cancelRuns(orderId, stepWorker.canCompensate, tx) }),
    stepRuns,
    migrations: createWorkOrderMigrations({ db, models, audit, queue, runtime, history, timers }),
    technicians: createTechnicianProfiles({ db, models, audit }),
    stats: createWorkOrderStats({ models, runtime, presenter, canRevealAddress: (actor) => can(actor, 'customer:pii:read') }),
  };
}

export type WorkOrderModule = ReturnType<typeof createWorkOrderModule>;
