import type { MigrationContext } from './helpers';
import * as organisation from './0001-organisation';
import * as sessions from './0002-sessions';
import * as audit from './0003-audit';
import * as backgroundWork from './0004-background-work';
import * as customers from './0005-customers';
import * as wecom from './0006-wecom';
import * as customerStore from './0007-customer-store';
import * as lossAlerts from './0009-loss-alerts';
import * as customerFind from './0011-customer-find';
import * as directory from './0008-directory';
import * as tagBulkJobs from './0010-tag-bulk-jobs';
import * as handovers from './0014-handovers';
import * as customerImports from './0013-customer-imports';
import * as workflows from './0015-workflows';
import * as workOrders from './0016-work-orders';
import * as calendarsTimers from './0017-calendars-timers';
import * as settlement from './0018-settlement';
import * as workOrderAccept from './0019-work-order-accept';
import * as auditDeferredSeal from './0020-audit-deferred-seal';
import * as plugins from './0021-plugins';
import * as orders from './0022-orders';
import * as asyncSteps from './0023-async-steps';
import * as chatArchive from './0024-chat-archive';
import * as engagement from './0025-engagement';
import * as massMessages from './0026-mass-messages';
import * as ruleEvents from './0027-rule-events';
import * as journeyStages from './0028-journey-stages';
import * as archiveCompliance from './0029-archive-compliance';
import * as orderInbox from './0030-order-inbox';
import * as followTaskOverdue from './0031-follow-task-overdue';

export type { MigrationContext };

export interface MigrationDefinition {
  name: string;
  up(context: MigrationContext): Promise<void>;
  down(context: MigrationContext): Promise<void>;
}

/** Every schema change, in order. Append only: a released migration is never edited. */
export const migrations: MigrationDefinition[] = [organisation, sessions, audit, backgroundWork, customers, wecom, customerStore, customerFind, directory, tagBulkJobs, handovers, lossAlerts, customerImports, workflows, workOrders, calendarsTimers, settlement, workOrderAccept, auditDeferredSeal, plugins, orders, asyncSteps, chatArchive, engagement, massMessages, ruleEvents, journeyStages, archiveCompliance, orderInbox, followTaskOverdue];
