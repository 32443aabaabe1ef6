/** Customer transfers (在职继承 / 离职继承) and their results. */

/** 1 taken over, 2 waiting, 3 refused by the customer, 4 takeover member at the customer limit. */
export type TransferStatus = 1 | 2 | 3 | 4;

export interface Transfer {
  kind: 'in-service' | 'resigned';
  handoverUserid: string;
  takeoverUserid: string;
  externalUserid: string;
  status: TransferStatus;
  startedAt: number;
  /** When the takeover happens (24 h after the start) or happened. */
  takeoverAt: number;
  settled: boolean;
}

export function createTransferState() {
  const transfers: Transfer[] = [];
  return {
    transfers,
    add(transfer: Transfer) {
      transfers.push(transfer);
      return transfer;
    },
    between: (kind: Transfer['kind'], handover: string, takeover: string) =>
      transfers.filter((t) => t.kind === kind && t.handoverUserid === handover && t.takeoverUserid === takeover),
    /** Transfers of this customer in the 90 days before `now` (WeCom allows two). */
    recentFor: (externalUserid: string, now: number) =>
      transfers.filter((t) => t.externalUserid === externalUserid && t.startedAt > now - 90 * 86400_000),
  };
}

export type TransferState = ReturnType<typeof createTransferState>;
