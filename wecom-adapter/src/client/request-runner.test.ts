import { createCaptureLogger } from './testing/capture-logger';
import { type StubWecom, startStubWecom } from './testing/stub-wecom';
import { createTestClient, testSecrets } from './testing/test-client';
import { WecomError } from './wecom-error';

const user = { errcode: 0, errmsg: 'ok', userid: 'zhangsan', name: '张三' };

describe('retry rules', () => {
  let stub: StubWecom;
  beforeEach(async () => {
    stub = await startStubWecom();
    stub.handle('user/get', () => user);
  });
  afterEach(() => stub.close());

  it('refreshes the token and retries when WeCom revokes it early (40014)', async () => {
    const { client } = createTestClient(stub);
    await client.directory.getUser('zhangsan');
    stub.revoke('stub-token-1');

    await expect(client.directory.getUser('zhangsan')).resolves.toMatchObject({ userid: 'zhangsan' });
    expect(stub.calls('gettoken')).toHaveLength(2);
    expect(stub.calls('user/get').map((r) => r.query.access_token)).toEqual(['stub-token-1', 'stub-token-1', 'stub-token-2']);
  });

  it('refreshes the token and retries on 42001 (expired before our clock said so)', async () => {
    const { client } = createTestClient(stub);
    stub.script('user/get', { errcode: 42001, errmsg: 'access_token expired' });
    await expect(client.directory.getUser('zhangsan')).resolves.toMatchObject({ name: '张三' });
    expect(stub.calls('gettoken')).toHaveLength(2);
  });

  it('gives up with WecomError after two attempts when the token keeps being refused', async () => {
    const { client } = createTestClient(stub);
    stub.script('user/get', { errcode: 40014, errmsg: 'invalid access_token' }, { errcode: 40014, errmsg: 'invalid access_token' });
    await expect(client.directory.getUser('zhangsan')).rejects.toMatchObject({ errcode: 40014, api: 'user/get' });
    expect(stub.calls('user/get')).toHaveLength(2);
  });

  it('retries -1 and a dropped connection with exponential backoff and jitter, then succeeds', async () => {
    const { client, clock } = createTestClient(stub);
    stub.script('user/get', { errcode: -1, errmsg: 'system busy' }, 'drop', { httpStatus: 502 });
    await expect(client.directory.getUser('zhangsan')).resolves.toMatchObject({ userid: 'zhangsan' });
    // base 300 ms · 2^(n-1) + 0.5 · 300 ms jitter
    expect(clock.sleeps).toEqual([450, 750, 1350]);
    expect(stub.calls('user/get')).toHaveLength(4);
  });

  it('throws WecomError(-1) once three retries of a persistent -1 are spent', async () => {
    const { client, clock } = createTestClient(stub);
    stub.script('user/get', ...Array(4).fill({ errcode: -1, errmsg: 'system busy' }));
    const err = await client.directory.getUser('zhangsan').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomError);
    expect(err).toMatchObject({ errcode: -1, errmsg: 'system busy', api: 'user/get' });
    expect(stub.calls('user/get')).toHaveLength(4);
    expect(clock.sleeps).toHaveLength(3);
  });

  it('does not replay message/send after a dropped connection, since the message may have gone out', async () => {
    const { client } = createTestClient(stub);
    stub.script('message/send', 'drop');
    await expect(client.messages.send({ touser: 'zhangsan', msgtype: 'text', text: { content: 'hi' } })).rejects.toMatchObject({
      errcode: -1,
      api: 'message/send',
      transportCode: 'ECONNRESET',
    });
    expect(stub.calls('message/send')).toHaveLength(1);
  });

  it('waits until the next minute after 45009, then succeeds', async () => {
    const { client, clock } = createTestClient(stub);
    clock.advance(42_500);
    stub.script('user/get', { errcode: 45009, errmsg: 'api freq out of limit' });
    await expect(client.directory.getUser('zhangsan')).resolves.toMatchObject({ userid: 'zhangsan' });
    expect(clock.sleeps).toEqual([17_500]);
    expect(clock.now() % 60_000).toBe(0);
  });

  it('backs off briefly after 45033 (too many concurrent calls), then succeeds', async () => {
    const { client, clock } = createTestClient(stub);
    stub.script('user/get', { errcode: 45033, errmsg: 'api concurrent out of limit' });
    await expect(client.directory.getUser('zhangsan')).resolves.toMatchObject({ userid: 'zhangsan' });
    expect(clock.sleeps).toEqual([1_500]);
  });

  it('gives up on a frequency block after a bounded number of waits', async () => {
    const { client, clock } = createTestClient(stub);
    stub.script('user/get', ...Array(4).fill({ errcode: 45009, errmsg: 'api freq out of limit' }));
    await expect(client.directory.getUser('zhangsan')).rejects.toMatchObject({ errcode: 45009 });
    expect(clock.sleeps).toEqual([60_000, 60_000, 60_000]);
  });

  it('throws other errcodes at once as WecomError carrying api, errcode and errmsg', async () => {
    const { client, clock } = createTestClient(stub);
    stub.script('user/get', { errcode: 60011, errmsg: 'no privilege to access/modify contact/party/agent' });
    const err = await client.directory.getUser('zhangsan').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomError);
    expect(err).toMatchObject({ errcode: 60011, api: 'user/get', message: expect.stringContaining('60011') });
    expect(stub.calls('user/get')).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('reports a wrong secret from gettoken as WecomError without the secret', async () => {
    const { client } = createTestClient(stub, { secrets: { ...testSecrets, contact: 'wrong-secret' } });
    const err = await client.directory.getUser('zhangsan').catch((e: unknown) => e);
    expect(err).toMatchObject({ errcode: 40001, api: 'gettoken' });
    expect(JSON.stringify(err) + String(err)).not.toContain('wrong-secret');
  });

  it('never writes an access token or a secret into the logs or error messages', async () => {
    const logger = createCaptureLogger();
    const { client } = createTestClient(stub, { logger });
    await client.directory.getUser('zhangsan');
    stub.revoke('stub-token-1');
    stub.script('user/get', { errcode: -1, errmsg: 'busy' }, 'drop');
    await client.directory.getUser('zhangsan');
    stub.script('user/get', { errcode: 60011, errmsg: 'echo access_token=stub-token-2&corpsecret=contact-secret' });
    const err = (await client.directory.getUser('zhangsan').catch((e: unknown) => e)) as WecomError;

    expect(logger.lines.length).toBeGreaterThan(5);
    const everything = `${logger.text()}\n${err.message}\n${err.errmsg}\n${JSON.stringify(err)}`;
    expect(everything).not.toMatch(/stub-token-\d/);
    for (const secret of Object.values(testSecrets)) expect(everything).not.toContain(secret);
    expect(logger.text()).toContain('"api":"user/get"');
    expect(logger.text()).toContain('"errcode":-1');
  });
});
