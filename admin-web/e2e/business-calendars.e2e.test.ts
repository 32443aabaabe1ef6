/**
 * Browser test of the business calendar page against a real server: the preview puts a 120-minute
 * limit from 17:59 on the Friday before Spring Festival onto the make-up Saturday; an admin creates a
 * calendar with Saturday hours.
 * Needs /usr/bin/chromium; the console is built first when missing or stale.
 */
import { type Page } from 'playwright-core';

import { type TestServer } from '../../server/src/testing/test-server';
import { adminConsoleSession, browserDescribe, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('business-calendars')('business calendar page', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  beforeAll(async () => {
    ({ server, browser, page, shots } = await adminConsoleSession('business-calendars', { browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } } }));
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

  it('previews a limit that lands on the make-up Saturday before Spring Festival', async () => {
    await page.goto(`${server.baseUrl}/work-orders/calendars`);
    await page.waitForSelector(`${sel('row-code')}:has-text("default")`);
    const from = page.locator(`${sel('preview-from')} input`).first();
    await from.fill('2026-02-13 17:59');
    await from.press('Enter');
    await page.click(sel('preview-run'));
    await waitForTextContaining(page, sel('preview-result'), '2026-02-14 (周六) 10:59');
    await page.waitForSelector(`${sel('day-2026-02-14')}:has-text("调休补班")`);
    await page.waitForSelector(`${sel('day-2026-02-16')}:has-text("法定节假日")`);
    await shots.take(page, 'business-calendars-preview');
  }, 60_000);

  it('creates a calendar with Saturday hours from the editor', async () => {
    await page.click(sel('create'));
    await page.fill(sel('form-code'), 'weekend-stores');
    await page.fill(sel('form-name'), '周末门店');
    await page.click(sel('add-span-6'));
    await shots.take(page, 'business-calendars-editor');
    await page.click(sel('form-submit'));
    await page.waitForSelector(`${sel('row-code')}:has-text("weekend-stores")`);
    const saved = await server.running.services.calendars.get('weekend-stores');
    expect(saved.workingHours['6']).toEqual([['09:00', '18:00']]);
    expect(saved.workingHours['1']).toEqual([['09:00', '18:00']]);
  }, 60_000);
});
