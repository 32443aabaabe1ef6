import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Context } from 'koa';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import type { AuditService } from '../audit/audit.service';
import { customerImport, errorReportQuery, importListQuery, templateQuery } from './customer-import.schemas';
import { IMPORT_DIR, type CustomerImportService } from './customer-import.service';
import { errorReport, importTemplate, type FileReply } from './import-reports';

/** Largest accepted upload: 200,000 rows of a typical customer sheet are about 20 MB as CSV. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

interface MulterFile {
  path: string;
  originalname: string;
  size: number;
}
interface MulterError extends Error {
  code: string;
  field?: string;
}
type KoaMulter = (options: { dest: string; limits: Record<string, number>; defParamCharset: string }) => {
  single(field: string): (ctx: Context, next: () => Promise<void>) => Promise<void>;
};
// @koa/multer ships no type declarations.
const multer = createRequire(__filename)('@koa/multer') as KoaMulter;

function sendFile(ctx: Context, file: FileReply) {
  ctx.type = file.contentType;
  ctx.attachment(file.fileName);
  ctx.body = file.body;
}

export function customerImportRoutes(deps: { imports: CustomerImportService; models: Models; audit: AuditService; dataDir: string }) {
  const { imports, models, audit } = deps;
  const receive = multer({
    dest: join(deps.dataDir, IMPORT_DIR, 'incoming'),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12 },
    defParamCharset: 'utf8',
  }).single('file');

  async function readUpload(ctx: Context): Promise<MulterFile> {
    if (!ctx.is('multipart/form-data')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data in the field "file"', [{ path: 'file', message: 'expected multipart/form-data' }]);
    try {
      await receive(ctx, async () => {});
    } catch (error) {
      const code = (error as MulterError).code;
      if (code === 'LIMIT_FILE_SIZE') throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, [{ path: 'file', message: 'too large' }]);
      if (code?.startsWith('LIMIT_')) throw new AppError('VALIDATION_FAILED', `upload one file in the field "file" (${(error as Error).message})`, [{ path: 'file', message: (error as Error).message }]);
      throw new AppError('VALIDATION_FAILED', 'the upload could not be read as multipart/form-data', [{ path: 'file', message: 'malformed multipart body' }]);
    }
    const file = (ctx as Context & { file?: MulterFile }).file;
    if (!file) throw new AppError('VALIDATION_FAILED', 'the field "file" is missing', [{ path: 'file', message: 'required' }]);
    return file;
  }

  return [
    route({
      method: 'post',
      path: '/api/customers/imports',
      tag: 'customer-imports',
      summary: `Upload an xlsx or csv file of customers (multipart field "file", at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB); it is imported in the background`,
      permission: 'customer:import',
      response: customerImport,
      handler: async ({ actor, ctx }) => {
        const file = await readUpload(ctx);
        return imports.upload(actor, { path: file.path, originalName: file.originalname, size: file.size });
      },
    }),
    route({
      method: 'get',
      path: '/api/customers/imports',
      tag: 'customer-imports',
      summary: 'Imports in your data scope, newest first, with their progress',
      permission: 'customer:import',
      query: importListQuery,
      response: pageSchema(customerImport),
      handler: async ({ actor, query }) => {
        const { items, total } = await imports.list(actor, toOffset(query));
        return pageOf(items, total, query);
      },
    }),
    route({
      method: 'get',
      path: '/api/customers/imports/template',
      tag: 'customer-imports',
      summary: 'The import template (xlsx with a help sheet, or csv), with the custom fields as columns',
      permission: 'customer:import',
      query: templateQuery,
      raw: true,
      handler: async ({ actor, query, ctx }) => sendFile(ctx, await importTemplate(models, actor, query.format, query.lang)),
    }),
    route({
      method: 'get',
      path: '/api/customers/imports/:id',
      tag: 'customer-imports',
      summary: 'One import: status, processed/total rows, created/updated/unchanged/failed counts',
      permission: 'customer:import',
      params: idParams,
      response: customerImport,
      handler: ({ actor, params }) => imports.get(actor, params.id),
    }),
    route({
      method: 'get',
      path: '/api/customers/imports/:id/errors',
      tag: 'customer-imports',
      summary: 'The per-row error report of an import (row number, column, value, reason)',
      permission: 'customer:import',
      params: idParams,
      query: errorReportQuery,
      raw: true,
      handler: async ({ actor, params, query, ctx }) => {
        const run = await imports.find(actor, params.id);
        await audit.record({ action: 'customer.import_errors_downloaded', targetType: 'customer_import', targetId: params.id, storeId: run.store_id, after: { format: query.format, failedRows: Number(run.failed_count) } });
        sendFile(ctx, errorReport(models, run, query.format, query.lang));
      },
    }),
  ];
}
