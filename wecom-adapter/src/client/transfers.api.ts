import { type PageOptions, paginate } from './paginate';
import { type WecomCall } from './request-runner';
import {
  type GroupChatTransferRequest,
  type GroupChatTransferResponse,
  type ResignedTransferCustomerRequest,
  type TransferCustomerRequest,
  type TransferCustomerResponse,
  type TransferResult,
  type TransferResultRequest,
  type TransferResultResponse,
  type UnassignedInfo,
  type UnassignedListRequest,
  type UnassignedListResponse,
} from './transfers.types';

type Pair = Omit<TransferResultRequest, 'cursor'>;

/**
 * Transfers use the customer app's token. Starting a transfer is not replayed after an ambiguous
 * network failure: each customer may be transferred only twice in 90 days.
 */
export function createTransfersApi(call: WecomCall) {
  const app = 'customer' as const;
  const transfer = async (api: string, req: ResignedTransferCustomerRequest) => {
    const res = await call<TransferCustomerResponse>({ app, api, method: 'POST', body: req, replaySafe: false });
    return { ...res, customer: res.customer ?? [] };
  };
  const result = async (api: string, req: TransferResultRequest) => {
    const res = await call<TransferResultResponse>({ app, api, method: 'POST', body: req });
    return { ...res, customer: res.customer ?? [], next_cursor: res.next_cursor ?? '' };
  };
  const groupTransfer = async (api: string, req: GroupChatTransferRequest) => {
    const res = await call<GroupChatTransferResponse>({ app, api, method: 'POST', body: req, replaySafe: false });
    return { ...res, failed_chat_list: res.failed_chat_list ?? [] };
  };
  const unassigned = async (req: UnassignedListRequest) => {
    const res = await call<UnassignedListResponse>({ app, api: 'externalcontact/get_unassigned_list', method: 'POST', body: req });
    return { ...res, info: res.info ?? [], next_cursor: res.is_last ? '' : (res.next_cursor ?? '') };
  };
  const allResults = (api: string, pair: Pair, options: PageOptions<TransferResult>) =>
    paginate(async (cursor) => {
      const res = await result(api, { ...pair, cursor });
      return { items: res.customer, nextCursor: res.next_cursor };
    }, options);

  return {
    /** transfer_customer (在职继承). */
    transferCustomer: (req: TransferCustomerRequest) => transfer('externalcontact/transfer_customer', req),
    /** transfer_result: one page. */
    transferResult: (req: TransferResultRequest) => result('externalcontact/transfer_result', req),
    transferResultAll: (pair: Pair, options: PageOptions<TransferResult> = {}) =>
      allResults('externalcontact/transfer_result', pair, options),
    /** resigned/transfer_customer (离职继承). */
    resignedTransferCustomer: (req: ResignedTransferCustomerRequest) => transfer('externalcontact/resigned/transfer_customer', req),
    /** resigned/transfer_result: one page. */
    resignedTransferResult: (req: TransferResultRequest) => result('externalcontact/resigned/transfer_result', req),
    resignedTransferResultAll: (pair: Pair, options: PageOptions<TransferResult> = {}) =>
      allResults('externalcontact/resigned/transfer_result', pair, options),
    /** groupchat/transfer: chats of members who left (离职继承), to a new owner. */
    resignedGroupChatTransfer: (req: GroupChatTransferRequest) => groupTransfer('externalcontact/groupchat/transfer', req),
    /** groupchat/onjob_transfer: chats of serving members (在职继承), to a new owner. */
    groupChatOnjobTransfer: (req: GroupChatTransferRequest) => groupTransfer('externalcontact/groupchat/onjob_transfer', req),
    /** get_unassigned_list: one page of customers of members who left, awaiting assignment. */
    unassignedList: unassigned,
    unassignedListAll: (options: PageOptions<UnassignedInfo> & { pageSize?: number } = {}) =>
      paginate(async (cursor) => {
        const res = await unassigned({ cursor, page_size: options.pageSize ?? 1000 });
        return { items: res.info, nextCursor: res.next_cursor };
      }, options),
  };
}

export type TransfersApi = ReturnType<typeof createTransfersApi>;
