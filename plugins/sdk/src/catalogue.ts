import type { EventName, FilterName } from './events';

/**
 * The event and filter names at run time (the maps in `events.ts` are types only). The `satisfies`
 * clauses make a name missing here, or one that is not in the maps, a compile error.
 */
const eventRecord = {
  'customer.created': true,
  'customer.updated': true,
  'customer.tagged': true,
  'customer.stageChanged': true,
  'tag.created': true,
  'tag.deleted': true,
  'order.created': true,
  'order.paid': true,
  'order.refunded': true,
  'workOrder.created': true,
  'workOrder.nodeEntered': true,
  'workOrder.completed': true,
  'workOrder.cancelled': true,
  'settlement.jobPriced': true,
  'settlement.periodClosed': true,
  'wecom.event': true,
} as const satisfies Record<EventName, true>;

const filterRecord = {
  'customer.beforeCreate': true,
  'workOrder.beforeCreate': true,
  'coupon.issue': true,
} as const satisfies Record<FilterName, true>;

export const eventNames = Object.keys(eventRecord) as EventName[];
export const filterNames = Object.keys(filterRecord) as FilterName[];

export const isEventName = (name: string): name is EventName => Object.hasOwn(eventRecord, name);
export const isFilterName = (name: string): name is FilterName => Object.hasOwn(filterRecord, name);
