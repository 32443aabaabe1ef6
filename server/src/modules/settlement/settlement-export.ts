import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import { notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { formatYuan } from './engine';
import type { Lines, LineView } from './settlement-lines';
import type { Periods } from './settlement-periods';
import type { Statements } from './settlement-statements';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BATCH = 2000;

const lineColumns = [
  { header: '收款方', width: 18 },
  { header: '工单号', width: 22 },
  { header: '完成日期', width: 12 },
  { header: '规则', width: 16 },
  { header: '规则集版本', width: 18 },
  { header: '公式', width: 48 },
  { header: '金额(元)', width: 12 },
  { header: '状态', width: 10 },
  { header: '争议', width: 24 },
];
const stateName: Record<string, string> = { provisional: '暂估', final: '已结' };
const disputeName = (l: LineView) => (l.disputeStatus === 'open' ? `争议中：${l.disputeComment ?? ''}` : l.disputeStatus === 'resolved' ? `已解决：${l.disputeResolution ?? ''}` : '');
const lineCells = (l: LineView) => [l.payeeName, l.orderNo ?? '', l.completedOn ?? '', l.ruleName, l.ruleSetCode ? `${l.ruleSetCode} v${l.ruleSetVersion}` : '', l.formula, Number(formatYuan(l.amountFen)), stateName[l.state] ?? l.state, disputeName(l)];

/** Statement and period workbooks, streamed: rows are committed as they are read and leave memory. */
export function createExports(deps: { models: Models; lines: Lines; statements: Statements; periods: Periods }) {
  const { models, lines, statements, periods } = deps;

  async function writeLines(sheet: ExcelJS.Worksheet, actor: Actor, where: Record<string, unknown>) {
    sheet.columns = lineColumns.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (let afterId = 0; ; ) {
      const rows = await models.Line.findAll({ where: await lines.scopedWhere(actor, { ...where, id: { [Op.gt]: afterId } }), order: [['id', 'ASC']], limit: BATCH, raw: true });
      if (!rows.length) break;
      for (const line of await lines.present(rows)) sheet.addRow(lineCells(line)).commit();
      afterId = Number(rows[rows.length - 1]?.id);
    }
    sheet.commit();
  }

  return {
    async statement(actor: Actor, id: number) {
      const statement = await statements.get(actor, id);
      return {
        fileName: `statement-${statement.periodCode}-${statement.payeeId}.xlsx`,
        async write(out: Writable) {
          const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
          await writeLines(workbook.addWorksheet('明细'), actor, { period_id: statement.periodId, payee_id: statement.payeeId });
          await workbook.commit();
        },
      };
    },

    async period(actor: Actor, periodId: number) {
      const period = await periods.get(periodId);
      const all = await statements.list(actor, period, { page: 1, pageSize: 1_000_000 });
      if (!period) throw notFound('settlement period', periodId);
      return {
        fileName: `settlement-${period.code}.xlsx`,
        async write(out: Writable) {
          const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
          const summary = workbook.addWorksheet('对账单');
          summary.columns = ['收款方', '类型', '期初(元)', '明细合计(元)', '争议暂扣(元)', '应付(元)', '结转(元)', '明细数'].map((header) => ({ header, width: 14 }));
          summary.getRow(1).font = { bold: true };
          for (const s of all.items) summary.addRow([s.payeeName, s.payeeKind, ...[s.openingBalanceFen, s.linesTotalFen, s.heldFen, s.payableFen, s.carriedFen].map((fen) => Number(formatYuan(fen))), s.lineCount]).commit();
          summary.commit();
          await writeLines(workbook.addWorksheet('明细'), actor, { period_id: periodId });
          await workbook.commit();
        },
      };
    },
  };
}
