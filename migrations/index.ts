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

export type { MigrationContext };

export interface MigrationDefinition {
  name: string;
  up(context: MigrationContext): Promise<void>;
  down(context: MigrationContext): Promise<void>;
}

/** Every schema change, in order. Append only: a released migration is never edited. */
export const migrations: MigrationDefinition[] = [organisation, sessions, audit, backgroundWork, customers, wecom, customerStore, customerFind, directory, tagBulkJobs, handovers, lossAlerts, customerImports, workflows, workOrders, calendarsTimers];
