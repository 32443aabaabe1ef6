/** Options and in-memory record shapes of the offline WeCom sandbox. */

/** The three secrets a self-built corp uses: 通讯录同步, 客户联系 and the self-built app. */
export type SandboxApp = 'contact' | 'customer' | 'agent';

export interface CallbackTarget {
  url: string;
  token: string;
  encodingAesKey: string;
}

export interface FaultOptions {
  /** Delay added before every /cgi-bin answer. */
  latencyMs?: number;
  /** Share (0..1) of /cgi-bin calls answered with errcode -1 (系统繁忙). */
  errorRate?: number;
  /** Share (0..1) of callbacks never sent. */
  dropCallbackRate?: number;
  /** Share (0..1) of callbacks delivered twice. */
  duplicateCallbackRate?: number;
}

export interface SeedOptions {
  employees: number;
  customers: number;
  departments?: number;
  groupChats?: number;
  seed: number;
}

export interface SandboxOptions {
  corpId: string;
  secrets: Record<SandboxApp, string>;
  agentId: number;
  callback?: CallbackTarget;
  tokenTtlSeconds?: number;
  /** Calls per API per corp per minute (default 10,000). */
  quotaPerMinute?: number;
  seed?: SeedOptions;
  faults?: FaultOptions;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
  /** Per-attempt callback timeout (WeCom: 5 s). */
  callbackTimeoutMs?: number;
  /** Retries after the first attempt (WeCom: 3). */
  callbackRetries?: number;
  /** Pause between attempts (undocumented by WeCom; default 1 s). */
  callbackRetryDelayMs?: number;
}

export interface Department {
  id: number;
  name: string;
  nameEn: string;
  parentid: number;
  order: number;
  leaders: string[];
}

/** 1 active, 2 disabled, 4 not activated, 5 left the corp. */
export type EmployeeStatus = 1 | 2 | 4 | 5;

export interface Employee {
  userid: string;
  name: string;
  department: number[];
  mobile: string;
  position: string;
  gender: '0' | '1' | '2';
  email: string;
  status: EmployeeStatus;
  openUserid: string;
  /** When the member left (seconds), for get_unassigned_list's dimission_time. */
  leftAt?: number;
}

export interface FollowRelation {
  userid: string;
  remark: string;
  description: string;
  createtime: number;
  tagIds: string[];
  remarkCorpName: string;
  remarkMobiles: string[];
  operUserid: string;
  addWay: number;
  state: string;
  /** The customer deleted the member (del_follow_user); the member still sees the customer. */
  deletedByCustomer?: boolean;
}

export interface ExternalContact {
  externalUserid: string;
  name: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  gender: 0 | 1 | 2;
  unionid: string;
  corpName: string;
  follows: FollowRelation[];
}

export interface CorpTag {
  id: string;
  name: string;
  createTime: number;
  order: number;
  deleted: boolean;
}

export interface CorpTagGroup {
  groupId: string;
  groupName: string;
  createTime: number;
  order: number;
  deleted: boolean;
  tags: CorpTag[];
}

export interface GroupChatMember {
  userid: string;
  type: 1 | 2;
  joinTime: number;
  joinScene: number;
  invitor?: string;
  unionid?: string;
  name: string;
}

export interface GroupChat {
  chatId: string;
  name: string;
  owner: string;
  createTime: number;
  notice: string;
  /** 0 normal, 1 owner left, 2 transfer in progress, 3 transfer done. */
  status: 0 | 1 | 2 | 3;
  members: GroupChatMember[];
  admins: string[];
}

export interface ContactWay {
  configId: string;
  type: 1 | 2;
  scene: 1 | 2;
  style?: number;
  remark: string;
  skipVerify: boolean;
  state: string;
  users: string[];
  parties: number[];
  qrCode?: string;
  isTemp: boolean;
  expiresIn?: number;
  createdAt: number;
}
