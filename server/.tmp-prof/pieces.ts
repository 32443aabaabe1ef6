import { eventIdempotencyKey, parseEnvelope, parseWecomEvent, parseXml } from '@scrm/wecom-adapter';
import { createFieldCipher } from '../src/core/crypto/field-cipher';
import { randomBytes } from 'node:crypto';
import { sqlInstant } from '../src/core/db/sql-instant';
import { cryptoFor, externalContactXml, sealedCallback, testWecomEnv } from '../src/testing/wecom-test-callbacks';
const env = testWecomEnv('ww_bench_corp'); const crypto = cryptoFor(env);
const N = 20000;
const reqs = Array.from({ length: N }, (_, i) => sealedCallback(crypto, env.WECOM_CORP_ID, externalContactXml(env.WECOM_CORP_ID, { changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: `wm_${i}`, createTime: 1700000000 })));
const cipher = createFieldCipher(randomBytes(32), randomBytes(32));
const summaryFields = ['Event', 'InfoType', 'ChangeType', 'MsgType', 'MsgId', 'UserID', 'ExternalUserID', 'ChatId', 'Id', 'TagType', 'UpdateDetail', 'State', 'Source', 'FailReason', 'AgentID', 'CreateTime', 'TimeStamp'];
const t: Record<string, bigint> = {};
const time = async <T>(name: string, f: () => T | Promise<T>) => { const s = process.hrtime.bigint(); const r = await f(); t[name] = (t[name] ?? 0n) + process.hrtime.bigint() - s; return r; };
(async () => {
  for (let round = 0; round < 2; round++) {
    for (const k of Object.keys(t)) delete t[k];
    for (const r of reqs) {
      const q = Object.fromEntries(new URLSearchParams(r.path.split('?')[1]));
      const env2 = await time('envelope', () => parseEnvelope(r.body));
      const plain = await time('open', () => crypto.open({ msgSignature: q.msg_signature!, timestamp: q.timestamp!, nonce: q.nonce! }, env2.encrypt));
      const ev = await time('parse', async () => parseWecomEvent(await parseXml(plain)));
      await time('key', () => eventIdempotencyKey(ev));
      const raw = ev.raw as Record<string, unknown>;
      await time('summary', () => JSON.stringify(Object.fromEntries(summaryFields.filter((f) => raw[f] !== undefined).map((f) => [f, raw[f]]))));
      const js = await time('stringify', () => JSON.stringify(ev));
      await time('encrypt', () => cipher.encrypt(js));
      await time('randomBytes12', () => randomBytes(12));
      await time('instant', () => [sqlInstant('mysql', new Date(ev.createTime * 1000)), sqlInstant('mysql', new Date())]);
    }
    console.log(Object.entries(t).map(([k, v]) => `${k}=${(Number(v) / 1000 / N).toFixed(1)}us`).join(' '));
  }
})();
