import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

/** The settings that point a server at the simulator's bucket, objects named under `prefix`. */
export const s3StorageEnv = (s3: S3Simulator, prefix: string): Record<string, string> => ({
  STORAGE_DRIVER: 's3',
  S3_ENDPOINT: s3.endpoint,
  S3_REGION: s3.region,
  S3_BUCKET: s3.bucket,
  S3_PREFIX: prefix,
  S3_FORCE_PATH_STYLE: 'true',
  S3_ACCESS_KEY_ID: s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
});

export interface S3SimulatorOptions {
  bucket?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface S3Simulator {
  /** `http://127.0.0.1:<port>`: use with path-style addressing. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys stored in the bucket, sorted. */
  keys(): string[];
  /** The next `count` requests get 503 SlowDown (after reading their body), as an overloaded store answers. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

/** S3 refuses requests signed more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60_000;
const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An S3-compatible server for tests, speaking the real protocol over HTTP: PutObject, GetObject,
 * HeadObject and DeleteObject on one bucket with path-style addressing (`/<bucket>/<key>`). Every
 * request's SigV4 signature is recomputed from the known secret; a mismatch gets S3's 403
 * SignatureDoesNotMatch, as from S3 itself.
 */
export async function startS3Simulator(options: S3SimulatorOptions = {}): Promise<S3Simulator> {
  const bucket = options.bucket ?? 'scrm-test';
  const region = options.region ?? 'us-east-1';
  const accessKeyId = options.accessKeyId ?? `AKID${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = options.secretAccessKey ?? randomBytes(30).toString('base64');
  const signer = new SignatureV4({ service: 's3', region, credentials: { accessKeyId, secretAccessKey }, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: true });
  const objects = new Map<string, StoredObject>();
  let failing = 0;

  async function verifySignature(req: IncomingMessage, url: URL, body: Buffer): Promise<void> {
    const header = req.headers.authorization;
    if (!header) throw new S3Failure(403, 'AccessDenied', 'Anonymous access is forbidden for this operation');
    const match = AUTH.exec(header);
    if (!match) throw new S3Failure(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
    const [, keyId, day, signingRegion, signedHeaders = '', signature = ''] = match;
    if (keyId !== accessKeyId) throw new S3Failure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (signingRegion !== region) throw new S3Failure(400, 'AuthorizationHeaderMalformed', `the region '${signingRegion}' is wrong; expecting '${region}'`);
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const signedAt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!signedAt || !amzDate.startsWith(day ?? '')) throw new S3Failure(403, 'AccessDenied', 'x-amz-date is missing or does not match the credential scope');
    const signingDate = new Date(`${signedAt[1]}-${signedAt[2]}-${signedAt[3]}T${signedAt[4]}:${signedAt[5]}:${signedAt[6]}Z`);
    if (Math.abs(Date.now() - signingDate.getTime()) > MAX_SKEW_MS) throw new S3Failure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    const names = signedHeaders.split(';');
    if (!names.includes('host')) throw new S3Failure(403, 'AccessDenied', 'the host header must be signed');
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (/^[0-9a-f]{64}$/.test(payloadHash) && createHash('sha256').update(body).digest('hex') !== payloadHash) {
      throw new S3Failure(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [seen, value].flat();
    }
    const headers = Object.fromEntries(names.map((name) => [name, String(req.headers[name] ?? '')]));
    const request: HttpRequest = { method: req.method ?? 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port) || undefined, path: url.pathname, query, headers, body };
    const expected = await signer.sign(request, { signingDate, signingRegion: region, signableHeaders: new Set(names) });
    const recomputed = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1] ?? '';
    if (recomputed.length !== signature.length || !timingSafeEqual(Buffer.from(recomputed), Buffer.from(signature))) {
      throw new S3Failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    const [, bucketName = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    if (decodeURIComponent(bucketName) !== bucket) throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key) throw new S3Failure(501, 'NotImplemented', 'bucket operations are not simulated');
    const unsupported = [...url.searchParams.keys()].filter((name) => name !== 'x-id');
    if (unsupported.length) throw new S3Failure(501, 'NotImplemented', `not simulated: ?${unsupported.join('&')}`);
    const found = objects.get(key);
    const describe = (object: StoredObject) => {
      res.setHeader('content-type', object.contentType);
      res.setHeader('content-length', object.body.length);
      res.setHeader('etag', object.etag);
      res.setHeader('last-modified', object.lastModified.toUTCString());
    };
    switch (req.method) {
      case 'PUT': {
        if (String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) throw new S3Failure(501, 'NotImplemented', 'aws-chunked bodies are not simulated');
        const declared = req.headers['content-length'];
        if (declared !== undefined && Number(declared) !== body.length) throw new S3Failure(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
        const md5 = createHash('md5').update(body);
        const contentMd5 = req.headers['content-md5'];
        if (contentMd5 && contentMd5 !== md5.copy().digest('base64')) throw new S3Failure(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
        const object = { body, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'), etag: `"${md5.digest('hex')}"`, lastModified: new Date() };
        objects.set(key, object);
        res.setHeader('etag', object.etag);
        res.end();
        return;
      }
      case 'GET':
      case 'HEAD':
        if (!found) {
          if (req.method === 'HEAD') throw new S3Failure(404, 'NotFound', '');
          throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
        }
        describe(found);
        res.end(req.method === 'GET' ? found.body : undefined);
        return;
      case 'DELETE':
        objects.delete(key);
        res.statusCode = 204;
        res.end();
        return;
      default:
        throw new S3Failure(405, 'MethodNotAllowed', `${req.method} is not allowed against this resource`);
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const body = Buffer.concat(chunks);
      verifySignature(req, url, body)
        .then(() => {
          if (failing > 0 && failing--) throw new S3Failure(503, 'SlowDown', 'Please reduce your request rate.');
          handle(req, res, url, body);
        })
        .catch((error: unknown) => {
          const failure = error instanceof S3Failure ? error : new S3Failure(500, 'InternalError', error instanceof Error ? error.message : String(error));
          res.statusCode = failure.status;
          res.setHeader('x-amz-request-id', randomBytes(8).toString('hex').toUpperCase());
          if (req.method === 'HEAD') return void res.end();
          res.setHeader('content-type', 'application/xml');
          res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${escapeXml(failure.message)}</Message><Resource>${escapeXml(url.pathname)}</Resource></Error>`);
        });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    keys: () => [...objects.keys()].sort(),
    failNext: (count) => {
      failing = count;
    },
    stop: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
