import fc from 'fast-check';
import { startTestServer, type TestServer } from '../testing/test-server';
import { cryptoFor, sealedCallback, testWecomEnv } from '../testing/wecom-test-callbacks';
import { tally } from './fuzz-target';
import { deeplyNested, hostileQueryValue, hostileStrings } from './hostile-input';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3) * 20;

const hostileXml = fc.oneof(
  fc.constantFrom(
    '',
    '<xml>',
    '<xml><Encrypt></Encrypt></xml>',
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>',
    `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 8 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><xml><Encrypt>&i;</Encrypt></xml>`,
    '<xml><Encrypt><![CDATA[%%%not-base64%%%]]></Encrypt></xml>',
    '<xml><ToUserName>a</ToUserName><Encrypt>QUJD</Encrypt><Encrypt>REVG</Encrypt></xml>',
    `<xml>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</xml>`,
    '{"Encrypt":"QUJD"}',
    '{"Encrypt":{"$ne":null}}',
    deeplyNested(3000),
    'x'.repeat(70 * 1024),
  ),
  fc.constantFrom(...hostileStrings).map((s) => `<xml><Encrypt><![CDATA[${s}]]></Encrypt></xml>`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Decrypted event XML that is signed and sealed correctly but says nothing sensible. */
const hostilePlaintext = fc.oneof(
  fc.constantFrom(
    '',
    'not xml',
    '<xml>',
    '<xml></xml>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Event>&e;</Event></xml>',
    '<xml><MsgType>event</MsgType><Event>change_external_contact</Event></xml>',
    '<xml><ToUserName>ww_someone_else</ToUserName><MsgType>event</MsgType><Event>change_contact</Event><CreateTime>-1</CreateTime></xml>',
    '<xml><MsgType>event</MsgType><Event>change_external_contact</Event><ChangeType>add_external_contact</ChangeType><CreateTime>99999999999999999999</CreateTime></xml>',
  ),
  fc.record({ event: fc.constantFrom(...hostileStrings), changeType: fc.constantFrom(...hostileStrings), time: fc.constantFrom(...hostileStrings) }).map(
    ({ event, changeType, time }) => `<xml><MsgType>event</MsgType><Event><![CDATA[${event}]]></Event><ChangeType>${changeType.replace(/[<&]/g, '')}</ChangeType><CreateTime>${time.replace(/[<&]/g, '')}</CreateTime></xml>`,
  ),
);

const contentTypes = fc.constantFrom('text/xml', 'application/xml', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/octet-stream');

describe('bad-input fuzzing of the WeCom callback endpoint', () => {
  const wecom = testWecomEnv();
  let server: TestServer;
  beforeAll(async () => {
    // An unreachable WeCom API: an accepted event's processing must not reach out anywhere.
    server = await startTestServer({ env: { ...wecom, WECOM_API_BASE: 'http://127.0.0.1:9', JOB_WORKER_ENABLED: 'false' } });
  });
  afterAll(() => server.stop());

  const stored = () => server.running.services.models.WecomCallback.count();
  const seen = tally();

  async function send(method: 'GET' | 'POST', path: string, kind: string, body?: { text: string; contentType: string }) {
    const before = await stored();
    const response = await fetch(`${server.baseUrl}${path}`, { method, headers: body ? { 'content-type': body.contentType } : {}, body: body?.text });
    const text = await response.text();
    seen.add(response.status, kind);
    const after = await stored();
    return { status: response.status, text, storedRows: after - before };
  }

  const queryOf = (fields: Record<string, string | string[]>) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) query.append(key, item);
    return query.toString();
  };
  const hostileQuery = fc.dictionary(fc.constantFrom('msg_signature', 'timestamp', 'nonce', 'echostr', 'unexpected'), hostileQueryValue, { maxKeys: 5 });

  it('answers hostile URL checks without a 5xx and never echoes an unsigned echostr', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, async (query) => {
        const reply = await send('GET', `/wecom/callback?${queryOf(query)}`, 'URL check');
        expect(reply.status).toBeLessThan(500);
        expect(reply.status).not.toBe(200);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses hostile deliveries (bad signatures, envelopes, content types, sizes) without a 5xx, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, hostileXml, contentTypes, async (query, text, contentType) => {
        const reply = await send('POST', `/wecom/callback?${queryOf(query)}`, 'unsigned delivery', { text, contentType });
        expect(reply.status).toBeGreaterThanOrEqual(400);
        expect(reply.status).toBeLessThan(500);
        expect(reply.storedRows).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('handles correctly signed deliveries of nonsense events without a 5xx, storing nothing it refuses', async () => {
    const crypto = cryptoFor(wecom);
    await fc.assert(
      fc.asyncProperty(hostilePlaintext, async (plaintext) => {
        const sealed = sealedCallback(crypto, wecom.WECOM_CORP_ID, plaintext);
        const reply = await send('POST', sealed.path, 'signed nonsense', { text: sealed.body, contentType: 'text/xml' });
        expect(reply.status).toBeLessThan(500);
        if (reply.status >= 400) expect(reply.storedRows).toBe(0);
        else expect(reply.storedRows).toBeLessThanOrEqual(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses an event sealed for another corp, and stays up', async () => {
    const foreign = testWecomEnv('ww_foreign_corp');
    const sealed = sealedCallback(cryptoFor({ ...foreign, WECOM_CALLBACK_TOKEN: wecom.WECOM_CALLBACK_TOKEN, WECOM_CALLBACK_AES_KEY: wecom.WECOM_CALLBACK_AES_KEY }), foreign.WECOM_CORP_ID, '<xml><MsgType>event</MsgType><Event>change_contact</Event></xml>');
    const reply = await send('POST', sealed.path, 'foreign corp', { text: sealed.body, contentType: 'text/xml' });
    expect(reply.status).toBe(400);
    expect(reply.storedRows).toBe(0);
    expect((await server.api('GET', '/healthz')).status).toBe(200);
    console.log(seen.summary('WeCom callback fuzz', `; server up: true`));
  });
});
