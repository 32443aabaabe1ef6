import { http } from './request';
import { type PageQuery, type PageResult, toPage } from './types';

export interface Region {
  id: number;
  code: string;
  name: string;
  storeCount: number;
  createdAt: string;
}

export interface RegionInput {
  code: string;
  name: string;
}

export interface RegionQuery extends PageQuery {
  q?: string;
}

/** The server returns every region in the caller's scope (a plain array); no server-side filters. */
export const listRegions = async (query: RegionQuery = {}): Promise<PageResult<Region>> =>
  toPage(await http.get<PageResult<Region> | Region[]>('/api/regions'), query);
export const createRegion = (body: RegionInput) => http.post<Region>('/api/regions', body);
export const updateRegion = (id: number, body: Partial<RegionInput>) => http.patch<Region>(`/api/regions/${id}`, body);
export const deleteRegion = (id: number) => http.delete<null>(`/api/regions/${id}`);
