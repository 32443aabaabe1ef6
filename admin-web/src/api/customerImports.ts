import { download, request } from './request';
import { type PageQuery, type PageResult, toPage } from './types';

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';
export type FileFormat = 'xlsx' | 'csv';
export type ReportLanguage = 'zh-CN' | 'en-US';

export interface CustomerImport {
  id: number;
  fileName: string;
  format: FileFormat;
  encoding: string | null;
  fileSize: number;
  status: ImportStatus;
  duplicateOfId: number | null;
  createdBy: { id: number | null; name: string };
  totalRows: number | null;
  processedRows: number;
  createdCount: number;
  updatedCount: number;
  unchangedCount: number;
  failedCount: number;
  progress: number;
  ignoredColumns: string[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Uploads can be large (200,000 rows): allow them time. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

export const listImports = async (query: PageQuery = {}, opts?: { silent?: boolean }): Promise<PageResult<CustomerImport>> =>
  toPage(await request<PageResult<CustomerImport>>({ method: 'GET', url: '/api/customers/imports', params: query }, opts), query);
export const getImport = (id: number, opts?: { silent?: boolean }) => request<CustomerImport>({ method: 'GET', url: `/api/customers/imports/${id}` }, opts);
export function uploadImport(file: File, onProgress?: (percent: number) => void): Promise<CustomerImport> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request<CustomerImport>({
    method: 'POST',
    url: '/api/customers/imports',
    data: form,
    timeout: UPLOAD_TIMEOUT_MS,
    onUploadProgress: (event) => onProgress?.(event.total ? Math.round((event.loaded / event.total) * 100) : 0),
  });
}
export const downloadImportErrors = (id: number, format: FileFormat, lang: ReportLanguage) =>
  download(`/api/customers/imports/${id}/errors`, { format, lang }, `import-${id}-errors.${format}`);
export const downloadImportTemplate = (format: FileFormat, lang: ReportLanguage) =>
  download('/api/customers/imports/template', { format, lang }, `customer-import-template.${format}`);
export const downloadCustomerExport = () => download('/api/customers/export', { format: 'xlsx' }, `customers-${new Date().toISOString().slice(0, 10)}.xlsx`);
