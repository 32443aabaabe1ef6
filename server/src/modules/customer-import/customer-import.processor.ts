import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit/audit.service';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { CustomerImportRow } from './customer-import.models';
import { writeChunk, type RequiredFields } from './import-chunk-writer';
import { mapColumns, type ColumnMap } from './import-columns';
import { countDataRows, isBlankRow, readSheetRows, UnreadableFileError, type CsvEncoding } from './import-file-reader';
import type { CheckedOutFile, ImportFileStore } from './import-file-store';
import { loadImportReference, validateRow, type ParsedRow, type RowProblem } from './import-row-validator';

export interface ProcessorDeps {
  db: Database;
  models: Models;
  phone: PiiField;
  address: PiiField;
  timeline: TimelineWriter;
  audit: AuditService;
  log: Logger;
  files: ImportFileStore;
}

export interface ProcessOptions {
  /** Rows per transaction. */
  chunkSize?: number;
  /** Stop (as a crash would) after this many committed chunks; the next run resumes. */
  chunkLimit?: number;
  /** Called after each committed chunk (keeps a job's lease). */
  onProgress?: () => Promise<void>;
}

export type ProcessOutcome = 'done' | 'paused' | 'skipped';

const DEFAULT_CHUNK = 1000;

/** Another run of the same import committed past our cursor (a lease that ran out while we worked). */
class SupersededError extends Error {
  override readonly name = 'SupersededError';
}

/**
 * Imports one uploaded file, resumably: rows are read as a stream, validated and written a chunk
 * per transaction; each transaction also moves the import's cursor to its last row. A run that
 * stops anywhere (crash, restart, `chunkLimit`) carries on after the last committed row, so no row
 * is written twice.
 */
