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

/** groupchat/transfer (离职成员的客户群) and groupchat/onjob_transfer (在职成员的客户群): ≤100 chats per call. */
export interface GroupChatTransferRequest {
  chat_id_list: string[];
  new_owner: string;
}

/** Chats not transferred, each with its errcode (90500 owner has not left, 90502 owner has left, 90504 owner unchanged, 90507 in progress, 90508 already inherited…). */
export interface GroupChatTransferResponse {
  failed_chat_list: { chat_id: string; errcode: number; errmsg: string }[];
}

/** get_unassigned_list: customers of members who left, waiting to be assigned. */
export interface UnassignedListRequest {
  cursor?: string;
  /** At most 1000. */
  page_size?: number;
}

export interface UnassignedInfo {
  handover_userid: string;
  external_userid: string;
  /** Seconds since the epoch. */
  dimission_time: number;
}

export interface UnassignedListResponse {
  info: UnassignedInfo[];
  is_last: boolean;
  next_cursor: string;
}
