/** Customer inheritance (在职 / 离职继承), PROTOCOL §4.4 (DOC 96325 / 96331). */

export interface ResignedTransferCustomerRequest {
  handover_userid: string;
  takeover_userid: string;
  /** At most 100 per call. */
  external_userid: string[];
}

export interface TransferCustomerRequest extends ResignedTransferCustomerRequest {
  /** ≤200 chars; in-service transfers only. */
  transfer_success_msg?: string;
}

export interface TransferCustomerResponse {
  /** Per customer: errcode 0 = transfer started (auto take-over after 24 h). */
  customer: { external_userid: string; errcode: number }[];
}

export interface TransferResultRequest {
  handover_userid: string;
  takeover_userid: string;
  cursor?: string;
}

/** 1 taken over, 2 waiting, 3 customer refused, 4 taker at its limit, 5 no record (in-service). */
export type TransferStatus = 1 | 2 | 3 | 4 | 5;

export interface TransferResult {
  external_userid: string;
  status: TransferStatus;
  takeover_time?: number;
}

export interface TransferResultResponse {
  customer: TransferResult[];
  next_cursor: string;
}
