import type { SandboxState } from './sandbox-state';
import type { Employee, ExternalContact, FollowRelation } from './sandbox.types';

/** Response shapes shared by the directory and externalcontact endpoints (PROTOCOL §4.4). */

export const userJson = (state: SandboxState, e: Employee) => ({
  userid: e.userid,
  name: e.name,
  department: e.department,
  order: e.department.map(() => 0),
  position: e.position,
  mobile: e.mobile,
  gender: e.gender,
  email: e.email,
  is_leader_in_dept: e.department.map((d) => (state.directory.departments.get(d)?.leaders.includes(e.userid) ? 1 : 0)),
  direct_leader: [],
  avatar: `https://sandbox.invalid/avatar/${e.userid}`,
  thumb_avatar: `https://sandbox.invalid/avatar/${e.userid}/100`,
  telephone: '',
  alias: '',
  status: e.status,
  main_department: e.department[0] ?? 1,
  open_userid: e.openUserid,
});

export const externalContactJson = (c: ExternalContact) => ({
  external_userid: c.externalUserid,
  name: c.name,
  avatar: `https://sandbox.invalid/wxavatar/${c.externalUserid}`,
  type: c.type,
  gender: c.gender,
  ...(c.unionid ? { unionid: c.unionid } : {}),
  ...(c.type === 2 ? { corp_name: c.corpName, corp_full_name: c.corpName ? `${c.corpName}有限公司` : '' } : {}),
});

const relationCommon = (f: FollowRelation) => ({
  userid: f.userid,
  remark: f.remark,
  description: f.description,
  createtime: f.createtime,
  ...(f.remarkCorpName ? { remark_corp_name: f.remarkCorpName } : {}),
  ...(f.remarkMobiles.length ? { remark_mobiles: f.remarkMobiles } : {}),
  oper_userid: f.operUserid,
  add_way: f.addWay,
  ...(f.state ? { state: f.state } : {}),
});

/** follow_user entry of externalcontact/get: tags with names. */
export const followUserJson = (state: SandboxState, f: FollowRelation) => ({
  ...relationCommon(f),
  tags: f.tagIds.flatMap((id) => {
    const found = state.tags.tag(id);
    return found && !found.tag.deleted ? [{ group_name: found.group.groupName, tag_name: found.tag.name, tag_id: id, type: 1 }] : [];
  }),
});

/** follow_info of batch/get_by_user: tag ids only. */
export const followInfoJson = (f: FollowRelation) => ({ ...relationCommon(f), tag_id: f.tagIds });
