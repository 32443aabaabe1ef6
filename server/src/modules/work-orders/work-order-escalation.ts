import type { Transaction } from 'sequelize';
import type { FlowNode } from '../workflows/flow-definition';
import type { CalendarsPort, TimersPort } from './work-order.ports';

export const ESCALATION_TIMER = 'work_order.escalation';
export const ORDER_SUBJECT = 'work_order';

export interface EscalationPayload {
  orderId: number;
  nodeKey: string;
  /** The node visit the timer belongs to (its start, in ms): a later visit has its own timers. */
  visit: number;
  step: number;
}

/** The business calendar a node's limit and escalations are measured on. */
export const calendarOfNode = (node: FlowNode): string => node.timeLimit?.calendar ?? 'default';

/**
 * A node's due time on its business calendar, and one durable timer per escalation step
 * (deduplicated per order, node visit and step). Returns the due time, or null without a limit.
 */
export async function scheduleNodeTimers(deps: { calendars: CalendarsPort; timers: TimersPort }, orderId: number, node: FlowNode, startedAt: Date, tx: Transaction): Promise<Date | null> {
  const limit = node.timeLimit;
  if (!limit && !node.escalations.some((s) => s.afterMinutes !== undefined)) return null;
  const calendar = calendarOfNode(node);
  const dueAt = limit ? await deps.calendars.addBusinessMinutes(calendar, startedAt, limit.minutes) : null;
  for (const [step, escalation] of node.escalations.entries()) {
    const minutes = escalation.afterMinutes ?? (limit && escalation.atPercent !== undefined ? Math.round((limit.minutes * escalation.atPercent) / 100) : null);
    if (minutes === null) continue;
    const at = minutes === limit?.minutes && dueAt ? dueAt : await deps.calendars.addBusinessMinutes(calendar, startedAt, Math.max(1, minutes));
    const payload: EscalationPayload = { orderId, nodeKey: node.key, visit: startedAt.getTime(), step };
    await deps.timers.schedule(
      { kind: ESCALATION_TIMER, subjectType: ORDER_SUBJECT, subjectId: orderId, dueAt: at, payload: { ...payload }, dedupeKey: `wo:${orderId}:${node.key}:${payload.visit}:${step}` },
      tx,
    );
  }
  return dueAt;
}
