import type { SandboxEvent } from './event-xml';
import type { SandboxState } from './sandbox-state';
import type { Transfer, TransferStatus } from './transfer.state';

/** A transfer completes 24 h after it starts unless the sandbox settles it otherwise. */
export const TRANSFER_DELAY_MS = 24 * 3600_000;

/**
 * Settles customer transfers: on success the relation moves to the takeover member (and, for in-service
 * transfers, the handover member gets del_external_contact with Source DELETE_BY_TRANSFER); on refusal
 * or limit an in-service transfer pushes transfer_fail to the takeover member.
 */
export function createTransferService(state: SandboxState, push: (event: SandboxEvent) => void) {
  function settle(t: Transfer, status: Exclude<TransferStatus, 2>) {
    t.status = status;
    t.settled = true;
    const inService = t.kind === 'in-service';
    if (status !== 1) {
      t.takeoverAt = 0;
      if (inService)
        push({
          event: 'change_external_contact',
          changeType: 'transfer_fail',
          fields: [['FailReason', status === 3 ? 'customer_refused' : 'customer_limit_exceed'], ['UserID', t.takeoverUserid], ['ExternalUserID', t.externalUserid]],
        });
      return;
    }
    t.takeoverAt = state.clock();
    const customer = state.customers.get(t.externalUserid);
    const old = state.customers.unfollow(t.externalUserid, t.handoverUserid);
    if (customer && old)
      state.customers.follow(customer, { ...old, userid: t.takeoverUserid, operUserid: t.takeoverUserid, createtime: state.now(), tagIds: [...old.tagIds] });
    if (inService && old)
      push({
        event: 'change_external_contact',
        changeType: 'del_external_contact',
        fields: [['UserID', t.handoverUserid], ['ExternalUserID', t.externalUserid], ['Source', 'DELETE_BY_TRANSFER']],
      });
  }

  return {
    settle,
    /** Completes every waiting transfer whose 24 h have passed. */
    settleDue(): Transfer[] {
      const due = state.transfers.transfers.filter((t) => !t.settled && t.takeoverAt <= state.clock());
      for (const t of due) settle(t, 1);
      return due;
    },
    /** Settles every waiting transfer (or only those of the given customers) now with the given outcome (control API). */
    settleAll(status: Exclude<TransferStatus, 2>, externalUserids?: readonly string[]): Transfer[] {
      const only = externalUserids?.length ? new Set(externalUserids) : undefined;
      const waiting = state.transfers.transfers.filter((t) => !t.settled && (!only || only.has(t.externalUserid)));
      for (const t of waiting) settle(t, status);
      return waiting;
    },
  };
}

export type TransferService = ReturnType<typeof createTransferService>;
