import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

export const reportLanguage = z.enum(['zh-CN', 'en-US']).default('zh-CN');

export const importListQuery = pageQuery;

export const errorReportQuery = z.object({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  lang: reportLanguage,
});

export const templateQuery = errorReportQuery;

export const customerImport = z.object({
  id: z.number().int(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable().describe('CSV only: utf-8 or gb18030 (GBK), detected from the bytes'),
  fileSize: z.number().int(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  duplicateOfId: z.number().int().nullable().describe('an earlier import of the very same file (same SHA-256)'),
  createdBy: z.object({ id: z.number().int().nullable(), name: z.string() }),
  totalRows: z.number().int().nullable().describe('data rows in the file, known once the job has counted them'),
  processedRows: z.number().int(),
  createdCount: z.number().int(),
  updatedCount: z.number().int(),
  unchangedCount: z.number().int(),
  failedCount: z.number().int().describe('rows not imported; see the error report'),
  progress: z.number().int().min(0).max(100),
  ignoredColumns: z.array(z.string()),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export type CustomerImportView = z.infer<typeof customerImport>;
