import type { ExternalContact, ExternalContactGetResponse, ExternalContactWithFollowInfo } from '@scrm/wecom-adapter';

/** One follow relation as WeCom reports it, with the contact it belongs to. */
export interface ContactEntry {
  contact: ExternalContact;
  follow: {
    userid: string;
    remark: string;
    description: string;
    /** Seconds, as WeCom sends it. */
    createtime: number;
    remarkCorpName: string;
    remarkMobiles: string[];
    operUserid: string;
    addWay: number | null;
    state: string;
    /** Corp tag ids (企业标签) only. */
    tagIds: string[];
  };
}

type Follow = ExternalContactWithFollowInfo['follow_info'];

const common = (f: Follow | ExternalContactGetResponse['follow_user'][number]) => ({
  userid: f.userid,
  remark: f.remark ?? '',
  description: f.description ?? '',
  createtime: f.createtime ?? 0,
  remarkCorpName: f.remark_corp_name ?? '',
  remarkMobiles: (f.remark_mobiles ?? []).filter(Boolean),
  operUserid: f.oper_userid ?? '',
  addWay: f.add_way ?? null,
  state: f.state ?? '',
});

/** batch/get_by_user entries: the follow carries tag ids. */
export const entryFromBatch = (item: ExternalContactWithFollowInfo): ContactEntry => ({
  contact: item.external_contact,
  follow: { ...common(item.follow_info), tagIds: [...new Set(item.follow_info.tag_id ?? [])] },
});

/** externalcontact/get: every follower of one contact; tags with type 1 are corp tags. */
export const entriesFromGet = (res: Pick<ExternalContactGetResponse, 'external_contact' | 'follow_user'>): ContactEntry[] =>
  res.follow_user.map((f) => ({
    contact: res.external_contact,
    follow: { ...common(f), tagIds: [...new Set((f.tags ?? []).filter((t) => (t.type ?? 1) === 1 && t.tag_id).map((t) => t.tag_id as string))] },
  }));

/** Name plus every follow remark, for keyword search. */
export function searchTextOf(name: string, remarks: Array<string | null | undefined>): string {
  const parts = [name, ...remarks].map((p) => (p ?? '').trim()).filter(Boolean);
  return [...new Set(parts)].join(' ').slice(0, 1024);
}
