/**
 * Browser test of the flow editor against a real server: an admin opens the seeded installation
 * flow, inserts 备件预审 between 需求确认 and 配件调拨, publishes version 2 and looks at the diff; then
 * leaves a node dangling and sees publishing refused with the error on that node.
 * Needs /usr/bin/chromium; the console is built first when missing or stale. Screenshots go to
 * E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { type Page } from 'playwright-core';

import { type TestServer } from '../../server/src/testing/test-server';
import { adminConsoleSession, browserDescribe, pickOption, sel, teardown, type BrowserSession, type Shots } from './browser-kit';

const card = (key: string) => `${sel('node-card')}[data-key="${key}"]`;

browserDescribe('flows')('flow editor', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  beforeAll(async () => {
    ({ server, browser, page, shots } = await adminConsoleSession('flows', { browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } } }));
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

  const pick = (within: string, option: string, type?: string) => pickOption(page, within, option, type);

  it('inserts 备件预审 between 需求确认 and 配件调拨 and publishes version 2, with a diff', async () => {
    await page.goto(`${server.baseUrl}/work-orders/flows`);
    await page.click(`${sel('flow-open')}[data-code="installation"]`);
    await page.waitForSelector(card('confirm'));
    await page.locator(sel('node-insert')).first().click();
    await page.fill(sel('node-name'), '备件预审');
    await page.fill(sel('node-key'), 'precheck');
    await page.waitForSelector(`${card('precheck')} ${sel('node-card-name')}:has-text("备件预审")`);
    const names = await page.locator(sel('node-card-name')).allTextContents();
    expect(names.slice(0, 3)).toEqual(['需求确认', '备件预审', '配件调拨']);
    await shots.take(page, 'flow-editor-inserted');
    await page.click(sel('flow-publish'));
    await page.waitForSelector(`${sel('version-number')}:has-text("v2")`);
    const latest = await server.running.services.flows.latestVersion('installation');
    expect(latest.version).toBe(2);
    expect(latest.definition.nodes.map((n) => n.key).slice(0, 3)).toEqual(['confirm', 'precheck', 'parts']);
    await page.locator(sel('version-diff')).first().click();
    await page.waitForSelector(`${sel('diff-view')}:has-text("备件预审 (precheck)")`);
    await shots.take(page, 'flow-diff');
    await page.keyboard.press('Escape');
  }, 90_000);

  it('shows a publish error on a dangling node', async () => {
    // Insert a node between 验收拍照 and 完成, then point 验收拍照 straight at 完成: the new node dangles.
    const cards = await page.locator(sel('node-card')).evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    const acceptanceIndex = cards.indexOf('acceptance');
    await page.locator(sel('node-insert')).nth(acceptanceIndex).click();
    await page.fill(sel('node-key'), 'dangling');
    await page.click(card('acceptance'));
    await pick(`${sel('edge')} ${sel('edge-to')}`, '完成');
    await page.click(sel('flow-publish'));
    await page.waitForSelector(`${card('dangling')} ${sel('node-error')}:has-text("not reachable from the start node")`);
    expect(await page.locator(`${card('dangling')}.invalid`).count()).toBe(1);
    expect(await page.locator(`${sel('node-card')}.invalid`).count()).toBe(1);
    expect((await server.running.services.flows.latestVersion('installation')).version).toBe(2);
    await shots.take(page, 'flow-publish-error');
    await shots.take(page, 'flow-chain-error', card('dangling'));
  }, 90_000);
});
