import { download, http } from './request';
import { cleanParams, type PageResult } from './types';

export interface ArchiveSettings {
  /** Masked (`****abcd`) or null; the secret itself never comes back. */
  secret: string | null;
  secretFromEnv: boolean;
  sdkPath: string | null;
  sdkPathFromEnv: boolean;
  retentionDays: number;
  consentRequired: boolean;
}

export interface ArchiveSettingsPatch {
  secret?: string;
  sdkPath?: string | null;
  retentionDays?: number;
  consentRequired?: boolean;
}

export interface ArchiveKey {
  version: number;
  fingerprint: string;
  updatedAt?: string;
}

export interface ArchiveCursorStatus {
  corpId: string;
  lastSeq: number;
  messagesStored: number;
  lastBatchAt: string | null;
  lastBatchMessages: number;
  ratePerSecond: number;
  lastMessageAt: string | null;
  lagSeconds: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface ArchiveStatus {
  parked: number;
  cursors: ArchiveCursorStatus[];
}

export interface ArchiveHit {
  id: number;
  msgid: string;
  msgtype: string | null;
  from: string | null;
  to: string[];
  roomId: string | null;
  customerId: number | null;
  employee: string | null;
  storeId: number | null;
  time: string | null;
  text: string | null;
  revoked: boolean;
}

export interface ArchiveSearchQuery {
  q?: string;
  employee?: string;
  customerId?: number;
  roomId?: string;
  type?: string;
  from?: string;
  to?: string;
  beforeId?: number;
  limit?: number;
}

export interface ArchiveSearchPage {
  items: ArchiveHit[];
  nextBeforeId: number | null;
}

const base = '/api/chat-archive';

export const getArchiveSettings = () => http.get<ArchiveSettings>(`${base}/settings`);
export const saveArchiveSettings = (patch: ArchiveSettingsPatch) => http.put<ArchiveSettings>(`${base}/settings`, patch);
export const listArchiveKeys = () => http.get<ArchiveKey[]>(`${base}/keys`);
export const putArchiveKey = (version: number, privateKey: string) => http.put<ArchiveKey>(`${base}/keys/${version}`, { privateKey });
export const getArchiveStatus = () => http.get<ArchiveStatus>(`${base}/status`);
export const searchArchive = (query: ArchiveSearchQuery) => http.get<ArchiveSearchPage>(`${base}/messages`, cleanParams(query));

export interface CustomerConversations {
  items: ArchiveHit[];
  total: number;
  page: number;
  pageSize: number;
  consent: 'agreed' | 'disagreed' | 'unknown';
  /** False when the corp requires consent and the customer has not agreed. */
  visible: boolean;
}

export const customerConversations = (customerId: number, page: number, pageSize: number) => http.get<CustomerConversations>(`/api/customers/${customerId}/chat-archive`, { page, pageSize });

/** Message types whose file comes with the message (GET …/media). */
export const MEDIA_TYPES = ['image', 'voice', 'video', 'file', 'emotion'] as const;
export const hasMedia = (msgtype: string | null) => !!msgtype && (MEDIA_TYPES as readonly string[]).includes(msgtype);
/** The stored image, voice, video or file of an archived message (409 while WeCom is still being asked for it). */
export const archiveMedia = (messageId: number, fallbackName: string) => download(`${base}/messages/${messageId}/media`, undefined, fallbackName, { silent: true });

export type RuleKind = 'word' | 'regex';
export type RuleSeverity = 'low' | 'medium' | 'high';

export interface ComplianceRule {
  id: number;
  name: string;
  kind: RuleKind;
  keywords: string[];
  pattern: string | null;
  severity: RuleSeverity;
  /** Empty: every store. */
  storeIds: number[];
  enabled: boolean;
  updatedAt: string;
}

export interface ComplianceRuleInput {
  name: string;
  kind: RuleKind;
  keywords?: string[];
  pattern?: string;
  severity: RuleSeverity;
  storeIds?: number[];
  enabled: boolean;
}

export type AlertStatus = 'open' | 'handled';

export interface ComplianceAlert {
  id: number;
  messageId: number;
  ruleId: number;
  ruleName: string;
  severity: RuleSeverity;
  employee: string | null;
  employeeName: string | null;
  customerId: number | null;
  customerName: string | null;
  roomId: string | null;
  storeId: number | null;
  storeName: string | null;
  excerpt: string;
  time: string | null;
  status: AlertStatus;
  handledBy: string | null;
  handledAt: string | null;
  note: string | null;
  createdAt: string;
}

export interface AlertQuery {
  page?: number;
  pageSize?: number;
  ruleId?: number;
  storeId?: number;
  employee?: string;
  status?: AlertStatus;
  from?: string;
  to?: string;
}

export const listComplianceRules = () => http.get<ComplianceRule[]>(`${base}/rules`);
export const createComplianceRule = (input: ComplianceRuleInput) => http.post<ComplianceRule>(`${base}/rules`, input);
export const updateComplianceRule = (id: number, input: ComplianceRuleInput) => http.put<ComplianceRule>(`${base}/rules/${id}`, input);
export const deleteComplianceRule = (id: number) => http.delete<{ deleted: true }>(`${base}/rules/${id}`);
export const listComplianceAlerts = (query: AlertQuery) => http.get<PageResult<ComplianceAlert>>(`${base}/alerts`, cleanParams(query));
export const handleComplianceAlert = (id: number, note: string) => http.post<ComplianceAlert>(`${base}/alerts/${id}/handle`, { note });

export interface SidebarConversation {
  items: ArchiveHit[];
  consent: 'agreed' | 'disagreed' | 'unknown';
  visible: boolean;
}

/** The sidebar's latest archived messages with a customer, oldest first (your own chat, or everyone's with archive:read). */
export const sidebarConversation = (customerId: number, limit = 20) => http.get<SidebarConversation>(`/api/sidebar/customers/${customerId}/conversation`, { limit }, { silent: true });
