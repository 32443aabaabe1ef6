import { createWriteStream, openAsBlob } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import type { TestServer } from '../../testing/test-server';
import type { CustomerImportView } from './customer-import.schemas';

export interface Reply<T> {
  status: number;
  body: { code: number | string; data: T; message?: string; details?: unknown };
}

/** Uploads bytes (or a Blob) as multipart/form-data field "file", as the console does. */
export async function uploadFile(server: TestServer, token: string, fileName: string, bytes: Uint8Array | string | Blob): Promise<Reply<CustomerImportView>> {
  const form = new FormData();
  form.append('file', bytes instanceof Blob ? bytes : new Blob([typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes]), fileName);
  const response = await fetch(`${server.baseUrl}/api/customers/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: (await response.json()) as Reply<CustomerImportView>['body'] };
}

export async function getImport(server: TestServer, token: string, id: number): Promise<CustomerImportView> {
  const reply = await server.api<{ data: CustomerImportView }>('GET', `/api/customers/imports/${id}`, { token });
  if (reply.status !== 200) throw new Error(`GET import ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data;
}

/** Downloads a file endpoint as bytes. */
export async function downloadBytes(server: TestServer, token: string, path: string): Promise<{ status: number; type: string; disposition: string; bytes: Buffer }> {
  const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', disposition: response.headers.get('content-disposition') ?? '', bytes: Buffer.from(await response.arrayBuffer()) };
}

export const csvOf = (rows: Array<Array<string | number>>) => rows.map((row) => row.map((cell) => (/[",\n]/.test(String(cell)) ? `"${String(cell).replace(/"/g, '""')}"` : String(cell))).join(',')).join('\r\n');

export async function xlsxOf(rows: Array<Array<ExcelJS.CellValue>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function sheetRows(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0]?.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

let gbkTable: Map<string, number[]> | null = null;

/** Encodes text as GBK (as Excel on Chinese Windows saves CSV), by inverting the platform's GBK decoder. */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead += 1) {
      for (let trail = 0x40; trail <= 0xfe; trail += 1) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(Uint8Array.of(lead, trail));
        if (char.length === 1 && char !== '\ufffd' && !gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else {
      const pair = gbkTable.get(char);
      if (!pair) throw new Error(`no GBK code for ${char}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

/**
 * Writes a large customer CSV to disk a line at a time: name, phone, address, store code, stage, tags,
 * remark; one row in `badEvery` has a malformed phone.
 */
export async function writeCustomerCsv(path: string, rows: number, options: { storeCodes: string[]; badEvery?: number; phonePrefix?: string }): Promise<void> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('\ufeff姓名,手机号,地址,门店编码,阶段,标签,备注\r\n');
  const prefix = options.phonePrefix ?? '135';
  const stages = ['新客户', 'contacted', '有意向', ''];
  for (let i = 1; i <= rows; i += 1) {
    const phone = options.badEvery && i % options.badEvery === 0 ? `${prefix}x${i}` : `${prefix}${String(i).padStart(8, '0')}`;
    await write(`客户${i},${phone},上海市徐汇区漕溪北路 ${i} 号,${options.storeCodes[i % options.storeCodes.length]},${stages[i % stages.length]},,批量导入 ${i}\r\n`);
  }
  out.end();
  await once(out, 'finish');
}

export const fileBlob = (path: string) => openAsBlob(path);
