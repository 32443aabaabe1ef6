import { createDatabase } from '../../core/db/database';
import { defineModels } from '../../core/db/models';
import { createLogger } from '../../core/logger';
import { crashTestEnv, sendThroughKill } from '../../testing/crash-test-kit';
import { killStrayServers, startServerProcess } from '../../testing/server-process';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { waitUntil } from '../../testing/wait-until';
import { cryptoFor, externalContactXml, sealedCallback, testWecomEnv } from '../../testing/wecom-test-callbacks';

const EVENTS = 300;
const CONCURRENCY = 16;

describe('a server killed during a burst of callbacks', () => {
  let database: TestDatabase;
  afterAll(async () => {
    killStrayServers();
    await database?.drop();
  });

  it('keeps and processes exactly once every event it answered 200 to', async () => {
    database = await createTestDatabase();
    const wecomEnv = testWecomEnv('ww_crash_corp');
    const crypto = cryptoFor(wecomEnv);
    const env = crashTestEnv(database, 'callback-crash', wecomEnv);
    const events = Array.from({ length: EVENTS }, (_, i) => ({
      externalUserId: `wm_crash_${i}`,
      request: sealedCallback(crypto, wecomEnv.WECOM_CORP_ID, externalContactXml(wecomEnv.WECOM_CORP_ID, { changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: `wm_crash_${i}`, createTime: 1700000000 })),
    }));

    const first = await startServerProcess(env);
    const { acknowledged, killed } = await sendThroughKill(first, events, {
      concurrency: CONCURRENCY,
      key: (event) => event.externalUserId,
      send: (url, event) => fetch(`${url}${event.request.path}`, { method: 'POST', body: event.request.body, headers: { 'content-type': 'text/xml' } }),
    });
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(EVENTS / 3);

    // Restart; the new process finishes what the killed one left.
    const second = await startServerProcess(env);
    const db = createDatabase(database.url, createLogger('silent'));
    const models = defineModels(db.sequelize);
    try {
      let rows = await models.WecomCallback.findAll({ raw: true });
      await waitUntil(async () => {
        rows = await models.WecomCallback.findAll({ raw: true });
        return rows.every((r) => r.processed_at);
      }, 60_000, 250);
      const stored = new Map<string, number>();
      for (const row of rows) {
        const id = (JSON.parse(row.summary) as { ExternalUserID: string }).ExternalUserID;
        stored.set(id, (stored.get(id) ?? 0) + 1);
        expect(row.processed_at).not.toBeNull();
      }
      for (const id of acknowledged) expect([id, stored.get(id)]).toEqual([id, 1]);
      expect([...stored.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await db.close();
      await second.terminate();
    }
  }, 180_000);
});
