import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import { withinScope } from '../access/data-scope';
import type { CustomerImportRow } from './customer-import.models';
import { headerNames, standardFields } from './import-columns';
import { reportHeaders, rowProblemCodes, rowProblemText, type ReportLanguage, type RowProblemCode } from './import-messages';

export type ReportFormat = 'xlsx' | 'csv';

export interface FileReply {
  fileName: string;
  contentType: string;
  body: Readable | Buffer;
}

const contentTypes: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

const PAGE = 2000;
const isCode = (value: string): value is RowProblemCode => (rowProblemCodes as readonly string[]).includes(value);

/** The rows of an error report, read a page at a time. */
async function* errorLines(models: Models, importId: number, lang: ReportLanguage): AsyncGenerator<Array<string | number>> {
  let after = 0;
  for (;;) {
    const page = await models.CustomerImportError.findAll({ where: { import_id: importId, id: { [Op.gt]: after } }, order: [['id', 'ASC']], limit: PAGE, raw: true });
    for (const error of page) yield [error.row_no, error.column_name ?? '', error.value ?? '', isCode(error.reason) ? rowProblemText[lang][error.reason] : error.reason];
    const last = page[page.length - 1];
    if (!last || page.length < PAGE) return;
    after = Number(last.id);
  }
}

/** Streams a sheet (header row, then rows) as xlsx or csv without holding it in memory. */
function streamSheet(format: ReportFormat, sheetName: string, header: string[], lines: AsyncIterable<Array<string | number>>): Readable {
  if (format === 'csv') return Readable.from(lines).pipe(stringify({ header: true, columns: header, bom: true }));
  const out = new PassThrough();
  void (async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet(sheetName);
    sheet.addRow(header).commit();
    for await (const line of lines) sheet.addRow(line).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** Row number, column, value and reason of every row that was not imported. */
export function errorReport(models: Models, run: CustomerImportRow, format: ReportFormat, lang: ReportLanguage): FileReply {
  const h = reportHeaders[lang];
  const base = run.file_name.replace(/\.[^.]+$/, '');
  return {
    fileName: `${base}-${lang === 'zh-CN' ? '错误报告' : 'errors'}.${format}`,
    contentType: contentTypes[format],
    body: streamSheet(format, lang === 'zh-CN' ? '错误' : 'Errors', [h.row, h.column, h.value, h.reason], errorLines(models, Number(run.id), lang)),
  };
}

const fieldTypeText: Record<ReportLanguage, Record<string, string>> = {
  'zh-CN': { text: '文本', number: '数字', date: '日期 YYYY-MM-DD', select: '单选', multiselect: '多选（逗号分隔）' },
  'en-US': { text: 'text', number: 'number', date: 'date YYYY-MM-DD', select: 'one option', multiselect: 'options, comma separated' },
};

const helpText: Record<ReportLanguage, { sheet: string; help: string; lines: string[]; stores: string; stages: string; tags: string; fields: string }> = {
  'zh-CN': {
    sheet: '客户',
    help: '说明',
    lines: [
      '第一行是表头，可用中文或英文列名；姓名必填，其他列可留空（留空表示不修改）。',
      '按外部联系人ID、或同一门店内的手机号识别已有客户：已有则更新，没有则新建；重复上传同一文件不会产生重复客户。',
      '门店编码须在你的数据范围内；标签须已存在，多个用逗号分隔；阶段可填编码或名称。',
      '手机号示例：13800138000；日期示例：2024-03-05。',
    ],
    stores: '门店编码 / 门店',
    stages: '阶段编码 / 名称',
    tags: '标签（标签组/标签）',
    fields: '自定义字段 / 类型 / 可选项',
  },
  'en-US': {
    sheet: 'Customers',
    help: 'Help',
    lines: [
      'The first row is the header, in Chinese or English; Name is required, other columns may be empty (empty means "leave as is").',
      'Existing customers are recognised by External ID, or by phone within the same store: they are updated, others created. Uploading the same file again creates no duplicates.',
      'Store codes must be in your data scope; tags must exist (comma separated); stage may be its code or its name.',
      'Phone example: 13800138000; date example: 2024-03-05.',
    ],
    stores: 'Store code / store',
    stages: 'Stage code / name',
    tags: 'Tags (group/tag)',
    fields: 'Custom field / type / options',
  },
};

/** The import template: the header row, and a help sheet listing the stores, stages, tags and custom fields one may use. */
export async function importTemplate(models: Models, actor: Actor, format: ReportFormat, lang: ReportLanguage): Promise<FileReply> {
  const defs = await models.CustomerFieldDef.findAll({ order: [['sort_order', 'ASC'], ['id', 'ASC']], raw: true });
  const header = [...standardFields.map((field) => headerNames[field][lang]), ...defs.map((d) => d.label)];
  const fileName = `${lang === 'zh-CN' ? '客户导入模板' : 'customer-import-template'}.${format}`;
  if (format === 'csv') {
    const csv = await new Promise<string>((done, fail) => stringify([header], { bom: true }, (error, output) => (error ? fail(error) : done(output))));
    return { fileName, contentType: contentTypes.csv, body: Buffer.from(csv, 'utf8') };
  }
  const [stores, stages, groups, tags] = await Promise.all([
    models.Store.findAll({ where: withinScope(actor, { store: 'id', region: 'region_id' }), order: [['code', 'ASC']], raw: true }),
    models.CustomerStage.findAll({ order: [['sort_order', 'ASC']], raw: true }),
    models.TagGroup.findAll({ raw: true }),
    models.Tag.findAll({ order: [['group_id', 'ASC'], ['sort_order', 'ASC']], raw: true }),
  ]);
  const text = helpText[lang];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(text.sheet);
  sheet.addRow(header).font = { bold: true };
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  // Phones and codes are text: Excel must not turn them into numbers.
  sheet.getColumn(2).numFmt = '@';
  sheet.getColumn(4).numFmt = '@';
  const help = workbook.addWorksheet(text.help);
  help.getColumn(1).width = 40;
  help.getColumn(2).width = 40;
  help.getColumn(3).width = 40;
  for (const line of text.lines) help.addRow([line]);
  const section = (title: string, rows: string[][]) => {
    help.addRow([]);
    help.addRow([title]).font = { bold: true };
    for (const row of rows) help.addRow(row);
  };
  const groupName = new Map(groups.map((g) => [Number(g.id), g.name]));
  section(text.stores, stores.map((s) => [s.code, s.name]));
  section(text.stages, stages.map((s) => [s.code, lang === 'zh-CN' ? s.name_zh : s.name_en]));
  section(text.tags, tags.map((t) => [`${groupName.get(Number(t.group_id)) ?? ''}/${t.name}`]));
  section(
    text.fields,
    defs.map((d) => [`${d.label} (${d.field_key})`, fieldTypeText[lang][d.field_type] ?? d.field_type, d.options ? (JSON.parse(d.options) as string[]).join(', ') : '']),
  );
  return { fileName, contentType: contentTypes.xlsx, body: Buffer.from(await workbook.xlsx.writeBuffer()) };
}
