import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signJsApi } from '@scrm/wecom-adapter';
import { startTestServer, type TestServer } from '../../testing/test-server';

interface Signatures {
  corpId: string;
  agentId: number;
  timestamp: number;
  nonceStr: string;
  configSignature: string;
  agentConfigSignature: string;
}

/** A fake build of the console's pages, so the page routes can be told apart without building. */
function fakeConsoleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidebar-pages-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'sidebar.html'), '<!doctype html><title>sidebar</title>');
  writeFileSync(join(dir, 'sidebar-sandbox.html'), '<!doctype html><title>stand-in</title>');
  return dir;
}

/** Asks the sandbox itself (not our server) for a ticket, with the app's own token. */
async function sandboxTicket(sandboxUrl: string, kind: 'corp' | 'agent'): Promise<string> {
  const credentials = (await (await fetch(`${sandboxUrl}/__sandbox/credentials`)).json()) as { corpId: string; secrets: { agent: string } };
  const token = (await (await fetch(`${sandboxUrl}/cgi-bin/gettoken?corpid=${credentials.corpId}&corpsecret=${credentials.secrets.agent}`)).json()) as { access_token: string };
  const path = kind === 'corp' ? 'get_jsapi_ticket?' : 'ticket/get?type=agent_config&';
  const reply = (await (await fetch(`${sandboxUrl}/cgi-bin/${path}access_token=${token.access_token}`)).json()) as { errcode: number; ticket: string };
  expect(reply.errcode).toBe(0);
  return reply.ticket;
}

describe('chat sidebar in sandbox mode', () => {
  let server: TestServer;
  let sandboxUrl: string;
  let staff: string;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = fakeConsoleDir();
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '30', JOB_WORKER_ENABLED: 'false', CONSOLE_DIR: consoleDir } });
    sandboxUrl = server.running.sandbox?.url ?? '';
    staff = await server.login('staff_sh01');
  });
  afterAll(async () => {
    await server.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('tells the sidebar it runs against the sandbox', async () => {
    const reply = await server.api<{ data: { mode: string } }>('GET', '/api/sidebar/config');
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ mode: 'sandbox' });
  });

  it("signs a page URL for wx.config and wx.agentConfig with the sandbox's corp and agent tickets", async () => {
    const url = `${server.baseUrl}/sidebar?from=toolbar`;
    const reply = await server.api<{ data: Signatures }>('GET', `/api/wecom/jssdk/signatures?url=${encodeURIComponent(`${url}#section`)}`, { token: staff });
    expect(reply.status).toBe(200);
    const s = reply.body.data;
    expect(s).toMatchObject({ corpId: 'ww_sandbox_demo', agentId: 1000002, nonceStr: expect.any(String) });
    expect(Math.abs(s.timestamp - Date.now() / 1000)).toBeLessThan(60);
    // the fragment is not signed; each signature uses its own ticket
    const [corpTicket, agentTicket] = [await sandboxTicket(sandboxUrl, 'corp'), await sandboxTicket(sandboxUrl, 'agent')];
    expect(s.configSignature).toBe(signJsApi({ ticket: corpTicket, url, nonceStr: s.nonceStr, timestamp: s.timestamp }).signature);
    expect(s.agentConfigSignature).toBe(signJsApi({ ticket: agentTicket, url, nonceStr: s.nonceStr, timestamp: s.timestamp }).signature);
    expect(s.configSignature).not.toBe(s.agentConfigSignature);
  });

  it('keeps the tickets: signing again reads the cached tickets and fetches none', async () => {
    const { kv } = server.running.services;
    const sign = async (i: number) => {
      const reply = await server.api<{ data: Signatures }>('GET', `/api/wecom/jssdk/signatures?url=${encodeURIComponent(`${server.baseUrl}/sidebar?n=${i}`)}`, { token: staff });
      expect(reply.status).toBe(200);
      return reply.body.data;
    };
    await sign(0); // the first signature may fetch the tickets
    const reads = jest.spyOn(kv, 'get');
    const writes = jest.spyOn(kv, 'set');
    try {
      for (let i = 1; i <= 3; i += 1) await sign(i);
      const ticketKeys = reads.mock.calls.map(([key]) => key).filter((key) => key.includes('jsapi-ticket'));
      expect(ticketKeys.length).toBeGreaterThanOrEqual(6);
      expect(writes.mock.calls.filter(([key]) => key.includes('jsapi-ticket'))).toEqual([]);
      // what is signed with is the cached ticket itself
      const agentKey = ticketKeys.find((key) => key.endsWith(':agent'))!;
      await kv.set(agentKey, JSON.stringify({ ticket: 'planted-ticket', expiresAt: Date.now() + 60_000 }), 60_000);
      const s = await sign(9);
      expect(s.agentConfigSignature).toBe(signJsApi({ ticket: 'planted-ticket', url: `${server.baseUrl}/sidebar?n=9`, nonceStr: s.nonceStr, timestamp: s.timestamp }).signature);
      await kv.del(agentKey);
    } finally {
      reads.mockRestore();
      writes.mockRestore();
    }
  });

  it('refuses signatures to a caller who is not signed in, and a URL that is not http(s)', async () => {
    const url = encodeURIComponent(`${server.baseUrl}/sidebar`);
    expect((await server.api('GET', `/api/wecom/jssdk/signatures?url=${url}`)).status).toBe(401);
    const bad = await server.api('GET', `/api/wecom/jssdk/signatures?url=${encodeURIComponent('javascript:alert(1)')}`, { token: staff });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ path: 'query.url' })]);
    const missing = await server.api('GET', '/api/wecom/jssdk/signatures', { token: staff });
    expect(missing.status).toBe(400);
  });

  it('serves the sidebar at /sidebar and the WeCom client stand-in at /sidebar/sandbox', async () => {
    const sidebar = await fetch(`${server.baseUrl}/sidebar?code=x&state=y`);
    expect(sidebar.status).toBe(200);
    expect(await sidebar.text()).toContain('<title>sidebar</title>');
    const standin = await fetch(`${server.baseUrl}/sidebar/sandbox`);
    expect(standin.status).toBe(200);
    expect(await standin.text()).toContain('<title>stand-in</title>');
    expect(await (await fetch(`${server.baseUrl}/customers`)).text()).toContain('<title>console</title>');
  });

  it("lists the sandbox corp's employees and an employee's customers and group chats for the stand-in", async () => {
    const employees = await server.api<{ data: Array<{ userid: string; name: string; user: unknown }> }>('GET', '/api/sidebar/sandbox/employees');
    expect(employees.status).toBe(200);
    expect(employees.body.data).toHaveLength(12);
    const state = (await (await fetch(`${sandboxUrl}/__sandbox/state/customers?limit=1000`)).json()) as { customers: Array<{ externalUserid: string; follows: Array<{ userid: string }> }> };
    const someone = state.customers[0]!;
    const userid = someone.follows[0]!.userid;
    const chats = await server.api<{ data: { customers: Array<{ externalUserId: string }>; groupChats: unknown[] } }>('GET', `/api/sidebar/sandbox/employees/${userid}/chats`);
    expect(chats.status).toBe(200);
    const expected = state.customers.filter((c) => c.follows.some((f) => f.userid === userid)).map((c) => c.externalUserid);
    expect(chats.body.data.customers.map((c) => c.externalUserId).sort()).toEqual(expected.sort());
  });

  it('checks agentConfig signatures as the WeCom client does: ours pass, a tampered one fails', async () => {
    const url = `${server.baseUrl}/sidebar`;
    const { body } = await server.api<{ data: Signatures }>('GET', `/api/wecom/jssdk/signatures?url=${encodeURIComponent(url)}`, { token: staff });
    const s = body.data;
    const check = (signature: string, at = url) => server.api<{ data: { ok: boolean } }>('POST', '/api/sidebar/sandbox/agent-config/verify', { body: { url: at, timestamp: s.timestamp, nonceStr: s.nonceStr, signature } });
    expect((await check(s.agentConfigSignature)).body.data).toEqual({ ok: true });
    expect((await check(s.configSignature)).body.data).toEqual({ ok: false });
    expect((await check(s.agentConfigSignature, `${url}?other=1`)).body.data).toEqual({ ok: false });
    const malformed = await check('not-a-signature');
    expect(malformed.status).toBe(400);
    expect(malformed.body.details).toEqual([expect.objectContaining({ path: 'body.signature' })]);
  });
});

