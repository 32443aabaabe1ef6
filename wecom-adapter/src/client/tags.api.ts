import { type WecomCall, type WecomResult } from './request-runner';
import {
  type AddCorpTagRequest,
  type AddCorpTagResponse,
  type DelCorpTagRequest,
  type EditCorpTagRequest,
  type GetCorpTagListRequest,
  type GetCorpTagListResponse,
  type MarkTagRequest,
} from './tags.types';

/** Corp tag calls use the customer app's token. */
export function createTagsApi(call: WecomCall) {
  const app = 'customer' as const;
  return {
    /** get_corp_tag_list: all groups, or those of the given tag / group ids. */
    async list(req: GetCorpTagListRequest = {}) {
      const res = await call<GetCorpTagListResponse>({ app, api: 'externalcontact/get_corp_tag_list', method: 'POST', body: req });
      const tag_group = (res.tag_group ?? []).map((g) => ({ ...g, tag: g.tag ?? [] }));
      return { ...res, tag_group };
    },
    /** add_corp_tag: not replayed after an ambiguous network failure (would create duplicates). */
    async add(req: AddCorpTagRequest) {
      const res = await call<AddCorpTagResponse>({ app, api: 'externalcontact/add_corp_tag', method: 'POST', body: req, replaySafe: false });
      return { ...res, tag_group: { ...res.tag_group, tag: res.tag_group?.tag ?? [] } };
    },
    /** edit_corp_tag: rename / reorder a tag or a group. */
    edit(req: EditCorpTagRequest) {
      return call<WecomResult>({ app, api: 'externalcontact/edit_corp_tag', method: 'POST', body: req });
    },
    /** del_corp_tag: delete tags and/or whole groups. */
    remove(req: DelCorpTagRequest) {
      return call<WecomResult>({ app, api: 'externalcontact/del_corp_tag', method: 'POST', body: req });
    },
    /** mark_tag: add / remove corp tags on one member–contact relation. */
    mark(req: MarkTagRequest) {
      return call<WecomResult>({ app, api: 'externalcontact/mark_tag', method: 'POST', body: req });
    },
  };
}

export type TagsApi = ReturnType<typeof createTagsApi>;
