import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { BlobStorage } from '../../core/storage/blob-storage';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import type { TimelineWriter } from '../customers/customer-timeline';
import { importScope, type CustomerImportRow, type ImportFormat } from './customer-import.models';
import { createImportProcessor, type ProcessOptions } from './customer-import.processor';
import type { CustomerImportView } from './customer-import.schemas';
import { mapColumns } from './import-columns';
import { detectCsvEncoding, readHeader, UnreadableFileError, type CsvEncoding } from './import-file-reader';
import { createImportFileStore } from './import-file-store';

export const IMPORT_JOB = 'customer-import.process';
const IMPORT_ATTEMPTS = 10;
/** The folder under the data directory where uploads arrive (and, with local storage, are kept). */
export const IMPORT_DIR = 'customer-imports';

export interface UploadedFile {
  /** Where the upload was written (a temporary name under the data directory). */
  path: string;
  originalName: string;
  size: number;
}

const invalidFile = (message: string) => new AppError('VALIDATION_FAILED', message, [{ path: 'file', message }]);

function formatOf(fileName: string): ImportFormat {
  const ext = extname(fileName).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.xls') throw invalidFile('the old Excel format (.xls) is not supported: save the file as .xlsx or CSV');
  throw invalidFile('upload an Excel workbook (.xlsx) or a CSV file (.csv)');
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The upload is on disk for good before anyone is told it was accepted. */
async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function startsLikeZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

export function presentImport(row: CustomerImportRow): CustomerImportView {
  const total = row.total_rows === null ? null : Number(row.total_rows);
  const processed = Number(row.processed_rows);
  const warnings = row.warnings ? (JSON.parse(row.warnings) as { ignoredColumns?: string[] }) : {};
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  return {
    id: Number(row.id),
    fileName: row.file_name,
    format: row.format,
    encoding: row.encoding,
    fileSize: Number(row.file_size),
    status: row.status,
    duplicateOfId: row.duplicate_of_id === null ? null : Number(row.duplicate_of_id),
    createdBy: { id: row.created_by === null ? null : Number(row.created_by), name: row.created_by_name },
    totalRows: total,
    processedRows: processed,
    createdCount: Number(row.created_count),
    updatedCount: Number(row.updated_count),
    unchangedCount: Number(row.unchanged_count),
    failedCount: Number(row.failed_count),
    progress: row.status === 'done' ? 100 : total ? Math.min(100, Math.floor((processed / total) * 100)) : 0,
    ignoredColumns: warnings.ignoredColumns ?? [],
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

/**
 * Customer imports: an upload is put in the blob storage (shared by every instance), recorded, and
 * handed to a durable job that imports it in checkpointed chunks, wherever the job runs. Imports are
 * visible within the importer's data scope.
 */
export function createCustomerImportService(deps: { dataDir: string; storage: BlobStorage; db: Database; models: Models; queue: JobQueue; audit: AuditService; phone: PiiField; address: PiiField; timeline: TimelineWriter; log: Logger }) {
  const { db, models, queue, audit } = deps;
  const imports = scopedQuery<CustomerImportRow>(models.CustomerImport, importScope, 'customer import');
  const files = createImportFileStore({ storage: deps.storage, dataDir: deps.dataDir, folder: IMPORT_DIR });
  const processor = createImportProcessor({ ...deps, files });

  queue.register({
    type: IMPORT_JOB,
    payload: z.object({ importId: z.number().int().positive() }),
    maxAttempts: IMPORT_ATTEMPTS,
    async handle({ importId }, job) {
      try {
        await processor.process(importId, { onProgress: job.renewLease });
      } catch (error) {
        if (job.attempt >= IMPORT_ATTEMPTS) await processor.fail(importId, 'the import kept failing; see the background jobs page for the error');
        throw error;
      }
    },
  });

  async function inspect(file: UploadedFile) {
    const format = formatOf(file.originalName);
    if (file.size === 0) throw invalidFile('the file is empty');
    if (format === 'xlsx' && !(await startsLikeZip(file.path))) throw invalidFile('the file is not a valid Excel workbook (.xlsx)');
    const encoding: CsvEncoding | null = format === 'csv' ? await detectCsvEncoding(file.path) : null;
    const header = await readHeader(file.path, { format, encoding });
    if (!header) throw invalidFile('the file has no rows');
    const { map, problems } = mapColumns(header.cells, await models.CustomerFieldDef.findAll({ raw: true }));
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems.map((p) => `${p.column}: ${p.message}`).join('; '), problems.map((p) => ({ path: `file.columns.${p.column}`, message: p.message })));
    return { format, encoding, ignored: map.ignored };
  }

  return {
    processor,

    async upload(actor: Actor, file: UploadedFile): Promise<CustomerImportView> {
      let storedKey: string | null = null;
      try {
        const { format, encoding, ignored } = await inspect(file).catch((error: unknown) => {
          throw error instanceof UnreadableFileError ? invalidFile(error.message) : error;
        });
        await fsyncFile(file.path);
        const hash = await sha256Of(file.path);
        const earlier = await models.CustomerImport.findOne({ where: imports.where(actor, { file_hash: hash }), order: [['id', 'DESC']], raw: true });
        const key = await files.put(file.path, format);
        storedKey = key;
        const row = await db.transaction(async (tx) => {
          const created = await models.CustomerImport.create(
            {
              file_name: file.originalName.slice(0, 255),
              file_path: key,
              file_hash: hash,
              file_size: file.size,
              format,
              encoding,
              status: 'queued',
              duplicate_of_id: earlier ? Number(earlier.id) : null,
              store_id: actor.storeId,
              region_id: actor.regionId,
              created_by: actor.userId,
              created_by_name: actor.username,
              scope_store_ids: actor.storeIds ? JSON.stringify(actor.storeIds) : null,
              default_store_id: actor.dataScope === 'store' || actor.dataScope === 'self' ? actor.storeId : null,
              owner_user_id: actor.dataScope === 'self' ? actor.userId : null,
              warnings: ignored.length ? JSON.stringify({ ignoredColumns: ignored }) : null,
            },
            { transaction: tx },
          );
          const id = Number(created.get('id'));
          await queue.enqueue(IMPORT_JOB, { importId: id }, { transaction: tx, dedupeKey: `customer-import:${id}` });
          await audit.record(
            {
              action: 'customer.import_uploaded',
              targetType: 'customer_import',
              targetId: id,
              storeId: actor.storeId,
              after: { fileName: file.originalName, size: file.size, format, encoding, sha256: hash, duplicateOfId: earlier ? Number(earlier.id) : null },
            },
            tx,
          );
          return created.get({ plain: true });
        });
        storedKey = null;
        return presentImport(row);
      } finally {
        await rm(file.path, { force: true });
        if (storedKey) await files.remove(storedKey);
      }
    },

    async list(actor: Actor, range: { offset: number; limit: number }) {
      const { rows, total } = await imports.page(actor, {}, range);
      return { items: rows.map(presentImport), total };
    },

    get: async (actor: Actor, id: number) => presentImport(await imports.byId(actor, id)),

    /** The import, checked against the caller's scope (for the error report). */
    find: (actor: Actor, id: number) => imports.byId(actor, id),

    /** Runs (or resumes) an import in this process, as its job would; used by the CLI bench and tests. */
    process: (importId: number, options?: ProcessOptions) => processor.process(importId, options),
  };
}

export type CustomerImportService = ReturnType<typeof createCustomerImportService>;
