/**
 * Browser test of the chat archive pages against a real server: archived messages (stored the way the
 * worker stores a batch) are searched from the console in Chinese, the matches are highlighted and a
 * type filter narrows them; the customer 360 page lists the customer's chats in its 会话存档 tab; the
 * settings page shows the worker status and keeps the secret masked; a compliance rule made in the
 * console raises an alert on the next archived batch, which is then marked handled with a note.
 * Needs /usr/bin/chromium; the console is built first when missing or stale.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { type Page } from 'playwright-core';

import { type TestServer } from '../../server/src/testing/test-server';
import { storeBatch, type PulledMessage } from '../../server/src/modules/chat-archive/archive-batch-store';
import { adminConsoleSession, browserDescribe, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

const conversation = [
  { msgtype: 'text', text: { content: '您好，明天上午空调安装，师傅九点到' } },
  { msgtype: 'text', text: { content: '空调安装需要预留插座吗？' } },
  { msgtype: 'text', text: { content: '洗衣机维修下周再约' } },
  { msgtype: 'link', link: { title: '空调安装注意事项', link_url: 'https://example.com/ac' } },
];

let customerId = 0;

/** A width×height PNG in one colour, as a phone would send a photo. */
function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

async function seedArchive(server: TestServer): Promise<void> {
  const { db, models } = server.running.services;
  customerId = Number((await models.Customer.findOne({ order: [['id', 'ASC']], raw: true }))?.id);
  await models.Customer.update({ external_userid: 'wmE2ECustomer' }, { where: { id: customerId } });
  await models.ArchiveCursor.create({ corp_id: 'wwe2e', last_seq: 0 });
  const pulled: PulledMessage[] = conversation.map((body, i) => ({
    kind: 'decrypted',
    seq: i + 1,
    publickeyVer: 1,
    message: { msgid: `e2e-${i}`, action: 'send', from: 'zhangsan', tolist: ['wmE2ECustomer'], roomid: '', msgtime: Date.UTC(2026, 10, 20, 2, i), ...body },
  }));
  if (!(await storeBatch(db, models, { corpId: 'wwe2e', fromSeq: 0, toSeq: pulled.length, pulled, startedAt: Date.now() - 40 }))) throw new Error('archive seed failed');
}

