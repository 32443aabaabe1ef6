import { PassThrough, type Writable } from 'node:stream';
import type { Context } from 'koa';
import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { idParams, pageSchema } from '../../core/http/pagination';
import { XLSX_TYPE } from './settlement-export';
import type { SettlementModule } from './settlement.module';
import {
  disputeBody,
  draftBody,
  earningsQuery,
  lineItem,
  lineQuery,
  payeeBody,
  payeeItem,
  payeeListQuery,
  payeePatch,
  periodItem,
  previewBody,
  publishBody,
  reasonBody,
  reportQuery,
  resolveBody,
  ruleSetBody,
  statementItem,
  statementQuery,
  versionParams,
} from './settlement.schemas';

const tag = 'settlement';
const base = '/api/settlement';

function sendXlsx(ctx: Context, file: { fileName: string; write(out: Writable): Promise<void> }) {
  const body = new PassThrough();
  ctx.type = XLSX_TYPE;
  ctx.attachment(file.fileName);
  ctx.body = body;
  file.write(body).catch((error: unknown) => body.destroy(error instanceof Error ? error : new Error(String(error))));
}

export function settlementRoutes(module: SettlementModule) {
  const { payees, ruleSets, periods, close, statements, lines, adjustments, reports, me, exports } = module;
  return [
    route({ method: 'get', path: `${base}/facts`, tag, summary: 'The documented job facts rule conditions may read, with paths (including node form fields of published flows)', permission: 'settlement:read', handler: () => module.facts() }),

    route({ method: 'get', path: `${base}/payees`, tag, summary: 'Payees in your scope', permission: 'settlement:read', query: payeeListQuery, response: pageSchema(payeeItem), handler: ({ actor, query }) => payees.list(actor, query) }),
    route({ method: 'post', path: `${base}/payees`, tag, summary: 'Create a payee (dealers serve a region)', permission: 'settlement:write', body: payeeBody, response: payeeItem, handler: ({ actor, body }) => payees.create(actor, body) }),
    route({ method: 'patch', path: `${base}/payees/:id`, tag, summary: 'Rename a payee, allow negative carry-forward, or deactivate it', permission: 'settlement:write', params: idParams, body: payeePatch, response: payeeItem, handler: ({ actor, params, body }) => payees.update(actor, params.id, body) }),

    route({ method: 'get', path: `${base}/rule-sets`, tag, summary: 'Rule sets with their latest published version', permission: 'settlement:read', handler: () => ruleSets.list() }),
    route({ method: 'post', path: `${base}/rule-sets`, tag, summary: 'Create a rule set for a payee kind (empty draft)', permission: 'settlement:write', body: ruleSetBody, handler: ({ actor, body }) => ruleSets.create(actor, body) }),
    route({ method: 'get', path: `${base}/rule-sets/:id`, tag, summary: 'A rule set: its draft and published versions', permission: 'settlement:read', params: idParams, handler: ({ params }) => ruleSets.detail(params.id) }),
    route({ method: 'get', path: `${base}/rule-sets/:id/versions/:versionId`, tag, summary: 'One published version of a rule set', permission: 'settlement:read', params: versionParams, handler: ({ params }) => ruleSets.version(params.id, params.versionId) }),
    route({ method: 'put', path: `${base}/rule-sets/:id/draft`, tag, summary: 'Save the draft (409 on a stale draftVersion, 422 with details on invalid rules)', permission: 'settlement:write', params: idParams, body: draftBody, handler: ({ actor, params, body }) => ruleSets.saveDraft(actor, params.id, body) }),
    route({ method: 'post', path: `${base}/rule-sets/:id/publish`, tag, summary: 'Publish the draft as a new version effective from a date (not in a closed period)', permission: 'settlement:write', params: idParams, body: publishBody, handler: ({ actor, params, body }) => ruleSets.publish(actor, params.id, body.effectiveFrom) }),
    route({ method: 'post', path: `${base}/rule-sets/:id/preview`, tag, summary: "Apply the draft to a period's jobs and compare with the published versions per payee; writes nothing", permission: 'settlement:write', params: idParams, body: previewBody, handler: ({ params, body }) => module.preview.preview(params.id, body.periodId) }),

    route({ method: 'get', path: `${base}/periods`, tag, summary: 'Settlement periods with job counts and totals', permission: 'settlement:read', response: z.array(periodItem), handler: ({ actor }) => reports.periods(actor) }),
    route({ method: 'get', path: `${base}/periods/:id`, tag, summary: 'One settlement period', permission: 'settlement:read', params: idParams, response: periodItem, handler: ({ actor, params }) => reports.period(actor, params.id) }),
    route({
      method: 'post',
      path: `${base}/periods/:id/close`,
      tag,
      summary: 'Close a period in the background: recompute, rebates, statements, lines hash',
      permission: 'settlement:close',
      params: idParams,
      raw: true,
      handler: async ({ actor, params, ctx }) => {
        ctx.status = 202;
        ctx.body = { code: 0, data: await close.start(actor, params.id) };
      },
    }),
    route({ method: 'post', path: `${base}/periods/:id/verify`, tag, summary: 'Recompute a closed period from its inputs without writing and compare the lines hash', permission: 'settlement:close', params: idParams, handler: ({ params }) => close.verify(params.id) }),
    route({ method: 'get', path: `${base}/periods/:id/export`, tag, summary: "A period's statements and lines as xlsx", permission: 'settlement:read', params: idParams, raw: true, handler: async ({ actor, params, ctx }) => sendXlsx(ctx, await exports.period(actor, params.id)) }),

    route({ method: 'get', path: `${base}/statements`, tag, summary: "A period's statements (computed live from provisional lines while it is open)", permission: 'settlement:read', query: statementQuery, response: pageSchema(statementItem), handler: async ({ actor, query }) => statements.list(actor, await periods.get(query.periodId), query) }),
    route({ method: 'get', path: `${base}/statements/:id`, tag, summary: 'One statement', permission: 'settlement:read', params: idParams, response: statementItem, handler: ({ actor, params }) => statements.get(actor, params.id) }),
    route({ method: 'get', path: `${base}/statements/:id/export`, tag, summary: "A statement's lines as xlsx", permission: 'settlement:read', params: idParams, raw: true, handler: async ({ actor, params, ctx }) => sendXlsx(ctx, await exports.statement(actor, params.id)) }),

    route({ method: 'get', path: `${base}/lines`, tag, summary: 'Lines in your scope, filtered by period, payee, work order or dispute', permission: 'settlement:read', query: lineQuery, response: pageSchema(lineItem), handler: ({ actor, query }) => lines.list(actor, query) }),
    route({ method: 'post', path: `${base}/lines/:id/dispute`, tag, summary: 'Hold a line with a comment (excluded from payable until resolved)', permission: 'settlement:write', params: idParams, body: disputeBody, handler: ({ actor, params, body }) => lines.dispute(actor, params.id, body.comment) }),
    route({ method: 'post', path: `${base}/lines/:id/resolve`, tag, summary: 'Resolve a dispute, optionally with an adjustment in the open period', permission: 'settlement:write', params: idParams, body: resolveBody, handler: ({ actor, params, body }) => lines.resolve(actor, params.id, body) }),

    route({ method: 'post', path: `${base}/work-orders/:id/refund`, tag, summary: 'Refund a job: before close its lines go; after close reversal lines in the open period', permission: 'settlement:write', params: idParams, body: reasonBody, handler: async ({ actor, params, body }) => ({ lines: await lines.present(await adjustments.refund(actor, params.id, body.reason)) }) }),
    route({ method: 'post', path: `${base}/work-orders/:id/reprice`, tag, summary: 'Re-price a job: before close its lines are replaced; after close adjustment lines per rule difference', permission: 'settlement:write', params: idParams, body: reasonBody, handler: async ({ actor, params, body }) => ({ lines: await lines.present(await adjustments.reprice(actor, params.id, body.reason)) }) }),
    route({ method: 'post', path: `${base}/work-orders/:id/complaints`, tag, summary: 'Record a complaint about a job and re-price it', permission: 'settlement:write', params: idParams, body: reasonBody, handler: async ({ actor, params, body }) => ({ lines: await lines.present(await adjustments.complain(actor, params.id, body.reason)) }) }),

    route({ method: 'get', path: `${base}/reports`, tag, summary: 'Period totals by technician, region, product line or source', permission: 'settlement:read', query: reportQuery, handler: ({ actor, query }) => reports.report(actor, query.periodId, query.groupBy) }),
    route({ method: 'get', path: `${base}/me/earnings`, tag, summary: 'Your earnings per job with the breakdown and the running total (current open period by default)', permission: 'settlement:read', query: earningsQuery, handler: ({ actor, query }) => me.earnings(actor, query.periodId) }),
    route({ method: 'get', path: `${base}/me/statements`, tag, summary: 'Your statements of closed periods', permission: 'settlement:read', handler: ({ actor }) => me.statements(actor) }),
  ];
}
