/**
 * Settlement in the console and on the technician page, against the seeded demo (rule sets
 * published from last month; last month closed, this month open with provisional lines):
 *  - the rule builder adds a bonus "五星好评" (¥10.50 when the customer rating is ≥ 5) to the
 *    technicians' rule set with pickers only, saves it, previews it on last month (two five-star
 *    jobs: +¥21.00) and publishes it from the first day of this month;
 *  - the open period is closed from the periods page (the demo already closed last month), and the
 *    technician's statement lists the new line with its formula;
 *  - on a phone, the technician sees the job's breakdown in the earnings tab and on the order.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import type { Page } from 'playwright-core';

import { adminConsoleSession, browserDescribe, openBrowser, sel, settle, teardown, waitForText, waitForTextContaining, type AdminConsoleSession, type BrowserSession } from './browser-kit';

// runs in the browser; the repo's tsconfig has no DOM lib
declare const localStorage: { setItem(key: string, value: string): void };

interface Period {
  id: number;
  code: string;
  status: string;
}
interface Line {
  workOrderId: number | null;
  ruleKey: string;
  amountFen: number;
  state: string;
  payeeName: string;
}

browserDescribe('settlement')('settlement: rule builder, preview, publish, close, statement and the technician’s earnings', () => {
  let session: AdminConsoleSession | undefined;
  let phone: BrowserSession | undefined;
  let admin = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await adminConsoleSession('settlement', { server: { env: { WECOM_SANDBOX: 'auto' } } });
    admin = await session.server.login('admin');
    session.page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 300_000);

  afterAll(() => teardown(session?.server, session?.browser, phone), 60_000);

  const api = async <T>(method: string, url: string, token = admin): Promise<T> => {
    const reply = await session!.server.api<{ data: T }>(method, url, { token });
    if (reply.status !== 200) throw new Error(`${method} ${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.data;
  };

  async function openRuleSet(page: Page, code: string): Promise<number> {
    await page.goto(`${session!.server.baseUrl}/settlement/rules`);
    await page.click(`${sel('rule-set-open')}[data-code="${code}"]`);
    await page.waitForSelector(sel('rules-table'));
    const sets = await api<Array<{ id: number; code: string }>>('GET', '/api/settlement/rule-sets');
    return sets.find((s) => s.code === code)!.id;
  }

  test('a bonus built with pickers is previewed, published, settled at closing and shown to the technician', async () => {
    const { page, server, shots } = session!;
    const periods = await api<Period[]>('GET', '/api/settlement/periods');
    const current = periods.find((p) => p.status === 'open');
    if (!current) throw new Error('the demo has no open period');

    // ---- the rule builder: a bonus with a condition, amounts typed in yuan ----
    const ruleSetId = await openRuleSet(page, 'technician_fees');
    await shots.take(page, '01-rule-set');
    await page.click(sel('rule-add'));
    await page.fill(sel('rule-key'), 'five_star');
    await page.fill(sel('rule-name'), '五星好评');
    await page.fill(`${sel('amount-fixedFen')} input`, '10.5');
    await page.click(sel('rule-has-condition'));
    await page.click(sel('fact-condition-add'));
    // the first leaf offered is the customer rating (≥): only the value is typed
    await page.fill(`${sel('fact-condition-value')} input`, '5');
    await page.keyboard.press('Tab');
    await shots.take(page, '02-rule-drawer');
    await page.click(sel('rule-apply'));
    await waitForText(page, sel('rule-row-name'), '五星好评');
    await waitForText(page, sel('rule-row-pays'), '¥10.50');
    await waitForText(page, sel('rule-row-when'), '客户评分 ≥ 5');
    await page.click(sel('rule-set-save'));
    await waitForTextContaining(page, '.el-message', '草稿已保存');
    const saved = await api<{ draft: { rules: Array<Record<string, unknown>> } }>('GET', `/api/settlement/rule-sets/${ruleSetId}`);
    expect(saved.draft.rules.find((r) => r.key === 'five_star')).toMatchObject({
      kind: 'bonus',
      name: '五星好评',
      rounding: 'HALF_UP',
      amount: { fixedFen: 1050 },
      condition: { all: [{ fact: 'rating', operator: 'greaterThanInclusive', value: 5 }] },
    });
    await shots.take(page, '03-rules');

    // ---- preview on last month (the default period): two five-star jobs there ----
    await page.click('.el-tabs__item:has-text("预览")');
    await page.waitForSelector(`${sel('rule-preview')} ${sel('period-select')}`);
    await page.click(sel('preview-run'));
    await waitForText(page, sel('preview-diff-total'), '+¥21.00');
    await waitForText(page, sel('preview-diff'), '+¥21.00');
    await shots.take(page, '04-preview');

    // ---- publish from the first day of the open period ----
    await page.click(sel('rule-set-publish'));
    const dateInput = page.locator('.el-dialog:visible .el-date-editor input');
    await dateInput.fill(`${current.code}-01`);
    await dateInput.press('Enter');
    await page.click(sel('publish-submit'));
    await waitForTextContaining(page, '.el-message', '已发布 v2');
    const published = await api<{ versions: Array<{ version: number; effectiveFrom: string }> }>('GET', `/api/settlement/rule-sets/${ruleSetId}`);
    expect(published.versions).toContainEqual(expect.objectContaining({ version: 2, effectiveFrom: `${current.code}-01` }));

    // ---- close the open period from the periods page; the page follows the background close ----
    await page.goto(`${server.baseUrl}/settlement/periods`);
    await page.waitForSelector(sel(`period-close-${current.code}`));
    await page.click(sel(`period-close-${current.code}`));
    await page.click('.el-message-box .el-button--danger');
    await waitForTextContaining(page, '.el-message', `${current.code} 已关账`, 60_000);
    expect((await api<Period>('GET', `/api/settlement/periods/${current.id}`)).status).toBe('closed');
    await page.click(sel(`period-${current.code}`));
    await waitForTextContaining(page, '.section-title', current.code);
    await waitForText(page, sel('statement-payee'), '技师李师傅');
    await shots.take(page, '05-periods');

    // ---- the technician's statement: the new line, final, with its formula and a link to the job ----
    await page.locator(`${sel('statements-table')} tr:has-text("技师李师傅") ${sel('statement-open')}`).click();
    await page.waitForSelector(sel('statement-header'));
    await waitForTextContaining(page, `${sel('lines-table')} tr`, '五星好评');
    const lines = await api<{ items: Line[] }>('GET', `/api/settlement/lines?periodId=${current.id}&pageSize=100`);
    const fiveStar = lines.items.filter((l) => l.ruleKey === 'five_star');
    expect(fiveStar.length).toBeGreaterThan(0);
    expect(fiveStar.every((l) => l.amountFen === 1050 && l.state === 'final' && l.payeeName === '技师李师傅')).toBe(true);
    const row = page.locator(`${sel('lines-table')} tr:has-text("五星好评")`).first();
    expect(await row.locator(sel('line-amount')).textContent()).toBe('¥10.50');
    expect(await row.locator(sel('line-order-link')).getAttribute('href')).toBe(`/work-orders/${fiveStar[0]!.workOrderId}`);
    await shots.take(page, '06-statement');

    // ---- the other settlement pages render their data ----
    await page.goto(`${server.baseUrl}/settlement/reports`);
    await waitForTextContaining(page, sel('report-total'), '¥');
    await page.waitForSelector(`${sel('report-table')} tr:has-text("技师李师傅")`);
    await shots.take(page, '07-reports');
    await page.goto(`${server.baseUrl}/settlement/payees`);
    await page.waitForSelector(`${sel('payees-table')} tr:has-text("华东经销商")`);
    await shots.take(page, '08-payees');
    await page.goto(`${server.baseUrl}/settlement/disputes`);
    await page.waitForSelector(sel('lines-table'));
    await shots.take(page, '09-disputes');

    // ---- the technician's phone: the closed period's breakdown and the job's own card ----
    const techToken = await server.login('tech_sh01');
    phone = await openBrowser('settlement-phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timeout: 30_000 });
    await phone.context.addInitScript((token: string) => localStorage.setItem('scrm.mobile.token', token), techToken);
    const m = phone.page;
    m.on('pageerror', (err) => pageErrors.push(err.message));
    await m.goto(`${server.baseUrl}/m/#/earnings`);
    await m.waitForSelector(sel('m-earnings'));
    await m.click(sel(`m-statement-${current.code}`));
    await waitForTextContaining(m, sel('m-earnings'), `${current.code}`);
    await waitForTextContaining(m, sel('m-earning-line'), '五星好评');
    await settle(m);
    await m.screenshot({ path: `${shots.dir}/10-mobile-earnings.png` });

    await m.goto(`${server.baseUrl}/m/#/orders/${fiveStar[0]!.workOrderId}`);
    await m.waitForSelector(sel('m-job-earnings'));
    await waitForTextContaining(m, `${sel('m-job-earnings')} ${sel('m-earning-line')}`, '五星好评');
    await settle(m);
    await m.screenshot({ path: `${shots.dir}/11-mobile-job.png` });

    expect(pageErrors).toEqual([]);
  }, 240_000);
});