describe('chat sidebar outside sandbox mode', () => {
  let server: TestServer;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = fakeConsoleDir();
    server = await startTestServer({ env: { CONSOLE_DIR: consoleDir } });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('refuses the WeCom client stand-in, page and API, while WeCom is unconfigured or live', async () => {
    const admin = await server.login('admin');
    for (const mode of ['unconfigured', 'live']) {
      if (mode === 'live') {
        const put = await server.api('PUT', '/api/wecom/settings', { token: admin, body: { corpId: 'ww_real_corp', agentId: '1000005' } });
        expect(put.status).toBe(200);
      }
      expect((await server.api<{ data: { mode: string } }>('GET', '/api/sidebar/config')).body.data.mode).toBe(mode);
      const page = await fetch(`${server.baseUrl}/sidebar/sandbox`);
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain('stand-in</title>');
      expect((await server.api('GET', '/api/sidebar/sandbox/employees')).status).toBe(404);
      expect((await server.api('GET', '/api/sidebar/sandbox/employees/zhangsan/chats')).status).toBe(404);
      const verify = await server.api('POST', '/api/sidebar/sandbox/agent-config/verify', {
        body: { url: `${server.baseUrl}/sidebar`, timestamp: 1_700_000_000, nonceStr: 'n', signature: 'a'.repeat(40) },
      });
      expect(verify.status).toBe(404);
      // the sidebar itself is always there
      expect((await fetch(`${server.baseUrl}/sidebar`)).status).toBe(200);
    }
  });

  it('answers NOT_READY for signatures until the self-built app is configured', async () => {
    const staff = await server.login('staff_sh01');
    const reply = await server.api('GET', `/api/wecom/jssdk/signatures?url=${encodeURIComponent(`${server.baseUrl}/sidebar`)}`, { token: staff });
    expect(reply.status).toBe(503);
    expect(reply.body.code).toBe('NOT_READY');
  });
});