browserDescribe('chat-archive')('chat archive console', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  beforeAll(async () => {
    ({ server, browser, page, shots } = await adminConsoleSession('chat-archive', {
      browser: { timeout: 30_000, viewport: { width: 1440, height: 900 } },
      prepare: seedArchive,
    }));
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

  const rowSelector = `${sel('archive-results')} .el-table__row`;
  const waitForRows = (count: number) => page.waitForFunction(`document.querySelectorAll(${JSON.stringify(rowSelector)}).length === ${count}`);
  const resultTexts = () => page.locator(`${sel('archive-results')} ${sel('archive-text')}`).allTextContents();

  it('finds Chinese substrings, highlights them and filters by type', async () => {
    await page.goto(`${server.baseUrl}/customer/chat-archive`);
    await waitForRows(4);

    await page.fill(sel('archive-q'), '空调安装');
    await page.press(sel('archive-q'), 'Enter');
    await waitForRows(3);
    expect((await resultTexts()).sort()).toEqual(['您好，明天上午空调安装，师傅九点到', '空调安装需要预留插座吗？', '空调安装注意事项'].sort());
    expect(await page.locator(sel('archive-hit')).allTextContents()).toEqual(['空调安装', '空调安装', '空调安装']);
    await shots.take(page, 'chat-archive-search');

    await page.click(sel('archive-type'));
    await page.click('.el-select-dropdown__item:has-text("链接")');
    await page.press(sel('archive-q'), 'Enter');
    await waitForRows(1);
    expect(await resultTexts()).toEqual(['空调安装注意事项']);
  }, 90_000);

  it("lists the customer's chats in the 360 page's 会话存档 tab", async () => {
    await page.goto(`${server.baseUrl}/customers/${customerId}`);
    await page.click('.el-tabs__item:has-text("会话存档")');
    await page.waitForSelector(sel('conversation-message'));
    expect(await page.locator(sel('conversation-message')).count()).toBe(4);
    await waitForTextContaining(page, `${sel('conversation-message')}:first-child`, '空调安装注意事项');
    await shots.take(page, 'chat-archive-customer-tab', sel('customer-conversations'));
  }, 60_000);

  it('shows the worker status and keeps the secret masked on the settings page', async () => {
    const admin = await server.login('admin', server.adminPassword);
    expect((await server.api('PUT', '/api/chat-archive/settings', { token: admin, body: { secret: 'archive-secret-5678' } })).status).toBe(200);
    await page.goto(`${server.baseUrl}/system/chat-archive`);
    await waitForTextContaining(page, sel('archive-last-seq'), '4');
    await waitForTextContaining(page, sel('archive-settings-form'), '5678');
    expect(await page.locator(sel('archive-settings-form')).textContent()).not.toContain('archive-secret');
    await shots.take(page, 'chat-archive-settings');
  }, 60_000);

  it('creates a compliance rule, shows the alert the next batch raises, and marks it handled with a note', async () => {
    await page.goto(`${server.baseUrl}/customer/chat-archive-compliance`);
    await page.click('.el-tabs__item:has-text("合规规则")');
    await page.click(sel('rule-create'));
    await page.fill(sel('rule-name'), '私下交易');
    await page.fill('.el-dialog .el-input-tag input', '私下转账');
    await page.press('.el-dialog .el-input-tag input', 'Enter');
    await page.click(sel('rule-save'));
    await waitForTextContaining(page, sel('rule-table'), '私下转账');
    await shots.take(page, 'chat-archive-compliance-rules');

    // The worker's next batch, stored with the compliance check as the worker runs it.
    const { db, models, chatArchive } = server.running.services;
    const pulled: PulledMessage[] = [
      { kind: 'decrypted', seq: 5, publickeyVer: 1, message: { msgid: 'e2e-4', action: 'send', from: 'zhangsan', tolist: ['wmE2ECustomer'], roomid: '', msgtime: Date.UTC(2026, 10, 20, 3, 0), msgtype: 'text', text: { content: '装好后私下转账给我，能便宜一百' } } },
    ];
    if (!(await storeBatch(db, models, { corpId: 'wwe2e', fromSeq: 4, toSeq: 5, pulled, compliance: chatArchive.compliance }))) throw new Error('second batch failed');

    await page.click('.el-tabs__item:has-text("合规告警")');
    await page.click(`${sel('compliance-tabs')} ${sel('search')}`);
    await waitForTextContaining(page, sel('alert-table'), '私下转账给我');
    expect(await page.locator(`${sel('alert-rule-name')}:visible`).allTextContents()).toEqual(['私下交易']);
    await shots.take(page, 'chat-archive-compliance-open');
    await page.click(`${sel('alert-handle')}:visible`);
    await page.fill(sel('alert-note-input'), '已提醒员工走公司收款');
    await page.click(sel('alert-handle-save'));
    // The list shows open alerts by default: the handled one leaves it; with every status it is back, handled.
    await page.waitForSelector(`${sel('alert-handle')}:visible`, { state: 'detached' });
    await page.click(sel('alert-status'));
    await page.click('.el-select-dropdown__item:has-text("已处理")');
    await page.click(`${sel('compliance-tabs')} ${sel('search')}`);
    await waitForTextContaining(page, sel('alert-note'), '已提醒员工走公司收款');
    await page.waitForSelector(`${sel('alert-status-tag')}:visible`);
    await shots.take(page, 'chat-archive-compliance-alerts');
    expect(await page.locator(`${sel('alert-status-tag')}:visible`).allTextContents()).toEqual(['已处理']);
    expect(await models.AuditLog.count({ where: { action: 'archive.alert_handled' } })).toBe(1);
  }, 90_000);

  it('shows an archived photo inline in the search results', async () => {
    const { db, models, chatArchive } = server.running.services;
    const photo = solidPng(160, 100, [37, 99, 235]);
    const md5 = createHash('md5').update(photo).digest('hex');
    const pulled: PulledMessage[] = [
      { kind: 'decrypted', seq: 6, publickeyVer: 1, message: { msgid: 'e2e-5', action: 'send', from: 'wmE2ECustomer', tolist: ['zhangsan'], roomid: '', msgtime: Date.UTC(2026, 10, 20, 3, 5), msgtype: 'image', image: { sdkfileid: 'photo-e2e', md5sum: md5, filesize: photo.length } } },
    ];
    if (!(await storeBatch(db, models, { corpId: 'wwe2e', fromSeq: 5, toSeq: 6, pulled }))) throw new Error('photo batch failed');
    // What the worker does once it has downloaded and checked the photo.
    await models.ArchiveMedia.update({ status: 'stored', storage_key: await chatArchive.mediaStorage.putBytes(photo, { extension: 'jpg' }), size: photo.length }, { where: { msgid: 'e2e-5' } });

    await page.goto(`${server.baseUrl}/customer/chat-archive`);
    await page.click(sel('archive-type'));
    await page.click('.el-select-dropdown__item:has-text("图片")');
    await page.press(sel('archive-q'), 'Enter');
    await waitForRows(1);
    const image = await page.waitForSelector(`${sel('archive-media-image')} img`);
    await page.waitForFunction((img) => (img as unknown as { naturalWidth: number }).naturalWidth === 160, image);
    await shots.take(page, 'chat-archive-photo');
  }, 60_000);
});
