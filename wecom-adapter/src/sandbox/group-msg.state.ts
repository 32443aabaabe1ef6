import type { GroupMsgStatus, MsgTemplate } from './message.state';
import type { SandboxState } from './sandbox-state';

const SHANGHAI_OFFSET_S = 8 * 3600;

/** The Asia/Shanghai calendar month of a WeCom timestamp (seconds), as `YYYY-MM`. */
const monthOf = (seconds: number) => new Date((seconds + SHANGHAI_OFFSET_S) * 1000).toISOString().slice(0, 7);

/** Days in the month of `YYYY-MM`. */
const daysIn = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();

/**
 * A customer receives at most as many corp group messages per calendar month as the month has days
 * (PROTOCOL §4.4, add_msg_template: "customer monthly receive cap (= days in month by default)").
 */
export function receivedThisMonth(state: SandboxState, externalUserid: string, at: number): number {
  const month = monthOf(at);
  let count = 0;
  for (const t of state.messages.templates) {
    const r = t.results[externalUserid];
    if (r?.status === 1 && r.sendTime !== undefined && monthOf(r.sendTime) === month) count += 1;
  }
  return count;
}

export const monthlyCap = (at: number) => daysIn(monthOf(at));

export interface ConfirmOutcome {
  msgid: string;
  sent: number;
  notFriend: number;
  capReached: number;
}

/**
 * The sender confirms a group-send task in their WeCom client: every customer still waiting gets
 * the message (1), unless they are no longer the sender's customer (2) or already got the month's
 * cap of group messages (3). `forced` sets chosen customers' outcome (a demo or a test).
 */
export function confirmGroupMsg(state: SandboxState, template: MsgTemplate, forced: Record<string, GroupMsgStatus> = {}): ConfirmOutcome {
  const at = state.now();
  const outcome: ConfirmOutcome = { msgid: template.msgid, sent: 0, notFriend: 0, capReached: 0 };
  for (const [externalUserid, result] of Object.entries(template.results)) {
    if (result.status !== 0) continue;
    const follows = template.sender === undefined || state.customers.relation(externalUserid, template.sender) !== undefined;
    let status: GroupMsgStatus = forced[externalUserid] ?? (!follows ? 2 : receivedThisMonth(state, externalUserid, at) >= monthlyCap(at) ? 3 : 1);
    if (status === 0) status = 1;
    template.results[externalUserid] = status === 1 ? { status, sendTime: at } : { status };
    if (status === 1) outcome.sent += 1;
    else if (status === 2) outcome.notFriend += 1;
    else outcome.capReached += 1;
  }
  template.confirmedAt = at;
  return outcome;
}
