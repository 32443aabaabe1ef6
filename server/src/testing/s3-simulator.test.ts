import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { startS3Simulator, type S3Simulator } from './s3-simulator';

describe('S3 simulator', () => {
  let s3: S3Simulator;
  beforeAll(async () => {
    s3 = await startS3Simulator({ bucket: 'media' });
  });
  afterAll(() => s3.stop());

  /** A request signed as the SDK signs it, before anyone tampers with it. */
  async function signed(method: 'PUT' | 'GET', key: string, body = '', signingDate = new Date()) {
    const url = new URL(`${s3.endpoint}/media/${key}`);
    const signer = new SignatureV4({ service: 's3', region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
    const request = await signer.sign(
      {
        method,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: {},
        headers: { host: url.host, 'content-type': 'text/plain', 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
        body,
      },
      { signingDate },
    );
    return { method, url: url.toString(), headers: request.headers, body };
  }
  const send = (request: { method: string; url: string; headers: Record<string, string>; body: string }) =>
    fetch(request.url, { method: request.method, headers: request.headers, body: request.method === 'PUT' ? request.body : undefined });
  const codeOf = async (response: Response) => /<Code>(\w+)<\/Code>/.exec(await response.text())?.[1];

  it('stores an object sent with a valid signature and serves it back', async () => {
    const put = await send(await signed('PUT', 'notes/a.txt', 'hello'));
    expect(put.status).toBe(200);
    expect(s3.keys()).toEqual(['notes/a.txt']);
    const get = await send(await signed('GET', 'notes/a.txt'));
    expect([get.status, get.headers.get('content-type'), await get.text()]).toEqual([200, 'text/plain', 'hello']);
  });

  it('refuses a signed request whose key, header or body changed after signing: 403 SignatureDoesNotMatch / 400 XAmzContentSHA256Mismatch', async () => {
    const request = await signed('PUT', 'notes/b.txt', 'hello');
    const otherKey = await send({ ...request, url: request.url.replace('notes/b.txt', 'notes/c.txt') });
    expect(otherKey.status).toBe(403);
    expect(await codeOf(otherKey)).toBe('SignatureDoesNotMatch');
    const otherType = await send({ ...request, headers: { ...request.headers, 'content-type': 'text/html' } });
    expect([otherType.status, await codeOf(otherType)]).toEqual([403, 'SignatureDoesNotMatch']);
    const otherBody = await send({ ...request, body: 'HELLO' });
    expect([otherBody.status, await codeOf(otherBody)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect(s3.keys()).not.toContain('notes/b.txt');
    expect(s3.keys()).not.toContain('notes/c.txt');
  });

  it('refuses an unsigned request and a signature made an hour ago', async () => {
    const anonymous = await fetch(`${s3.endpoint}/media/notes/a.txt`);
    expect([anonymous.status, await codeOf(anonymous)]).toEqual([403, 'AccessDenied']);
    const old = await send(await signed('PUT', 'notes/d.txt', 'hello', new Date(Date.now() - 60 * 60_000)));
    expect(old.status).toBe(403);
    expect(await codeOf(old)).toBe('RequestTimeTooSkewed');
  });
});
