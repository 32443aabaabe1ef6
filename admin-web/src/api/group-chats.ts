import { http } from './request';
import type { SyncRun } from './tags';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export interface GroupChat {
  id: number;
  chatId: string;
  name: string | null;
  ownerWecomUserid: string | null;
  ownerName: string | null;
  storeId: number | null;
  storeName: string | null;
  notice: string | null;
  wecomStatus: number;
  memberCount: number;
  chatCreatedAt: string | null;
  dismissedAt: string | null;
}

export interface GroupChatMember {
  memberId: string;
  /** 1 employee, 2 external contact. */
  type: number;
  name: string | null;
  groupNickname: string | null;
  customerId: number | null;
  joinScene: number | null;
  invitorUserid: string | null;
  joinedAt: string | null;
}

export interface GroupChatDetail extends GroupChat {
  members: GroupChatMember[];
}

export interface CustomerGroupChat extends GroupChat {
  joinedAt: string | null;
}

export interface GroupChatQuery extends PageQuery {
  owner?: string;
  name?: string;
  status?: 'active' | 'dismissed';
  storeId?: number;
}

export const listGroupChats = async (query: GroupChatQuery = {}): Promise<PageResult<GroupChat>> =>
  toPage(await http.get<PageResult<GroupChat>>('/api/group-chats', cleanParams(query)), query);
export const getGroupChat = (id: number) => http.get<GroupChatDetail>(`/api/group-chats/${id}`);
export const customerGroupChats = (customerId: number) => http.get<CustomerGroupChat[]>(`/api/customers/${customerId}/group-chats`);
export const latestGroupSync = (opts?: { silent?: boolean }) => http.get<SyncRun | null>('/api/group-chats/sync', undefined, opts);
export const startGroupSync = () => http.post<SyncRun>('/api/group-chats/sync');
