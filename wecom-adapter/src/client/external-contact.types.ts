/** External contact (客户联系) shapes, PROTOCOL §4.4. */

export interface ExternalContact {
  external_userid: string;
  name?: string;
  position?: string;
  avatar?: string;
  corp_name?: string;
  corp_full_name?: string;
  /** 1 WeChat user, 2 WeCom user. */
  type?: number;
  gender?: number;
  unionid?: string;
  external_profile?: Record<string, unknown>;
}

export interface FollowUserTag {
  group_name?: string;
  tag_name?: string;
  tag_id?: string;
  /** 1 corp tag, 2 personal tag, 3 rule-group tag. */
  type?: number;
}

interface FollowCommon {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  remark_corp_name?: string;
  remark_mobiles?: string[];
  oper_userid?: string;
  add_way?: number;
  state?: string;
}

/** A member following the contact, as externalcontact/get returns it. */
export interface FollowUser extends FollowCommon {
  tags?: FollowUserTag[];
}

/** The same relation as batch/get_by_user returns it: tag ids only. */
export interface FollowInfo extends FollowCommon {
  tag_id?: string[];
}

export interface FollowUserListResponse {
  follow_user: string[];
}

export interface ExternalContactListResponse {
  external_userid: string[];
}

export interface ExternalContactGetResponse {
  external_contact: ExternalContact;
  follow_user: FollowUser[];
  /** Present when the contact has more than 500 followers. */
  next_cursor?: string;
}

export interface BatchGetByUserRequest {
  /** At most 100. */
  userid_list: string[];
  cursor?: string;
  /** At most 100; WeCom's default 50. */
  limit?: number;
}

export interface ExternalContactWithFollowInfo {
  external_contact: ExternalContact;
  follow_info: FollowInfo;
}

export interface BatchGetByUserResponse {
  external_contact_list: ExternalContactWithFollowInfo[];
  next_cursor: string;
}

export interface RemarkRequest {
  userid: string;
  external_userid: string;
  remark?: string;
  description?: string;
  remark_company?: string;
  remark_mobiles?: string[];
  remark_pic_mediaid?: string;
}
