/** The chat sidebar's endpoints: its mode, WeCom sign-in, JS-SDK signatures, the customer it is opened on, and the sandbox stand-in. */
import type { LoginResult, MeResult } from './auth';
import { http } from './request';
import type { LocalizedText, PageResult } from './types';

export type WecomMode = 'live' | 'sandbox' | 'unconfigured';

export interface JssdkSignatures {
  corpId: string;
  agentId: number;
  timestamp: number;
  nonceStr: string;
  configSignature: string;
  agentConfigSignature: string;
}

export interface SidebarCustomerTag {
  groupId: number;
  groupName: string;
  tags: Array<{ id: number; name: string; wecomUserids: string[] }>;
}

export interface SidebarFollow {
  id: number;
  wecomUserid: string;
  userId: number | null;
  userName: string | null;
  remark: string | null;
  description: string | null;
  addedAt: string | null;
  status: string;
}

/** The customer 360 view, as much of it as the sidebar shows. */
export interface SidebarCustomer {
  id: number;
  name: string;
  phone: string | null;
  /** Masked unless the caller may read personal data. */
  address: string | null;
  storeId: number | null;
  storeName: string | null;
  externalUserid: string | null;
  wecomType: number | null;
  gender: number | null;
  avatar: string | null;
  corpName: string | null;
  status: 'active' | 'lost' | 'merged';
  stage: string;
  stageName: LocalizedText | null;
  addedAt: string | null;
  follows: SidebarFollow[];
  tags: SidebarCustomerTag[];
  groups: Array<{ id: number; chatId: string; name: string | null; memberCount: number }>;
}

export interface TagGroup {
  id: number;
  name: string;
  tags: Array<{ id: number; name: string }>;
}

export interface Stage {
  code: string;
  name: LocalizedText;
}

export interface CustomerNote {
  id: number;
  body: string;
  authorUserId: number | null;
  authorName: string | null;
  createdAt: string;
}

export interface TimelineEntry {
  id: number;
  kind: string;
  summary: string | null;
  actorName: string | null;
  occurredAt: string;
}

export interface SidebarGroupChat {
  id: number;
  chatId: string;
  name: string;
  memberCount: number;
  customerCount: number;
  dismissed: boolean;
  members: Array<{
    memberId: string;
    memberType: number;
    name: string;
    joinedAt: string | null;
    customer: { id: number; name: string; externalUserId: string } | null;
  }>;
}

export interface StandinEmployee {
  userid: string;
  name: string;
  position: string;
  user: { id: number; displayName: string; storeName: string | null; status: string } | null;
}

export interface StandinChats {
  customers: Array<{ externalUserId: string; name: string; remark: string; corpName: string; type: number }>;
  groupChats: Array<{ chatId: string; name: string; memberCount: number; customerCount: number }>;
}

const quiet = { silent: true } as const;

export const getSidebarConfig = () => http.get<{ mode: WecomMode }>('/api/sidebar/config', undefined, { ...quiet, skipAuthRedirect: true });
export const getWecomAuthorizeUrl = (redirect: string) =>
  http.get<{ url: string }>('/api/auth/wecom/authorize-url', { redirect, mode: 'oauth' }, { ...quiet, skipAuthRedirect: true });
export const wecomLogin = (body: { code: string; state: string }) => http.post<LoginResult>('/api/auth/wecom/login', body, { ...quiet, skipAuthRedirect: true });
export const getSidebarMe = () => http.get<MeResult>('/api/auth/me', undefined, { ...quiet, skipAuthRedirect: true });
export const getJssdkSignatures = (url: string) => http.get<JssdkSignatures>('/api/wecom/jssdk/signatures', { url }, quiet);

export const getCustomerByExternal = (externalUserId: string) => http.get<SidebarCustomer>(`/api/customers/by-external/${encodeURIComponent(externalUserId)}`, undefined, quiet);
export const getSidebarGroupChat = (chatId: string) => http.get<SidebarGroupChat>(`/api/sidebar/group-chats/${encodeURIComponent(chatId)}`, undefined, quiet);
export const listTagGroups = () => http.get<TagGroup[] | { items: TagGroup[] }>('/api/tags', undefined, quiet);
export const setCustomerTags = (id: number, body: { add?: number[]; remove?: number[] }) => http.put<unknown>(`/api/customers/${id}/tags`, body);
export const listStages = () => http.get<Stage[]>('/api/customer-stages', undefined, quiet);
export const setCustomerStage = (id: number, stage: string) => http.patch<unknown>(`/api/customers/${id}/stage`, { stage });
export const listCustomerNotes = (id: number, pageSize = 20) => http.get<PageResult<CustomerNote>>(`/api/customers/${id}/notes`, { page: 1, pageSize }, quiet);
export const addCustomerNote = (id: number, body: string) => http.post<CustomerNote>(`/api/customers/${id}/notes`, { body });
export const listCustomerTimeline = (id: number, pageSize = 10) => http.get<PageResult<TimelineEntry>>(`/api/customers/${id}/timeline`, { page: 1, pageSize }, quiet);

export const listStandinEmployees = () => http.get<StandinEmployee[]>('/api/sidebar/sandbox/employees', undefined, quiet);
export const listStandinChats = (userid: string) => http.get<StandinChats>(`/api/sidebar/sandbox/employees/${encodeURIComponent(userid)}/chats`, undefined, quiet);
export const verifyAgentConfig = (body: { url: string; timestamp: number; nonceStr: string; signature: string }) =>
  http.post<{ ok: boolean }>('/api/sidebar/sandbox/agent-config/verify', body, quiet);
