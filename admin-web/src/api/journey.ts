import { http } from './request';
import { cleanParams, type PageQuery, type PageResult } from './types';

/** The fixed catalogue of events a journey stage is defined by (server: journey-catalogue). */
export type JourneyEvent =
  | { type: 'customer_added' }
  | { type: 'first_message'; from: 'customer' | 'any' }
  | { type: 'tag_added'; tagId?: number }
  | { type: 'stage_reached'; stage: string }
  | { type: 'order_created'; nth: number }
  | { type: 'work_order_completed' };
export type JourneyEventType = JourneyEvent['type'];
export const journeyEventTypes: JourneyEventType[] = ['customer_added', 'first_message', 'tag_added', 'stage_reached', 'order_created', 'work_order_completed'];

export interface JourneyStage {
  id: number;
  nameZh: string;
  nameEn: string | null;
  event: JourneyEvent;
  order: number;
}
export interface JourneyStageInput {
  nameZh: string;
  nameEn?: string | null;
  event: JourneyEvent;
}

export interface JourneyFilter {
  /** Asia/Shanghai days, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
  storeId?: number;
  contactWayId?: number;
}

export interface FunnelStage extends JourneyStage {
  reached: number;
  conversionFromPrevious: number;
  conversionFromFirst: number;
  averageSeconds: number | null;
  medianSeconds: number | null;
}
export interface FunnelChannel {
  contactWayId: number | null;
  name: string | null;
  customers: number;
  reached: number[];
  conversion: number;
}
export interface JourneyFunnel {
  customers: number;
  stages: FunnelStage[];
  channels: FunnelChannel[];
}

export interface StepCustomer {
  id: number;
  name: string;
  storeId: number | null;
  storeName: string | null;
  contactWayName: string | null;
  addedAt: string | null;
  at: string;
}
export interface StepCustomerQuery extends JourneyFilter, PageQuery {
  step: number;
  mode?: 'reached' | 'dropped';
}

const base = '/api/engagement/journey';

export const listJourneyStages = () => http.get<JourneyStage[]>(`${base}/stages`);
export const createJourneyStage = (body: JourneyStageInput) => http.post<JourneyStage>(`${base}/stages`, body);
export const updateJourneyStage = (id: number, body: Partial<JourneyStageInput>) => http.patch<JourneyStage>(`${base}/stages/${id}`, body);
export const deleteJourneyStage = (id: number) => http.delete<null>(`${base}/stages/${id}`);
export const reorderJourneyStages = (ids: number[]) => http.put<JourneyStage[]>(`${base}/stages/order`, { ids });
export const journeyFunnel = (filter: JourneyFilter) => http.get<JourneyFunnel>(`${base}/funnel`, cleanParams(filter));
export const journeyStepCustomers = (query: StepCustomerQuery) => http.get<PageResult<StepCustomer>>(`${base}/customers`, cleanParams(query));
