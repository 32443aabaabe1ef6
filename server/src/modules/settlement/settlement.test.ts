import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { userIdOf } from '../work-orders/work-order-test-kit';
import { nextPeriodCode } from './settlement-dates';
import { lineHashOf, unpackLineKeys } from './settlement-line-keys';
import { textOfRow } from './settlement-line-rows';
import { publishInstallFlow, settlementKit, thisMonth } from './settlement-test-kit';

describe('settlement over HTTP', () => {
  let server: TestServer;
  let kit: ReturnType<typeof settlementKit>;
  let admin: string;
  let staff: string;
  let tech: string;
  let manager: string;
  let techId: number;
  let month: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    kit = settlementKit(server);
    admin = await server.login('admin');
    staff = await server.login('staff_sh01');
    tech = await server.login('tech_sh01');
    manager = await server.login('manager_sh01');
    techId = await userIdOf(server, 'tech_sh01');
    month = thisMonth();
    await publishInstallFlow(server, admin);
  });
  afterAll(() => server.stop());

  it('prices the worked example: 300 + 50 + 20 for the technician, recycling subsidy for the dealer, a Douyin split 30/50/20', async () => {
    const orderId = await kit.finishInstall(staff, tech, { high_altitude: true, rating: 5, recycled_units: 2 }, { source: 'douyin', amountFen: 100000 });
    await kit.drain();
    const lines = await kit.linesOf(admin, `workOrderId=${orderId}`);
    const amounts = (rule: string) => lines.filter((l) => l.ruleKey === rule).map((l) => l.amountFen);
    expect(lines.every((l) => l.state === 'provisional' && l.lineType === 'job')).toBe(true);
    expect(amounts('base_fee')).toEqual([30000]);
    expect(amounts('high_altitude')).toEqual([5000]);
    expect(amounts('good_rating')).toEqual([2000]);
    expect(amounts('recycling')).toEqual([2000]);
    expect(amounts('channel_split').sort((a, b) => a - b)).toEqual([20000, 30000, 50000]);
    const earnings = await server.api<{ data: { runningTotalFen: number; jobs: Array<{ workOrderId: number; totalFen: number; lines: unknown[] }> } }>('GET', '/api/settlement/me/earnings', { token: tech });
    expect(earnings.body.data.jobs.find((j) => j.workOrderId === orderId)).toMatchObject({ totalFen: 37000 });
  });

  it('prices the 14th and the 16th with the versions in force on each day', async () => {
    const bonus = (fixedFen: number) => ({ rules: [{ key: 'mid_bonus', name: '月中奖励', kind: 'bonus', amount: { fixedFen } }] });
    await kit.publishRules(admin, 'mid_month', 'technician', bonus(1000), `${month}-01`);
    await kit.publishRules(admin, 'mid_month', 'technician', bonus(2000), `${month}-15`);
    const on14 = await kit.bookDated(staff, techId, `${month}-14`, {});
    const on16 = await kit.bookDated(staff, techId, `${month}-16`, {});
    await kit.drain();
    const first = (await kit.linesOf(admin, `workOrderId=${on14}`)).find((l) => l.ruleKey === 'mid_bonus');
    const second = (await kit.linesOf(admin, `workOrderId=${on16}`)).find((l) => l.ruleKey === 'mid_bonus');
    expect(first).toMatchObject({ amountFen: 1000, ruleSetVersion: 1 });
    expect(second).toMatchObject({ amountFen: 2000, ruleSetVersion: 2 });
  });

  it('answers 422 naming the rule when a draft reads an unknown fact, and 409 on a stale draft', async () => {
    const id = await kit.ruleSetId(admin, 'mid_month');
    const current = await server.api<{ data: { draftVersion: number } }>('GET', `/api/settlement/rule-sets/${id}`, { token: admin });
    const bad = { rules: [{ key: 'x', name: 'x', kind: 'bonus', amount: { fixedFen: 1 }, condition: { all: [{ fact: 'weather', operator: 'equal', value: 'sunny' }] } }] };
    const invalid = await server.api<{ details: Array<{ path: string }> }>('PUT', `/api/settlement/rule-sets/${id}/draft`, { token: admin, body: { definition: bad, draftVersion: current.body.data.draftVersion } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.details[0]?.path).toMatch(/^rules\[0\]\.condition/);
    const stale = await server.api('PUT', `/api/settlement/rule-sets/${id}/draft`, { token: admin, body: { definition: { rules: [] }, draftVersion: current.body.data.draftVersion - 1 } });
    expect(stale.status).toBe(409);
  });

  it('previews a draft against the published versions on a period without writing', async () => {
    const id = await kit.ruleSetId(admin, 'technician_fees');
    const detail = await server.api<{ data: { draft: { rules: Array<Record<string, unknown>> }; draftVersion: number } }>('GET', `/api/settlement/rule-sets/${id}`, { token: admin });
    const rules = detail.body.data.draft.rules.map((r) => (r.key === 'good_rating' ? { ...r, amount: { fixedFen: 3000 } } : r));
    await server.api('PUT', `/api/settlement/rule-sets/${id}/draft`, { token: admin, body: { definition: { rules }, draftVersion: detail.body.data.draftVersion } });
    const period = await kit.periodOf(admin, month);
    const linesBefore = (await kit.linesOf(admin, `periodId=${period?.id}`)).length;
    const preview = await server.api<{ data: { totals: { diffFen: number }; payees: Array<{ payeeName: string; diffFen: number }> } }>('POST', `/api/settlement/rule-sets/${id}/preview`, { token: admin, body: { periodId: period?.id } });
    expect(preview.status).toBe(200);
    const goodRatings = (await kit.linesOf(admin, `periodId=${period?.id}`)).filter((l) => l.ruleKey === 'good_rating').length;
    expect(preview.body.data.totals.diffFen).toBe(goodRatings * 1000);
    expect(preview.body.data.payees.find((p) => p.payeeName === '技师李师傅')?.diffFen).toBe(goodRatings * 1000);
    expect((await kit.linesOf(admin, `periodId=${period?.id}`)).length).toBe(linesBefore);
  });

  it('limits a technician to their own earnings and a store manager to their store', async () => {
    const mine = await kit.linesOf(tech, `periodId=${(await kit.periodOf(admin, month))?.id}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((l) => l.payeeName))).toEqual(new Set(['技师李师傅']));
    const payees = await server.api<{ data: { items: Array<{ kind: string; name: string }> } }>('GET', '/api/settlement/payees', { token: manager });
    expect(payees.body.data.items.map((p) => p.kind).sort()).toEqual(['store', 'technician']);
    const all = await server.api<{ data: { items: Array<{ kind: string }> } }>('GET', '/api/settlement/payees', { token: admin });
    expect(all.body.data.items.map((p) => p.kind)).toEqual(expect.arrayContaining(['company', 'dealer', 'store', 'technician']));
  });

  describe('closing the month', () => {
    let periodId: number;
    let disputed: number;
    let closedLineIds: number[];
    let exampleOrder: number;

    it('closes while new jobs complete: none lands in the closed period; held lines do not block the statement', async () => {
      exampleOrder = await kit.finishInstall(staff, tech, { high_altitude: false, rating: 5, recycled_units: 0 }, { source: 'store', amountFen: 50000 });
      await kit.drain();
      const line = (await kit.linesOf(admin, `workOrderId=${exampleOrder}`)).find((l) => l.ruleKey === 'good_rating');
      disputed = Number(line?.id);
      expect((await server.api('POST', `/api/settlement/lines/${disputed}/dispute`, { token: admin, body: { comment: '评分存疑' } })).status).toBe(200);
      periodId = Number((await kit.periodOf(admin, month))?.id);
      // A rule correction from the 1st: the technician fees' lines get the new version at close, the split's stay as they are.
      const feesId = await kit.ruleSetId(admin, 'technician_fees');
      const fees = await server.api<{ data: { versions: Array<{ id: number }> } }>('GET', `/api/settlement/rule-sets/${feesId}`, { token: admin });
      const inForce = await server.api<{ data: { definition: unknown } }>('GET', `/api/settlement/rule-sets/${feesId}/versions/${fees.body.data.versions[0]?.id}`, { token: admin });
      await kit.publishRules(admin, 'technician_fees', 'technician', inForce.body.data.definition, `${month}-01`);
      const splitIds = (await kit.linesOf(admin, `workOrderId=${exampleOrder}`)).filter((l) => l.ruleKey === 'channel_split').map((l) => l.id);

      const racing = Array.from({ length: 4 }, () => kit.finishInstall(staff, tech, { rating: 4 }));
      const close = await server.api<{ data: { jobId: number } }>('POST', `/api/settlement/periods/${periodId}/close`, { token: admin });
      expect(close.status).toBe(202);
      const raced = await Promise.all(racing);
      await kit.drain();

      const period = await kit.periodOf(admin, month);
      expect(period).toMatchObject({ status: 'closed' });
      const closedLines = await kit.linesOf(admin, `periodId=${periodId}`);
      closedLineIds = closedLines.map((l) => l.id);
      expect(closedLines.every((l) => l.state === 'final')).toBe(true);
      const rebate = closedLines.find((l) => l.lineType === 'rebate');
      expect(rebate).toMatchObject({ payeeName: '华东经销商', ruleKey: 'volume_rebate', workOrderId: null });
      expect(rebate?.amountFen).toBeGreaterThan(0);
      const jobs = await server.running.services.models.SettlementJob.findAll({ where: { work_order_id: raced }, raw: true });
      for (const job of jobs) {
        const lines = await kit.linesOf(admin, `workOrderId=${job.work_order_id}`);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.every((l) => l.periodId === Number(job.period_id))).toBe(true);
        if (Number(job.period_id) !== periodId) expect(lines.every((l) => l.state === 'provisional')).toBe(true);
      }
      expect(jobs.filter((j) => Number(j.period_id) !== periodId).every((j) => j.completed_on.startsWith(month))).toBe(true);

      const statements = await server.api<{ data: { items: Array<{ payeeName: string; heldFen: number; linesTotalFen: number; payableFen: number; provisional: boolean; id: number }> } }>('GET', `/api/settlement/statements?periodId=${periodId}&payeeKind=technician`, { token: admin });
      const statement = statements.body.data.items.find((s) => s.payeeName === '技师李师傅');
      const techLines = closedLines.filter((l) => l.payeeName === '技师李师傅');
      const held = techLines.filter((l) => l.disputeStatus === 'open');
      expect(held.map((l) => [l.workOrderId, l.ruleKey])).toContainEqual([exampleOrder, 'good_rating']);
      const heldFen = held.reduce((total, l) => total + l.amountFen, 0);
      expect(statement).toMatchObject({ provisional: false, heldFen, linesTotalFen: techLines.reduce((total, l) => total + l.amountFen, 0) });
      expect(statement?.payableFen).toBe(Number(statement?.linesTotalFen) - heldFen);
      // Lines whose recomputation is unchanged were kept (same ids); the re-versioned disputed line is still held.
      expect(closedLines.filter((l) => l.workOrderId === exampleOrder && l.ruleKey === 'channel_split').map((l) => l.id)).toEqual(splitIds);
      expect(held.find((l) => l.workOrderId === exampleOrder)).toMatchObject({ ruleKey: 'good_rating', ruleSetVersion: 2, disputeStatus: 'open' });
      expect(await kit.periodOf(admin, nextPeriodCode(month))).toMatchObject({ status: 'open' });
      // The job row's keys name exactly its stored lines, in the order of their recomputation, so the next rewrite needs no read.
      const { models } = server.running.services;
      const example = await models.SettlementJob.findOne({ where: { work_order_id: exampleOrder }, raw: true });
      const stored = await models.Line.findAll({ where: { work_order_id: exampleOrder, period_id: periodId, line_type: 'job' }, raw: true });
      const byId = new Map(stored.map((l) => [Number(l.id), lineHashOf(textOfRow(l))]));
      const keys = unpackLineKeys(example?.line_keys ?? null);
      expect(keys.map((k) => k.id).sort((a, b) => a - b)).toEqual([...byId.keys()].sort((a, b) => a - b));
      expect(keys.every((k) => byId.get(k.id) === k.hash)).toBe(true);
      expect(keys.map((k) => k.id)).toEqual(expect.arrayContaining(splitIds));
      disputed = Number(held.find((l) => l.workOrderId === exampleOrder)?.id);
    });

    it('re-runs the computation of the closed month with the identical hash', async () => {
      const verify = await server.api<{ data: { equal: boolean; linesHash: string; recomputedHash: string } }>('POST', `/api/settlement/periods/${periodId}/verify`, { token: admin });
      expect(verify.body.data.equal).toBe(true);
      expect(verify.body.data.linesHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('turns a complaint after close into a linked adjustment in the next period, leaving the closed lines alone', async () => {
      const hashBefore = (await kit.periodOf(admin, month))?.linesHash;
      const reply = await server.api<{ data: { lines: Array<{ ruleKey: string; amountFen: number; lineType: string; periodId: number; correctsLineId: number | null }> } }>('POST', `/api/settlement/work-orders/${exampleOrder}/complaints`, { token: admin, body: { reason: '安装后漏水' } });
      expect(reply.status).toBe(200);
      const next = await kit.periodOf(admin, nextPeriodCode(month));
      expect(reply.body.data.lines).toEqual([expect.objectContaining({ ruleKey: 'complaint', amountFen: -3000, lineType: 'adjustment', periodId: next?.id, correctsLineId: null })]);
      expect((await kit.linesOf(admin, `periodId=${periodId}`)).map((l) => l.id)).toEqual(closedLineIds);
      expect((await kit.periodOf(admin, month))?.linesHash).toBe(hashBefore);
      expect((await server.api<{ data: { equal: boolean } }>('POST', `/api/settlement/periods/${periodId}/verify`, { token: admin })).body.data.equal).toBe(true);
    });

    it('refunds a settled job with reversal lines in the next period linked to the originals', async () => {
      const finals = (await kit.linesOf(admin, `workOrderId=${exampleOrder}`)).filter((l) => l.state === 'final');
      const reply = await server.api<{ data: { lines: Array<{ amountFen: number; lineType: string; correctsLineId: number; periodId: number }> } }>('POST', `/api/settlement/work-orders/${exampleOrder}/refund`, { token: admin, body: { reason: '客户退货' } });
      expect(reply.status).toBe(200);
      const next = await kit.periodOf(admin, nextPeriodCode(month));
      expect(reply.body.data.lines.every((l) => l.lineType === 'reversal' && l.periodId === next?.id)).toBe(true);
      expect(reply.body.data.lines.map((l) => [l.correctsLineId, l.amountFen]).sort()).toEqual(finals.map((l) => [l.id, -l.amountFen]).sort());
      expect((await server.api('POST', `/api/settlement/work-orders/${exampleOrder}/refund`, { token: admin, body: { reason: 'again' } })).status).toBe(409);
    });

    it('exports the statement as xlsx that opens with exceljs and lists its lines', async () => {
      const statements = await server.api<{ data: { items: Array<{ id: number; payeeName: string; lineCount: number }> } }>('GET', `/api/settlement/statements?periodId=${periodId}&keyword=${encodeURIComponent('李师傅')}`, { token: admin });
      const statement = statements.body.data.items[0];
      const response = await fetch(`${server.baseUrl}/api/settlement/statements/${statement?.id}/export`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      expect(sheet?.getRow(1).getCell(2).value).toBe('工单号');
      expect(Number(sheet?.rowCount) - 1).toBe(statement?.lineCount);
    });

    it('resolves the dispute by releasing the held amount into the open period', async () => {
      const reply = await server.api<{ data: { adjustments: Array<{ amountFen: number; correctsLineId: number }> } }>('POST', `/api/settlement/lines/${disputed}/resolve`, { token: admin, body: { resolution: '评分属实' } });
      expect(reply.status).toBe(200);
      expect(reply.body.data.adjustments).toEqual([expect.objectContaining({ amountFen: 2000, correctsLineId: disputed })]);
    });
  });
});
