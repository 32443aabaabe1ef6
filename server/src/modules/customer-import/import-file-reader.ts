import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { ImportFormat } from './customer-import.models';

/** One row of the file: its row number as a spreadsheet shows it (header = 1) and its cells as text. */
export interface SheetRow {
  rowNo: number;
  cells: string[];
}

export type CsvEncoding = 'utf-8' | 'gb18030';

export interface ReadOptions {
  format: ImportFormat;
  /** CSV only: how the bytes are decoded. */
  encoding?: CsvEncoding | null;
}

/** Thrown for a file we cannot read at all; the message is meant for the importer. */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
}

/**
 * The encoding of a CSV file: UTF-8 (with or without BOM) when every byte sequence is valid UTF-8,
 * otherwise GB18030 (a superset of GBK, what Excel writes on Chinese Windows). UTF-16 files (Excel's
 * "Unicode text") are refused with a hint.
 */
export async function detectCsvEncoding(path: string): Promise<CsvEncoding> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      const bytes = chunk as Buffer;
      if (first && bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
        throw new UnreadableFileError('the file is UTF-16 text; save it as "CSV UTF-8" or as an Excel workbook (.xlsx)');
      }
      first = false;
      utf8.decode(bytes, { stream: true });
    }
    utf8.decode();
    return 'utf-8';
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    return 'gb18030';
  }
}

/** A stream decoding bytes to text; a UTF-8 BOM is dropped. */
function decoder(encoding: CsvEncoding) {
  const text = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

/** Comma unless the first line is clearly tab- or semicolon-separated. */
async function sniffDelimiter(path: string, encoding: CsvEncoding): Promise<string> {
  const stream = createReadStream(path, { start: 0, end: 8191 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const firstLine = new TextDecoder(encoding).decode(Buffer.concat(chunks)).split(/\r?\n/, 1)[0] ?? '';
  const count = (char: string) => firstLine.split(char).length - 1;
  const candidates = [',', '\t', ';'].map((char) => ({ char, n: count(char) }));
  const best = candidates.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.char : ',';
}

async function* csvRows(path: string, encoding: CsvEncoding): AsyncGenerator<SheetRow> {
  const delimiter = await sniffDelimiter(path, encoding);
  const parser = createReadStream(path, { highWaterMark: 256 * 1024 })
    .pipe(decoder(encoding))
    .pipe(parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true }));
  let rowNo = 0;
  try {
    for await (const record of parser) {
      rowNo += 1;
      yield { rowNo, cells: record as string[] };
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')) {
      throw new UnreadableFileError(`the CSV file is malformed after row ${rowNo}: ${error.message}`);
    }
    throw error;
  }
}

/** Text of an exceljs cell value: rich text, hyperlinks and formulas become what the cell shows. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return '';
  return '';
}

async function* xlsxRows(path: string): AsyncGenerator<SheetRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  try {
    // Only the first worksheet is read.
    for await (const worksheet of workbook) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        // row.values is 1-based: index 0 is empty.
        const cells: string[] = [];
        for (let i = 1; i < values.length; i += 1) cells.push(cellText(values[i]));
        yield { rowNo: row.number, cells };
      }
      return;
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new UnreadableFileError(`the file is not a readable Excel workbook (.xlsx): ${message}`);
  }
}

/** Every row of the file's first sheet, header included, read as a stream. */
export function readSheetRows(path: string, options: ReadOptions): AsyncGenerator<SheetRow> {
  return options.format === 'xlsx' ? xlsxRows(path) : csvRows(path, options.encoding ?? 'utf-8');
}

export const isBlankRow = (row: SheetRow) => row.cells.every((cell) => cell === '');

/** The header: the first row that is not blank. */
export async function readHeader(path: string, options: ReadOptions): Promise<SheetRow | null> {
  const rows = readSheetRows(path, options);
  try {
    for await (const row of rows) if (!isBlankRow(row)) return row;
    return null;
  } finally {
    await rows.return(undefined);
  }
}

/** Number of non-blank data rows (after the header), for progress. */
export async function countDataRows(path: string, options: ReadOptions): Promise<number> {
  let rows = 0;
  let header = false;
  for await (const row of readSheetRows(path, options)) {
    if (isBlankRow(row)) continue;
    if (header) rows += 1;
    else header = true;
  }
  return rows;
}
