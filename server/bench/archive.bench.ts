import { performance } from 'node:perf_hooks';
import { loadFinanceSdk } from '@scrm/wecom-adapter/src/finance/finance-sdk';
import { encryptChatItem } from '@scrm/wecom-adapter/src/finance/finance-fixture';
import { createServices, prepareDatabase, type Services } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import type { Actor } from '../src/modules/access/actor';
import { createArchiveIngest } from '../src/modules/chat-archive/archive-ingest';
import { createRsaPool } from '../src/modules/chat-archive/archive-rsa-pool';
import { archiveFixture, archiveKeyPair } from '../src/modules/chat-archive/archive-test-kit';
import { indexTokens } from '../src/modules/chat-archive/archive-tokens';
import { benchDatabase, benchSentence, prng } from './archive-bench-data';

const INGEST = Number(process.env.BENCH_ARCHIVE_MESSAGES ?? 200_000);
const TOTAL = Number(process.env.BENCH_ARCHIVE_TOTAL ?? 1_000_000);
const FLOOR_SAMPLES = Number(process.env.BENCH_ARCHIVE_FLOOR ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const STORES = 20;
const CORP = 'wwbencharchive';
const EPOCH = Date.UTC(2024, 0, 1);

const log = (line: string) => process.stderr.write(`${line}\n`);
const party = (n: number) => ({ employee: `emp${n % 200}`, customer: `wmbench${n % 50_000}` });

function benchMessage(n: number, random: () => number) {
  const { employee, customer } = party(n);
  const fromCustomer = n % 2 === 1;
  return { msgid: `bench-${n}`, action: 'send', from: fromCustomer ? customer : employee, tolist: [fromCustomer ? employee : customer], roomid: '', msgtime: EPOCH + n * 1000, msgtype: 'text', text: { content: benchSentence(random) } };
}

/** The RSA floor: sealed random keys opened per second on every core, nothing else. */
async function rsaFloor(key: ReturnType<typeof archiveKeyPair>): Promise<number> {
  const random = prng(7);
  const sealed = Array.from({ length: FLOOR_SAMPLES }, (_, i) => ({ version: key.version, sealed: encryptChatItem(i + 1, benchMessage(i, random), key).encrypt_random_key }));
  const pool = createRsaPool();
  const keys = new Map([[key.version, key.privateKeyPem]]);
  await pool.open(keys, sealed.slice(0, 200));
  const started = performance.now();
  const opened = await pool.open(keys, sealed);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  if (opened.some((item) => item === null)) throw new Error('the floor failed to open a key');
  return FLOOR_SAMPLES / seconds;
}

/** Messages beyond the ingested ones: multi-row INSERTs with explicit ids and the same tokens as ingestion writes. */
async function seedStored(services: Services, from: number, to: number) {
  const qi = services.db.sequelize.getQueryInterface();
  const random = prng(11);
  const maxId = Number((await services.models.ArchiveMessage.max('id')) ?? 0);
  const now = new Date();
  for (let start = from; start < to; start += 1000) {
    const messages: Array<Record<string, unknown>> = [];
    const postings: Array<{ token: string; message_id: number }> = [];
    for (let n = start; n < Math.min(to, start + 1000); n++) {
      const message = benchMessage(n, random);
      const { employee, customer } = party(n);
      const id = maxId + 1 + (n - from);
      messages.push({ id, msgid: message.msgid, seq: n + 1, status: 'stored', msgtype: 'text', action: 'send', from_id: message.from, to_ids: JSON.stringify(message.tolist), room_id: null, external_userid: customer, customer_id: null, employee_userid: employee, store_id: (n % STORES) + 1, msg_time: new Date(message.msgtime), text: message.text.content, payload: JSON.stringify(message), publickey_ver: 1, encrypt_random_key: null, encrypt_chat_msg: null, revoked_at: null, created_at: now });
      for (const token of indexTokens(message.text.content)) postings.push({ token, message_id: id });
    }
    await services.db.transaction(async (tx) => {
      await qi.bulkInsert('archive_messages', messages, { transaction: tx });
      for (let i = 0; i < postings.length; i += 5000) await qi.bulkInsert('archive_tokens', postings.slice(i, i + 5000), { transaction: tx });
    });
    if ((start - from) % 50_000 === 0) log(`seeded ${start - from + messages.length} / ${to - from}`);
  }
}

async function searchP95(services: Services): Promise<number> {
  const queries = ['空调安装', '维修', '热水器', '上门', '发票', 'installation', '空调 上门', '滤芯', '门锁更换', '评价'];
  const actor = (storeId: number | null): Actor => ({ userId: 1, username: 'bench', displayName: 'bench', roleId: 1, roleCode: storeId ? 'store_manager' : 'admin', permissions: new Set(['archive:read']), dataScope: storeId ? 'store' : 'all', regionId: null, storeId, storeIds: storeId ? [storeId] : null, sessionId: 'bench' });
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await services.chatArchive.search.search(actor(i % 2 ? (i % STORES) + 1 : null), { q: queries[i % queries.length], limit: 20 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.95)]!;
}

/**
 * `npm run bench -- archive`: ingests BENCH_ARCHIVE_MESSAGES messages through the Finance SDK
 * stand-in into a dedicated database, against this machine's RSA-2048 decryption rate on every core
 * (the floor), then seeds up to BENCH_ARCHIVE_TOTAL stored messages and times keyword searches.
 */
export async function benchArchive(): Promise<Record<string, unknown>> {
  const database = await benchDatabase();
  const services = createServices(loadConfig({ ...process.env, DB_URL: database.url, SEED_DEMO: 'false', LOG_LEVEL: 'warn', WECOM_SANDBOX: 'off' }));
  try {
    await prepareDatabase(services);
    const key = archiveKeyPair(1);
    await services.chatArchive.keys.put(1, key.privateKeyPem);
    const { sdkPath, fixture } = archiveFixture();
    const random = prng(3);
    for (let start = 0; start < INGEST; start += 10_000) {
      fixture.append(Array.from({ length: Math.min(10_000, INGEST - start) }, (_, i) => ({ message: benchMessage(start + i, random), key })));
    }
    log(`fixture: ${INGEST} encrypted messages`);

    const floor = await rsaFloor(key);
    log(`rsa floor: ${Math.round(floor)} keys/s`);

    const sdk = loadFinanceSdk(sdkPath, { corpId: CORP, secret: 'bench-secret' });
    const rsa = createRsaPool();
    const ingest = createArchiveIngest({ db: services.db, models: services.models, keys: services.chatArchive.keys, sdk, rsa, corpId: CORP, log: services.log, batchSize: 1000 });
    const started = performance.now();
    let logged = 0;
    const { stored } = await ingest.runUntilCaughtUp((batch) => {
      logged += batch.stored;
      if (logged % 20_000 === 0) log(`ingested ${logged}`);
    });
    const seconds = (performance.now() - started) / 1000;
    await rsa.close();
    sdk.destroy();
    if (stored !== INGEST) throw new Error(`ingested ${stored} of ${INGEST}`);
    const msgsPerS = INGEST / seconds;
    log(`ingest: ${Math.round(msgsPerS)} msgs/s`);

    await seedStored(services, INGEST, TOTAL);
    const p95 = await searchP95(services);
    return { msgs_per_s: Math.round(msgsPerS), rsa_floor_per_s: Math.round(floor), ratio: Number((msgsPerS / floor).toFixed(3)), search_p95_ms: Number(p95.toFixed(1)), messages: TOTAL, dialect: services.db.dialect };
  } finally {
    await services.kv.close();
    await services.db.close();
    await database.drop();
  }
}
