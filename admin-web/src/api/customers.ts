import { download, http } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export interface Customer {
  id: number;
  name: string;
  phone: string | null;
  address: string | null;
  storeId: number;
  storeName: string | null;
  ownerUserId: number | null;
  createdAt: string;
}

export interface CustomerInput {
  name: string;
  phone?: string | null;
  address?: string | null;
  storeId: number;
  ownerUserId?: number | null;
}

export interface CustomerQuery extends PageQuery {
  q?: string;
  storeId?: number;
  phone?: string;
}

export interface CustomerStat {
  storeId: number;
  storeName: string | null;
  count: number;
}

export const listCustomers = async (query: CustomerQuery = {}, opts?: { silent?: boolean }): Promise<PageResult<Customer>> =>
  toPage(await http.get<PageResult<Customer> | Customer[]>('/api/customers', cleanParams(query), opts), query);
export const getCustomer = (id: number) => http.get<Customer>(`/api/customers/${id}`);
export const createCustomer = (body: CustomerInput) => http.post<Customer>('/api/customers', body);
export const updateCustomer = (id: number, body: Partial<CustomerInput>) => http.patch<Customer>(`/api/customers/${id}`, body);
export const deleteCustomer = (id: number) => http.delete<null>(`/api/customers/${id}`);
export const customerStats = (opts?: { silent?: boolean }) => http.get<CustomerStat[]>('/api/customers/stats', undefined, opts);
export const exportCustomers = (query: Omit<CustomerQuery, 'page' | 'pageSize'> = {}) =>
  download('/api/customers/export', cleanParams(query), `customers-${new Date().toISOString().slice(0, 10)}.csv`);
