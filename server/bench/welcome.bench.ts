import { startTestServer } from '../src/testing/test-server';
import { waitUntil } from '../src/testing/wait-until';
import { cryptoFor, externalContactXml, sealedCallback } from '../src/testing/wecom-test-callbacks';
import { SANDBOX_CORP, startSyncSandbox } from '../src/modules/customer-sync/customer-sync-test-kit';

const SCANS = Number(process.env.BENCH_SCANS ?? 200);
const SCAN_EVERY_MS = Number(process.env.BENCH_SCAN_EVERY_MS ?? 50);
/** Other callbacks per second (edits of existing customers: each queues a customer refresh). */
const BACKGROUND_PER_SECOND = Number(process.env.BENCH_BACKGROUND_RPS ?? 100);
const WINDOW_MS = 20_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Welcome messages under load: while other callbacks arrive steadily (and keep the job queue busy),
 * customers scan a channel QR code in the simulator. Latency runs from the simulator issuing the add
 * event (and its WelcomeCode) to the simulator accepting send_welcome_msg for that code — a superset of
 * "from our receipt", so it includes the callback push. `missed`: codes not used within 20 s.
 */
export async function benchWelcome() {
  const kit = await startSyncSandbox({ employees: 8, customers: 400, seed: 3 }, { quotaPerMinute: 20_000 });
  const server = await startTestServer({ env: { ...kit.env, WECOM_API_PER_MINUTE: '10000' } });
  try {
    kit.pointCallbacksAt(server.baseUrl);
    const admin = await server.login('admin');
    const employee = kit.sandbox.state.directory.activeEmployees()[0]!.userid;
    const created = await server.api('POST', '/api/engagement/contact-ways', { token: admin, body: { name: '压测渠道', state: 'bench1', users: [employee], welcome: { text: '欢迎！' } } });
    if (created.status !== 200) throw new Error(`creating the contact way failed: ${JSON.stringify(created.body)}`);

    const crypto = cryptoFor({ WECOM_CORP_ID: SANDBOX_CORP, WECOM_CALLBACK_TOKEN: kit.callback.token, WECOM_CALLBACK_AES_KEY: kit.callback.encodingAesKey });
    const relations = [...kit.sandbox.state.customers.customers.values()].flatMap((c) => c.follows.map((f) => ({ userId: f.userid, externalUserId: c.externalUserid })));
    let running = true;
    let background = 0;
    const inFlight = new Set<Promise<void>>();
    const load = (async () => {
      const tick = 50;
      const perTick = Math.max(1, Math.round((BACKGROUND_PER_SECOND * tick) / 1000));
      while (running) {
        const started = Date.now();
        // A steady rate, not a closed loop: slow answers do not slow the load down.
        for (let i = 0; i < perTick; i += 1) {
          const r = relations[background++ % relations.length]!;
          const sealed = sealedCallback(crypto, SANDBOX_CORP, externalContactXml(SANDBOX_CORP, { changeType: 'edit_external_contact', ...r, createTime: Math.floor(Date.now() / 1000) + background }));
          const sent = fetch(`${server.baseUrl}${sealed.path}`, { method: 'POST', body: sealed.body, headers: { 'content-type': 'text/xml' } }).then((res) => void res.arrayBuffer(), () => undefined);
          inFlight.add(sent);
          void sent.finally(() => inFlight.delete(sent));
        }
        await pause(Math.max(0, tick - (Date.now() - started)));
      }
    })();

    await pause(2_000);
    const codes: string[] = [];
    for (let i = 0; i < SCANS; i += 1) {
      const added = kit.sandbox.control.events.customerAdded({ userId: employee, state: 'bench1' });
      if (added.welcomeCode) codes.push(added.welcomeCode);
      await pause(SCAN_EVERY_MS);
    }
    const issued = kit.sandbox.state.messages.welcomeCodes;
    await waitUntil(async () => codes.every((c) => issued.get(c)?.usedAt !== undefined || Date.now() - issued.get(c)!.issuedAt > WINDOW_MS + 2_000), 60_000, 100).catch(() => undefined);
    running = false;
    await load;
    await Promise.all(inFlight);

    const latencies = codes.flatMap((c) => {
      const code = issued.get(c)!;
      return code.usedAt === undefined ? [] : [code.usedAt - code.issuedAt];
    });
    latencies.sort((a, b) => a - b);
    // Our part alone: from storing the callback to WeCom's answer to send_welcome_msg.
    const rows = await server.running.services.models.WelcomeSend.findAll({ where: { welcome_code: codes }, raw: true });
    const ours = rows.filter((r) => r.finished_at).map((r) => new Date(r.finished_at!).getTime() - new Date(r.received_at).getTime()).sort((a, b) => a - b);
    return { p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99), send_p99_ms: percentile(ours, 99), missed: codes.length - latencies.length, scans: codes.length, background_callbacks: background, db: server.env.DB_URL?.split(':')[0] ?? 'sqlite' };
  } finally {
    await server.stop();
    await kit.sandbox.close();
  }
}
