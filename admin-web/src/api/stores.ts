import { http } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export interface Store {
  id: number;
  code: string;
  name: string;
  regionId: number;
  regionName: string | null;
  address: string | null;
  createdAt: string;
}

export interface StoreInput {
  code: string;
  name: string;
  regionId: number;
  address?: string | null;
}

export interface StoreQuery extends PageQuery {
  regionId?: number;
  q?: string;
}

export const listStores = async (query: StoreQuery = {}, opts?: { silent?: boolean }): Promise<PageResult<Store>> =>
  toPage(await http.get<PageResult<Store> | Store[]>('/api/stores', cleanParams(query), opts), query);
export const createStore = (body: StoreInput) => http.post<Store>('/api/stores', body);
export const updateStore = (id: number, body: Partial<StoreInput>) => http.patch<Store>(`/api/stores/${id}`, body);
export const deleteStore = (id: number) => http.delete<null>(`/api/stores/${id}`);
