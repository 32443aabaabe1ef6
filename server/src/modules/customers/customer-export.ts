import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { CustomerItem } from './customer-present';

export type ExportFormat = 'xlsx' | 'csv';

/** At most this many customers per export; a larger result is refused so the user narrows the filter. */
export const EXPORT_LIMIT = 100_000;

export const exportColumns = [
  { key: 'id', header: 'id', width: 10 },
  { key: 'name', header: 'name', width: 20 },
  { key: 'phone', header: 'phone', width: 16 },
  { key: 'address', header: 'address', width: 36 },
  { key: 'store', header: 'store', width: 16 },
  { key: 'stage', header: 'stage', width: 12 },
  { key: 'status', header: 'status', width: 10 },
  { key: 'tags', header: 'tags', width: 30 },
  { key: 'follow_users', header: 'follow_users', width: 30 },
  { key: 'external_userid', header: 'external_userid', width: 34 },
  { key: 'added_at', header: 'added_at', width: 26 },
  { key: 'created_at', header: 'created_at', width: 26 },
] as const;

const cellsOf = (c: CustomerItem) => [
  c.id,
  c.name,
  c.phone ?? '',
  c.address ?? '',
  c.storeName ?? '',
  c.stageName?.['zh-CN'] ?? c.stage,
  c.status,
  c.tags.map((t) => t.name).join(', '),
  c.follows.map((f) => f.name ?? f.wecomUserid).join(', '),
  c.externalUserid ?? '',
  c.addedAt ?? '',
  c.createdAt,
];

export const exportFileName = (format: ExportFormat, at = new Date()) => `customers-${at.toISOString().slice(0, 10)}.${format}`;

export const exportContentType: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Writes batches of customers to `out` as they arrive: xlsx through ExcelJS's streaming writer (rows
 * are committed and leave memory), CSV with a BOM so spreadsheet programs read UTF-8.
 */
export async function writeCustomerExport(format: ExportFormat, batches: AsyncIterable<CustomerItem[]>, out: Writable): Promise<number> {
  let written = 0;
  if (format === 'csv') {
    const csv = stringify({ header: true, columns: exportColumns.map((c) => c.header), bom: true });
    csv.pipe(out);
    for await (const batch of batches) {
      for (const customer of batch) {
        if (!csv.write(cellsOf(customer))) await new Promise((resume) => csv.once('drain', resume));
        written += 1;
      }
    }
    csv.end();
    return written;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('customers', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = exportColumns.map((c) => ({ key: c.key, header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const batch of batches) {
    for (const customer of batch) {
      sheet.addRow(cellsOf(customer)).commit();
      written += 1;
    }
  }
  sheet.commit();
  await workbook.commit();
  return written;
}
