import {
  type BatchGetByUserRequest,
  type BatchGetByUserResponse,
  type ExternalContactGetResponse,
  type ExternalContactListResponse,
  type ExternalContactWithFollowInfo,
  type FollowUser,
  type FollowUserListResponse,
  type RemarkRequest,
} from './external-contact.types';
import { type PageOptions, chunk, paginate } from './paginate';
import { type WecomCall, type WecomResult } from './request-runner';

/** batch/get_by_user takes at most 100 member ids per call. */
const USERIDS_PER_CALL = 100;

/** externalcontact/* calls use the customer (客户联系) app's token. */
export function createExternalContactApi(call: WecomCall) {
  const app = 'customer' as const;

  const get = async (externalUserid: string, cursor?: string) => {
    const query = { external_userid: externalUserid, cursor: cursor || undefined };
    const res = await call<ExternalContactGetResponse>({ app, api: 'externalcontact/get', method: 'GET', query });
    return { ...res, follow_user: res.follow_user ?? [], next_cursor: res.next_cursor ?? '' };
  };
  const batchGetByUser = async (req: BatchGetByUserRequest) => {
    const res = await call<BatchGetByUserResponse>({ app, api: 'externalcontact/batch/get_by_user', method: 'POST', body: req });
    return { ...res, external_contact_list: res.external_contact_list ?? [], next_cursor: res.next_cursor ?? '' };
  };

  return {
    /** get_follow_user_list: members allowed to have external contacts. */
    async listFollowUsers() {
      const res = await call<FollowUserListResponse>({ app, api: 'externalcontact/get_follow_user_list', method: 'GET' });
      return { ...res, follow_user: res.follow_user ?? [] };
    },
    /** externalcontact/list: one member's external contacts. */
    async list(userid: string) {
      const res = await call<ExternalContactListResponse>({ app, api: 'externalcontact/list', method: 'GET', query: { userid } });
      return { ...res, external_userid: res.external_userid ?? [] };
    },
    /** externalcontact/get: one page (≤500 followers) of a contact. */
    get,
    /** externalcontact/get, following next_cursor so `follow_user` holds every follower. */
    async getWithAllFollowers(externalUserid: string) {
      const first = await get(externalUserid);
      const followers: FollowUser[] = [];
      for await (const f of paginate(async (cursor) => {
        const page = cursor ? await get(externalUserid, cursor) : first;
        return { items: page.follow_user, nextCursor: page.next_cursor };
      })) {
        followers.push(f);
      }
      return { ...first, follow_user: followers, next_cursor: '' };
    },
    /** batch/get_by_user: one page of contacts of up to 100 members. */
    batchGetByUser,
    /**
     * Every contact of every member in `userIds`: 100 member ids per call, following next_cursor.
     * `onPage` sees each page (with its cursor) before its entries are yielded.
     */
    async *batchGetByUserAll(
      userIds: readonly string[],
      options: { limit?: number } & PageOptions<ExternalContactWithFollowInfo> = {},
    ): AsyncGenerator<ExternalContactWithFollowInfo, void, undefined> {
      for (const userid_list of chunk(userIds, USERIDS_PER_CALL)) {
        yield* paginate(async (cursor) => {
          const res = await batchGetByUser({ userid_list, cursor, limit: options.limit ?? 100 });
          return { items: res.external_contact_list, nextCursor: res.next_cursor };
        }, options);
      }
    },
    /** externalcontact/remark: a member's remark, description, company, phones for a contact. */
    remark(req: RemarkRequest) {
      return call<WecomResult>({ app, api: 'externalcontact/remark', method: 'POST', body: req });
    },
  };
}

export type ExternalContactApi = ReturnType<typeof createExternalContactApi>;
