import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit/audit.service';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { FlowsPort } from '../work-orders/work-order.ports';
import { createCustomerMatcher } from './order-customer-match';
import { registerOrderFollowUp, type FollowUpPorts } from './order-follow-up';
import { createOrderInbox } from './order-inbox';
import { createOrderIngest } from './order-ingest';
import { createOrderPresenter } from './order-present';
import { createOrderQueries } from './order-query.service';
import { createOrderRuleService } from './order-rules.service';
import { createStoreChoice } from './order-store-choice';
import { createSystemActor } from './order-system-actor';
import type { OrderEventsPort } from './order.ports';

/** Shop orders: intake (used by the connector plugins), rules that make work orders, refunds that undo them. */
export function createOrdersModule(deps: {
  db: Database;
  models: Models;
  audit: AuditService;
  queue: JobQueue;
  cipher: FieldCipher;
  phone: PiiField;
  address: PiiField;
  timeline: TimelineWriter;
  flows: FlowsPort;
  followUp: FollowUpPorts;
  log: Logger;
  events: OrderEventsPort;
}) {
  const { db, models, audit, queue, phone, address, timeline } = deps;
  const eventsPort = deps.events;
  const customers = createCustomerMatcher({ models, audit, phone, address, events: eventsPort });
  const systemActor = createSystemActor(models);
  registerOrderFollowUp({ db, models, audit, queue, address, timeline, chooseStore: createStoreChoice(models), systemActor, ports: deps.followUp, log: deps.log });
  const intake = createOrderIngest({ db, models, audit, queue, phone, address, timeline, customers, events: eventsPort });
  return {
    /** Idempotent on (platform, platform order id); what the plugin facade `orders.ingest` calls. */
    ingest: intake.ingest,
    /** Where connectors store their deliveries (`orders.receive` of the plugin facade); processed by jobs. */
    inbox: createOrderInbox({ db, models, queue, cipher: deps.cipher, audit, log: deps.log.child({ component: 'order-inbox' }), intake }),
    queries: createOrderQueries({ models, present: createOrderPresenter({ models, phone }) }),
    rules: createOrderRuleService({ db, models, audit, flows: deps.flows }),
    /** The user order intake acts as (for work orders and refunds it makes). */
    systemActor,
  };
}

export type OrdersModule = ReturnType<typeof createOrdersModule>;
