import { parseStringPromise } from 'xml2js';
import { createCallbackCrypto } from '../crypto/callback-crypto';
import { TEST_AES_KEY, TEST_CORP_ID, manualClock, startCallbackReceiver, startTestSandbox } from './sandbox-test-kit';

const TOKEN = 'sandboxCallbackToken';
const crypto = createCallbackCrypto({ token: TOKEN, encodingAesKey: TEST_AES_KEY, receiveId: TEST_CORP_ID });

/** Verifies and decrypts one received POST the way our callback endpoint must. */
async function open(request: { url: URL; body: string }) {
  const envelope = (await parseStringPromise(request.body, { explicitArray: false })) as { xml: { ToUserName: string; Encrypt: string } };
  expect(envelope.xml.ToUserName).toBe(TEST_CORP_ID);
  const q = request.url.searchParams;
  const plain = crypto.open({ msgSignature: q.get('msg_signature') ?? '', timestamp: q.get('timestamp') ?? '', nonce: q.get('nonce') ?? '' }, envelope.xml.Encrypt);
  return { plain, xml: ((await parseStringPromise(plain, { explicitArray: false })) as { xml: Record<string, string> }).xml };
}

describe('sandbox callbacks', () => {
  it('pushes a signed, decryptable add_external_contact with the contact way state and a welcome code', async () => {
    const receiver = await startCallbackReceiver();
    const clock = manualClock();
    const kit = await startTestSandbox({ clock: clock.now, seed: { employees: 3, customers: 10, seed: 3 }, callback: { url: receiver.url, token: TOKEN, encodingAesKey: TEST_AES_KEY } });
    try {
      const token = await kit.token('customer');
      const userid = kit.sandbox.state.directory.activeEmployees()[0]?.userid as string;
      const way = await kit.post('externalcontact/add_contact_way', token, { type: 1, scene: 2, state: 'channel-42', user: [userid] });
      expect(way).toMatchObject({ errcode: 0, config_id: expect.stringMatching(/^[0-9a-f]{32}$/), qr_code: expect.any(String) });

      const added = await kit.http.post('/__sandbox/events/customer-added', { userId: userid, state: 'channel-42', name: '李四' });
      expect(added.status).toBe(200);
      await kit.sandbox.drainCallbacks();

      expect(receiver.received).toHaveLength(1);
      const { xml } = await open(receiver.received[0] as { url: URL; body: string });
      expect(xml).toEqual({
        ToUserName: TEST_CORP_ID,
        FromUserName: 'sys',
        CreateTime: String(Math.floor(clock.now() / 1000)),
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'add_external_contact',
        UserID: userid,
        ExternalUserID: added.data.externalUserId,
        State: 'channel-42',
        WelcomeCode: added.data.welcomeCode,
      });
      const got = await kit.get('externalcontact/get', token, { external_userid: added.data.externalUserId });
      expect(got.follow_user).toEqual([expect.objectContaining({ userid, state: 'channel-42', add_way: 1 })]);
    } finally {
      await kit.close();
      await receiver.close();
    }
  });

  it('retries a callback answered with HTTP 500 and stops at the first 200', async () => {
    const receiver = await startCallbackReceiver((_req, i) => ({ status: i < 2 ? 500 : 200 }));
    const kit = await startTestSandbox({ seed: { employees: 2, customers: 2, seed: 4 }, callback: { url: receiver.url, token: TOKEN, encodingAesKey: TEST_AES_KEY } });
    try {
      const { deliveryId } = kit.sandbox.control.events.employeeLeft({ userId: kit.sandbox.state.directory.activeEmployees()[0]?.userid as string });
      await kit.sandbox.drainCallbacks();
      expect(receiver.received).toHaveLength(3);
      const delivery = kit.sandbox.control.pusher.deliveries.find((d) => d.id === deliveryId);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
      expect((await open(receiver.received[2] as { url: URL; body: string })).xml).toMatchObject({ Event: 'change_contact', ChangeType: 'delete_user' });
    } finally {
      await kit.close();
      await receiver.close();
    }
  });

  it('gives up after 1 + 3 attempts when the endpoint keeps failing', async () => {
    const receiver = await startCallbackReceiver(() => ({ status: 503 }));
    const kit = await startTestSandbox({ seed: { employees: 2, customers: 0, seed: 5 }, callback: { url: receiver.url, token: TOKEN, encodingAesKey: TEST_AES_KEY } });
    try {
      kit.sandbox.control.events.msgauditNotify();
      await kit.sandbox.drainCallbacks();
      expect(receiver.received).toHaveLength(4);
      expect(kit.sandbox.control.pusher.deliveries[0]).toMatchObject({ status: 'failed', attempts: 4, lastError: 'HTTP 503' });
    } finally {
      await kit.close();
      await receiver.close();
    }
  });

  it('duplicates every callback at duplicateCallbackRate 1 and sends none at dropCallbackRate 1', async () => {
    const receiver = await startCallbackReceiver();
    const kit = await startTestSandbox({
      seed: { employees: 2, customers: 0, seed: 6 },
      callback: { url: receiver.url, token: TOKEN, encodingAesKey: TEST_AES_KEY },
      faults: { duplicateCallbackRate: 1 },
    });
    try {
      kit.sandbox.control.events.msgauditNotify();
      await kit.sandbox.drainCallbacks();
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[0]?.body).toBe(receiver.received[1]?.body);
      expect((await open(receiver.received[1] as { url: URL; body: string })).xml).toMatchObject({ Event: 'msgaudit_notify', AgentID: '1000002' });

      await kit.http.post('/__sandbox/faults', { duplicateCallbackRate: 0, dropCallbackRate: 1 });
      kit.sandbox.control.events.msgauditNotify();
      await kit.sandbox.drainCallbacks();
      expect(receiver.received).toHaveLength(2);
      expect(kit.sandbox.control.pusher.deliveries[1]?.status).toBe('dropped');
    } finally {
      await kit.close();
      await receiver.close();
    }
  });

  it('verifies the callback URL with an echostr GET and accepts only the plain echo', async () => {
    const receiver = await startCallbackReceiver((req) => {
      const q = req.url.searchParams;
      if (req.method !== 'GET') return { status: 405 };
      const echo = crypto.open({ msgSignature: q.get('msg_signature') ?? '', timestamp: q.get('timestamp') ?? '', nonce: q.get('nonce') ?? '' }, q.get('echostr') ?? '');
      return { status: 200, body: echo };
    });
    const kit = await startTestSandbox({ callback: { url: receiver.url, token: TOKEN, encodingAesKey: TEST_AES_KEY } });
    try {
      expect(await kit.sandbox.verifyCallbackUrl()).toMatchObject({ ok: true, status: 200 });
      kit.sandbox.control.setCallback({ url: receiver.url, token: 'wrongToken', encodingAesKey: TEST_AES_KEY });
      await expect(kit.sandbox.verifyCallbackUrl()).resolves.toMatchObject({ ok: false });
    } finally {
      await kit.close();
      await receiver.close();
    }
  });
});