export function createImportProcessor(deps: ProcessorDeps) {
  const { db, models, audit, log } = deps;

  const update = (id: number, changes: Partial<CustomerImportRow>) => models.CustomerImport.update(changes, { where: { id } });

  async function finish(run: CustomerImportRow, status: 'done' | 'failed', error: string | null) {
    const finished = { status, error, finished_at: new Date() } as const;
    const recorded = await db.transaction(async (tx) => {
      // Whoever finishes first records it; a second runner reaching the end too changes nothing.
      const [changed] = await models.CustomerImport.update(finished, { where: { id: run.id, status: ['queued', 'running'] }, transaction: tx });
      if (!changed) return false;
      const current = await models.CustomerImport.findByPk(run.id, { raw: true, transaction: tx });
      await audit.record(
        {
          action: status === 'done' ? 'customer.import_finished' : 'customer.import_failed',
          targetType: 'customer_import',
          targetId: Number(run.id),
          storeId: run.store_id,
          actor: { id: run.created_by, name: run.created_by_name },
          after: {
            fileName: run.file_name,
            totalRows: current?.total_rows ?? null,
            created: current?.created_count ?? 0,
            updated: current?.updated_count ?? 0,
            unchanged: current?.unchanged_count ?? 0,
            failed: current?.failed_count ?? 0,
            ...(error && { error }),
          },
        },
        tx,
      );
      return true;
    });
    if (!recorded) return;
    // The file holds personal data in clear; once imported it is not kept.
    if (status === 'done') await deps.files.remove(run.file_path);
    log.info({ importId: Number(run.id), status }, 'customer import finished');
  }

  async function processImport(importId: number, options: ProcessOptions = {}): Promise<ProcessOutcome> {
    const loaded = await models.CustomerImport.findByPk(importId, { raw: true });
    if (!loaded || loaded.status === 'done' || loaded.status === 'failed') return 'skipped';
    const run: CustomerImportRow = { ...loaded, id: Number(loaded.id) };
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
    if (run.status !== 'running') await update(run.id, { status: 'running', started_at: run.started_at ?? new Date() });

    const readOptions = { format: run.format, encoding: run.encoding as CsvEncoding | null };
    let file: CheckedOutFile | null = null;
    try {
      file = await deps.files.checkout(run.file_path, `${run.id}.${run.format}`);
      const { path } = file;
      const defs = await models.CustomerFieldDef.findAll({ raw: true });
      const ref = await loadImportReference(models, run);
      if (run.total_rows === null) {
        run.total_rows = await countDataRows(path, readOptions);
        await update(run.id, { total_rows: run.total_rows });
      }
      let columns: ColumnMap | null = null;
      let required: RequiredFields = [];
      let rows: ParsedRow[] = [];
      let problems: RowProblem[] = [];
      let lastRowNo = run.cursor_row;
      let committedRow = run.cursor_row;
      let pending = 0;
      let chunks = 0;
      const totals = { processed: run.processed_rows, created: run.created_count, updated: run.updated_count, unchanged: run.unchanged_count, failed: run.failed_count };

      const commit = async () => {
        const chunkRows = rows;
        const chunkProblems = problems;
        const chunkPending = pending;
        const cursor = lastRowNo;
        rows = [];
        problems = [];
        pending = 0;
        const next = await db.transaction(async (tx) => {
          // Exactly once even if two runners hold the same import: the chunk commits only on top of the
          // cursor it was read after.
          const current = await models.CustomerImport.findByPk(run.id, { attributes: ['cursor_row'], lock: tx.LOCK.UPDATE, raw: true, transaction: tx });
          if (Number(current?.cursor_row) !== committedRow) throw new SupersededError(`import ${run.id} moved on without this run`);
          const counts = await writeChunk(deps, run, ref, required, chunkRows, chunkProblems, tx);
          const after = {
            processed: totals.processed + chunkPending,
            created: totals.created + counts.created,
            updated: totals.updated + counts.updated,
            unchanged: totals.unchanged + counts.unchanged,
            failed: totals.failed + counts.failed,
          };
          await models.CustomerImport.update(
            { cursor_row: cursor, processed_rows: after.processed, created_count: after.created, updated_count: after.updated, unchanged_count: after.unchanged, failed_count: after.failed },
            { where: { id: run.id }, transaction: tx },
          );
          return after;
        });
        Object.assign(totals, next);
        committedRow = cursor;
        chunks += 1;
        await options.onProgress?.();
      };

      const source = readSheetRows(path, readOptions);
      try {
        for await (const row of source) {
          if (isBlankRow(row)) continue;
          if (!columns) {
            const mapped = mapColumns(row.cells, defs);
            if (mapped.problems.length) throw new UnreadableFileError(mapped.problems.map((p) => `${p.column}: ${p.message}`).join('; '));
            columns = mapped.map;
            const labelOf = new Map(columns.custom.map((c) => [c.def.field_key, columns?.labels[c.index] ?? c.def.label]));
            required = defs.filter((d) => d.required).map((d) => ({ key: d.field_key, label: labelOf.get(d.field_key) ?? d.label }));
            continue;
          }
          if (row.rowNo <= run.cursor_row) continue;
          const result = validateRow(row, columns, ref);
          if ('row' in result) rows.push(result.row);
          else problems.push(...result.problems);
          pending += 1;
          lastRowNo = row.rowNo;
          if (pending >= chunkSize) {
            await commit();
            if (options.chunkLimit !== undefined && chunks >= options.chunkLimit) return 'paused';
          }
        }
      } finally {
        await source.return(undefined);
      }
      if (pending) await commit();
      if (!columns) throw new UnreadableFileError('the file is empty');
      await finish(run, 'done', null);
      return 'done';
    } catch (error) {
      if (error instanceof UnreadableFileError) {
        await finish(run, 'failed', error.message);
        return 'done';
      }
      if (error instanceof SupersededError) {
        log.warn({ importId: run.id }, 'another run of this import is ahead; this one stops');
        return 'skipped';
      }
      throw error;
    } finally {
      await file?.release();
    }
  }

  return {
    process: processImport,
    /** Marks an import failed for good (its job ran out of attempts). */
    fail: async (importId: number, message: string) => {
      const run = await models.CustomerImport.findByPk(importId, { raw: true });
      if (run && run.status !== 'done' && run.status !== 'failed') await finish({ ...run, id: Number(run.id) }, 'failed', message);
    },
  };
}

export type ImportProcessor = ReturnType<typeof createImportProcessor>;
