import { http } from './request';
import { cleanParams, type PageQuery, type PageResult } from './types';

export interface ScheduleSlot {
  /** 1 = Monday … 7 = Sunday (Asia/Shanghai). */
  weekdays: number[];
  from: string;
  to: string;
  users: string[];
}

export type WelcomeAttachmentInput =
  | { type: 'image' | 'file'; fileName: string; dataBase64: string }
  | { type: 'link'; title: string; url: string; picUrl?: string; desc?: string }
  | { type: 'miniprogram'; title: string; appid: string; page: string; fileName: string; dataBase64: string };

export interface ContactWay {
  id: number;
  name: string;
  state: string;
  configId: string | null;
  qrCode: string | null;
  skipVerify: boolean;
  users: string[];
  backupUsers: string[];
  schedule: ScheduleSlot[];
  currentUsers: string[];
  tagIds: number[];
  storeId: number | null;
  welcome: { text?: string; attachments: Array<{ type: string; title?: string; url?: string; fileName?: string }> } | null;
  createdAt: string;
}

export interface ContactWayInput {
  name: string;
  state: string;
  users: string[];
  backupUsers: string[];
  schedule: ScheduleSlot[];
  skipVerify: boolean;
  tagIds: number[];
  storeId: number | null;
  /** Attachments already saved are kept by sending `welcome` without changes. */
  welcome: { text?: string; attachments: WelcomeAttachmentInput[] } | null;
}

export interface ChannelStats {
  contactWayId: number;
  name: string;
  adds: number;
  losses: number;
  net: number;
  customersWithOrders: number;
  conversionRate: number;
  welcome: { sent: number; missed: number; failed: number };
}

export interface WelcomeSend {
  id: number;
  externalUserid: string;
  wecomUserid: string;
  status: 'sending' | 'sent' | 'missed' | 'failed';
  errcode: number | null;
  error: string | null;
  eventAt: string;
  latencyMs: number | null;
}

const base = '/api/engagement/contact-ways';
export const listContactWays = () => http.get<ContactWay[]>(base);
export const contactWayStats = () => http.get<ChannelStats[]>(`${base}/stats`);
export const createContactWay = (body: ContactWayInput) => http.post<ContactWay>(base, body);
export const updateContactWay = (id: number, body: Partial<Omit<ContactWayInput, 'state'>>) => http.patch<ContactWay>(`${base}/${id}`, body);
export const deleteContactWay = (id: number) => http.delete<null>(`${base}/${id}`);
export const listWelcomeSends = (id: number) => http.get<WelcomeSend[]>(`${base}/${id}/welcome-sends`);

export type RuleTrigger =
  | { type: 'no_order_days'; days: number }
  | { type: 'date_field'; field: string }
  | { type: 'customer_added' | 'order_created' | 'order_refunded' | 'work_order_completed' }
  | { type: 'tag_added'; tagId?: number }
  | { type: 'stage_changed'; stage?: string };
export type RuleTriggerType = RuleTrigger['type'];
export const scheduledTriggerTypes: RuleTriggerType[] = ['no_order_days', 'date_field'];
export const eventTriggerTypes: RuleTriggerType[] = ['customer_added', 'tag_added', 'stage_changed', 'order_created', 'order_refunded', 'work_order_completed'];
export type RuleAction =
  | { type: 'add_tags' | 'remove_tags'; tagIds: number[] }
  | { type: 'change_stage'; stage: string }
  | { type: 'create_task'; title: string; dueIn: number; dueUnit: 'hours' | 'days' }
  | { type: 'issue_coupon'; couponCode: string; reason?: string }
  | { type: 'add_to_mass_message'; massMessageId: number }
  | { type: 'webhook'; url: string };
export type RuleActionType = RuleAction['type'];
export const ruleActionTypes: RuleActionType[] = ['add_tags', 'remove_tags', 'change_stage', 'create_task', 'issue_coupon', 'add_to_mass_message', 'webhook'];
export type RulePeriod = 'day' | 'week' | 'month' | 'year' | 'once';

export interface RuleInput {
  name: string;
  trigger: RuleTrigger;
  /** The customer list filter (as in segments). */
  conditions: { stage?: string[]; tagIds?: number[]; storeId?: number };
  actions: RuleAction[];
  period: RulePeriod;
  enabled: boolean;
  /** Write-only: signs the webhook actions; the rule shows it masked. */
  webhookSecret?: string;
}

export interface Rule extends Omit<RuleInput, 'webhookSecret'> {
  id: number;
  webhookSecret: string | null;
  lastRunAt: string | null;
  createdAt: string;
}

export interface RuleDryRun {
  periodKey: string;
  count: number;
  sample: Array<{ id: number; name: string; stage: string }>;
  /** An event rule: these customers match now; the rule fires on their next event. */
  eventTrigger: boolean;
}

export interface RuleFiring {
  id: number;
  customerId: number;
  customerName: string | null;
  periodKey: string;
  status: string;
  note: string | null;
  outcomes: Array<{ type: string; status: 'done' | 'pending' | 'skipped' | 'failed'; note?: string }>;
  firedAt: string;
}

const rules = '/api/engagement/rules';
export const listRules = () => http.get<Rule[]>(rules);
export const createRule = (body: RuleInput) => http.post<Rule>(rules, body);
export const updateRule = (id: number, body: Partial<RuleInput>) => http.patch<Rule>(`${rules}/${id}`, body);
export const deleteRule = (id: number) => http.delete<null>(`${rules}/${id}`);
export const dryRunRule = (body: RuleInput) => http.post<RuleDryRun>(`${rules}/dry-run`, body);
export const runRule = (id: number) => http.post<{ periodKey: string; fired: number; ms: number }>(`${rules}/${id}/run`);
export const listRuleFirings = (id: number) => http.get<RuleFiring[]>(`${rules}/${id}/firings`);

export interface FollowTask {
  id: number;
  title: string;
  status: 'open' | 'done';
  dueAt: string;
  overdue: boolean;
  customerId: number;
  customerName: string | null;
  assigneeUserId: number | null;
  assigneeName: string | null;
  ruleId: number | null;
  ruleName: string | null;
  reminderStatus: 'pending' | 'sent' | 'skipped' | 'failed';
  reminderError: string | null;
  doneAt: string | null;
  createdAt: string;
}

export interface FollowTaskQuery extends PageQuery {
  status?: 'open' | 'done' | '';
  assigneeUserId?: number | '';
  customerId?: number;
}

const tasks = '/api/engagement/tasks';
export const listFollowTasks = (query: FollowTaskQuery): Promise<PageResult<FollowTask>> => http.get<PageResult<FollowTask>>(tasks, cleanParams(query));
export const completeFollowTask = (id: number) => http.post<FollowTask>(`${tasks}/${id}/done`);
