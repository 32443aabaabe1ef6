import {
  type AddMsgTemplateRequest,
  type AddMsgTemplateResponse,
  type AppMessage,
  type GroupMsgSendResultRequest,
  type GroupMsgSendResultResponse,
  type SendAppMessageResponse,
  type SendWelcomeMsgRequest,
} from './messages.types';
import { paginate } from './paginate';
import { type WecomCall, type WecomResult } from './request-runner';

/**
 * message/send uses the agent app's token; the customer mass / welcome messages use the customer
 * app's. Sends are not replayed after an ambiguous network failure (the member could get it twice).
 */
export function createMessagesApi(call: WecomCall, agentId: number | undefined) {
  async function getGroupMsgSendResult(req: GroupMsgSendResultRequest) {
    const spec = { app: 'customer', api: 'externalcontact/get_groupmsg_send_result', method: 'POST', body: req } as const;
    const res = await call<GroupMsgSendResultResponse>(spec);
    return { ...res, send_list: res.send_list ?? [], next_cursor: res.next_cursor ?? '' };
  }

  return {
    /** message/send: an app message to members / departments / tags; `agentid` defaults to the client's. */
    send(message: AppMessage) {
      const body = { ...message, agentid: message.agentid ?? agentId };
      return call<SendAppMessageResponse>({ app: 'agent', api: 'message/send', method: 'POST', body, replaySafe: false });
    },
    /** add_msg_template: a mass message task the sender must confirm in WeCom. */
    async addMsgTemplate(req: AddMsgTemplateRequest) {
      const spec = { app: 'customer', api: 'externalcontact/add_msg_template', method: 'POST', body: req, replaySafe: false } as const;
      const res = await call<AddMsgTemplateResponse>(spec);
      return { ...res, fail_list: res.fail_list ?? [] };
    },
    /** get_groupmsg_send_result — NOT in PROTOCOL §4.4 (shape from WeCom's doc, not re-checked). */
    getGroupMsgSendResult,
    /** Every result of one sender's task, walking get_groupmsg_send_result's cursor (1000 a page). */
    groupMsgSendResults(msgid: string, userid: string) {
      return paginate(async (cursor) => {
        const res = await getGroupMsgSendResult({ msgid, userid, limit: 1000, ...(cursor && { cursor }) });
        return { items: res.send_list, nextCursor: res.next_cursor };
      });
    },
    /** send_welcome_msg: only within 20 s of the add event, once (41051 / 41096 otherwise). */
    sendWelcomeMsg(req: SendWelcomeMsgRequest) {
      return call<WecomResult>({ app: 'customer', api: 'externalcontact/send_welcome_msg', method: 'POST', body: req });
    },
  };
}

export type MessagesApi = ReturnType<typeof createMessagesApi>;
