import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import busboy from 'busboy';
import Koa, { type Context } from 'koa';

export interface StubFile {
  field: string;
  filename: string;
  mimeType: string;
  data: Buffer;
}

export interface StubRequest {
  /** Path under /cgi-bin/, e.g. `externalcontact/get`. */
  api: string;
  method: string;
  query: Record<string, string>;
  body: unknown;
  file?: StubFile;
}

/** A JSON body, `'drop'` to destroy the connection, or a bare HTTP status. */
export type StubReply = Record<string, unknown> | 'drop' | { httpStatus: number };
export type StubHandler = (req: StubRequest) => StubReply;

export interface StubWecomOptions {
  corpId?: string;
  secrets?: string[];
  expiresIn?: number;
}

/**
 * A tiny stand-in for qyapi.weixin.qq.com on a random local port: issues `stub-token-N` tokens,
 * answers 40014 for unknown or revoked ones, and serves scripted replies per API. Not the sandbox.
 */
export async function startStubWecom(options: StubWecomOptions = {}) {
  const corpId = options.corpId ?? 'ww-test-corp';
  const secrets = new Set(options.secrets ?? ['contact-secret', 'customer-secret', 'agent-secret']);
  const validTokens = new Set<string>();
  const secretOfToken = new Map<string, string>();
  const scripts = new Map<string, StubReply[]>();
  const handlers = new Map<string, StubHandler>();
  const requests: StubRequest[] = [];
  let issued = 0;

  const app = new Koa();
  app.use(bodyParser());
  app.use(async (ctx) => {
    const api = ctx.path.replace(/^\/cgi-bin\//, '');
    const query = Object.fromEntries(Object.entries(ctx.query).map(([k, v]) => [k, String(v)]));
    const file = ctx.is('multipart') ? await readFile(ctx) : undefined;
    const req: StubRequest = { api, method: ctx.method, query, body: ctx.request.body, ...(file ? { file } : {}) };
    requests.push(req);
    const reply = answer(req);
    if (reply === 'drop') {
      ctx.req.socket.destroy();
      ctx.respond = false;
    } else if ('httpStatus' in reply && typeof reply.httpStatus === 'number') {
      ctx.status = reply.httpStatus;
      ctx.body = 'upstream error';
    } else {
      ctx.body = reply;
    }
  });

  function answer(req: StubRequest): StubReply {
    if (req.api === 'gettoken') {
      if (req.query.corpid !== corpId || !secrets.has(req.query.corpsecret ?? '')) return { errcode: 40001, errmsg: 'invalid credential' };
      const token = `stub-token-${++issued}`;
      validTokens.add(token);
      secretOfToken.set(token, req.query.corpsecret ?? '');
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: options.expiresIn ?? 7200 };
    }
    const scripted = scripts.get(req.api)?.shift();
    if (scripted) return scripted;
    if (!validTokens.has(req.query.access_token ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
    return handlers.get(req.api)?.(req) ?? { errcode: 0, errmsg: 'ok' };
  }

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;

  return {
    corpId,
    apiBase: `http://127.0.0.1:${port}`,
    requests,
    /** Requests to one API (gettoken included under 'gettoken'). */
    calls: (api: string) => requests.filter((r) => r.api === api),
    /** The secret whose gettoken issued the token a request carried: tells which app's token it used. */
    secretUsedBy: (req: StubRequest) => secretOfToken.get(req.query.access_token ?? ''),
    /** One-shot replies for an API, used in order before its handler (token checks skipped). */
    script(api: string, ...replies: StubReply[]) {
      scripts.set(api, [...(scripts.get(api) ?? []), ...replies]);
    },
    handle(api: string, handler: StubHandler) {
      handlers.set(api, handler);
    },
    /** WeCom drops the token early: later calls with it get 40014. */
    revoke(token: string) {
      validTokens.delete(token);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type StubWecom = Awaited<ReturnType<typeof startStubWecom>>;

function readFile(ctx: Context): Promise<StubFile | undefined> {
  return new Promise((resolve, reject) => {
    let file: StubFile | undefined;
    const parser = busboy({ headers: ctx.req.headers });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        file = { field, filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) };
      });
    });
    parser.on('close', () => resolve(file));
    parser.on('error', reject);
    ctx.req.pipe(parser);
  });
}
