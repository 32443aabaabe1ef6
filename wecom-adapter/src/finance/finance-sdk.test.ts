import { generateKeyPairSync, privateDecrypt, constants } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFinanceStandin, pointFinanceStandinAt } from './build-standin';
import { createFinanceFixture } from './finance-fixture';
import { loadFinanceSdk, type FinanceSdk } from './finance-sdk';
import { FinanceSdkError } from './finance-error';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });

/** Raw RSA then PKCS#1 v1.5 type-2 unpadding, as the archive worker does it (simplified: the test only needs the key back). */
const unwrap = (sealed: string) => {
  const raw = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(sealed, 'base64'));
  return raw.subarray(raw.indexOf(0, 2) + 1).toString('ascii');
};

describe('Finance SDK stand-in through koffi', () => {
  let dir: string;
  let sdk: FinanceSdk;
  const library = buildFinanceStandin();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'finance-'));
    pointFinanceStandinAt(library, dir);
    sdk = loadFinanceSdk(library, { corpId: 'ww1', secret: 's3cret' });
  });
  afterEach(() => {
    sdk?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages GetChatData from the last sequence and decrypts each message with its RSA-unwrapped key', () => {
    const fixture = createFinanceFixture(dir);
    fixture.append([1, 2, 3].map((n) => ({ message: { msgid: `m${n}`, msgtype: 'text', text: { content: `你好 ${n}` } }, key: { version: 2, publicKeyPem: publicKey } })));
    const first = sdk.getChatData(0, 2);
    expect(first.map((item) => [item.seq, item.msgid, item.publickey_ver])).toEqual([[1, 'm1', 2], [2, 'm2', 2]]);
    const rest = sdk.getChatData(2, 1000);
    expect(rest.map((item) => item.seq)).toEqual([3]);
    expect(JSON.parse(sdk.decrypt(unwrap(rest[0]!.encrypt_random_key), rest[0]!.encrypt_chat_msg))).toEqual({ msgid: 'm3', msgtype: 'text', text: { content: '你好 3' } });
    expect(sdk.getChatData(3, 10)).toEqual([]);
  });

  it('rejects a wrong key with 10006 and a limit above 1000 with 10000', () => {
    const [item] = createFinanceFixture(dir).append([{ message: { msgid: 'x' }, key: { version: 1, publicKeyPem: publicKey } }]);
    expect(() => sdk.decrypt('0123456789abcdef0123456789abcdef', item!.encrypt_chat_msg)).toThrow(expect.objectContaining({ sdkCode: 10006 }));
    expect(() => sdk.getChatData(0, 1001)).toThrow(FinanceSdkError);
  });

  it('returns media in 512 KB chunks chained by the out index', () => {
    const bytes = Buffer.alloc(1_300_000, 7);
    createFinanceFixture(dir).writeMedia('file-1', bytes);
    const chunks = [];
    let index = '';
    for (;;) {
      const chunk = sdk.getMediaChunk('file-1', index);
      chunks.push(chunk.data);
      index = chunk.nextIndex;
      if (chunk.finished) break;
    }
    expect(chunks.map((c) => c.length)).toEqual([524288, 524288, 1_300_000 - 2 * 524288]);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(() => sdk.getMediaChunk('../etc', '')).toThrow(expect.objectContaining({ sdkCode: 10005 }));
  });

  it('refuses to start with a rejected secret', () => {
    expect(() => loadFinanceSdk(library, { corpId: 'ww1', secret: 'wrong-secret' })).toThrow(expect.objectContaining({ call: 'Init', sdkCode: 10011 }));
  });
});
