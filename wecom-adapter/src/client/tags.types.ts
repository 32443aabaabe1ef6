/** Corp customer tags (企业客户标签), PROTOCOL §4.4. */

export interface CorpTag {
  id: string;
  name: string;
  create_time?: number;
  /** Larger sorts first. */
  order?: number;
  deleted?: boolean;
}

export interface CorpTagGroup {
  group_id: string;
  group_name: string;
  create_time?: number;
  order?: number;
  deleted?: boolean;
  tag: CorpTag[];
}

export interface GetCorpTagListRequest {
  tag_id?: string[];
  group_id?: string[];
}

export interface GetCorpTagListResponse {
  tag_group: CorpTagGroup[];
}

export interface AddCorpTagRequest {
  /** Add into an existing group; otherwise `group_name` creates one (≤30 chars). */
  group_id?: string;
  group_name?: string;
  order?: number;
  tag: { name: string; order?: number }[];
  agentid?: number;
}

export interface AddCorpTagResponse {
  tag_group: CorpTagGroup;
}

/** Shape from WeCom's edit_corp_tag doc; PROTOCOL §4.4 lists the endpoint but not its body. */
export interface EditCorpTagRequest {
  /** A tag id or a group id. */
  id: string;
  name?: string;
  order?: number;
  agentid?: number;
}

/** Shape from WeCom's del_corp_tag doc; PROTOCOL §4.4 lists the endpoint but not its body. */
export interface DelCorpTagRequest {
  tag_id?: string[];
  group_id?: string[];
  agentid?: number;
}

export interface MarkTagRequest {
  userid: string;
  external_userid: string;
  add_tag?: string[];
  remove_tag?: string[];
}
