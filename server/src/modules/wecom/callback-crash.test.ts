import { randomBytes } from 'node:crypto';
import { createDatabase } from '../../core/db/database';
import { defineModels } from '../../core/db/models';
import { createLogger } from '../../core/logger';
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
    const env = {
      ...wecomEnv,
      NODE_ENV: 'test',
      DB_URL: database.url,
      DATA_DIR: database.dataDir,
      APP_SECRET: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD: 'admin-pass-123',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      JOB_LEASE_MS: '1000',
      JOB_POLL_MS: '100',
      WECOM_SANDBOX: 'off',
      ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `scrm-crash:${randomBytes(4).toString('hex')}:` }),
    };
    const events = Array.from({ length: EVENTS }, (_, i) => ({
      externalUserId: `wm_crash_${i}`,
      request: sealedCallback(crypto, wecomEnv.WECOM_CORP_ID, externalContactXml(wecomEnv.WECOM_CORP_ID, { changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: `wm_crash_${i}`, createTime: 1700000000 })),
    }));

    const first = await startServerProcess(env);
    const acknowledged = new Set<string>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < events.length) {
        const event = events[next++]!;
        if (!killed && acknowledged.size >= EVENTS / 3) {
          killed = true;
          first.child.kill('SIGKILL');
        }
        const status = await fetch(`${first.url}${event.request.path}`, { method: 'POST', body: event.request.body, headers: { 'content-type': 'text/xml' } }).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) acknowledged.add(event.externalUserId);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
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
