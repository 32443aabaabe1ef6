import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { erpState, type SimulatorFields, type StockSeed } from './erp-state';

export interface ErpSimulatorOptions {
  port?: number;
  /** `{ WH-SH: { AC-PIPE-3M: 10 } }`: on-hand stock per warehouse and part. */
  stock?: StockSeed;
  /** What the ERP calls its fields (the plugin's field mapping must match). */
  fields?: Partial<SimulatorFields>;
  auth?: { apiKeyHeader?: string; apiKey?: string; username?: string; password?: string };
}

type Json = Record<string, unknown>;

/**
 * A reference ERP for tests and the sandbox demo: stock per warehouse, reservations (idempotent on
 * their reference), release, and transfers between warehouses, over HTTP with an API key or basic
 * authentication. `failNext(n)` makes the next n requests answer 503, as an ERP under maintenance.
 */
export async function startErpSimulator(options: ErpSimulatorOptions = {}) {
  const state = erpState(options.stock ?? {}, options.fields);
  const f = state.fields;
  const apiKeyHeader = (options.auth?.apiKeyHeader ?? 'X-Api-Key').toLowerCase();
  let failures = 0;
  const requests: Array<{ method: string; path: string }> = [];

  const authorized = (req: IncomingMessage) => {
    const auth = options.auth;
    if (!auth) return true;
    if (auth.apiKey !== undefined) return req.headers[apiKeyHeader] === auth.apiKey;
    const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    return req.headers.authorization === expected;
  };

  async function bodyOf(req: IncomingMessage): Promise<Json> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as Json) : {};
  }

  async function route(req: IncomingMessage): Promise<[number, Json]> {
    const url = new URL(req.url ?? '/', 'http://erp.local');
    requests.push({ method: req.method ?? 'GET', path: url.pathname });
    if (!authorized(req)) return [401, { error: 'unauthorized' }];
    if (failures > 0) {
      failures -= 1;
      return [503, { error: 'maintenance' }];
    }
    if (req.method === 'GET' && url.pathname === '/stock') {
      const sku = url.searchParams.get(f.sku);
      const warehouse = url.searchParams.get(f.warehouse);
      if (!sku || !warehouse) return [400, { error: `${f.sku} and ${f.warehouse} are required` }];
      return [200, state.stockOf(warehouse, sku)];
    }
    if (req.method === 'POST' && url.pathname === '/reservations') return state.reserve(await bodyOf(req));
    const release = /^\/reservations\/([^/]+)\/release$/.exec(url.pathname);
    if (req.method === 'POST' && release) return state.release(decodeURIComponent(release[1] as string));
    if (req.method === 'POST' && url.pathname === '/transfers') return state.transfer(await bodyOf(req));
    return [404, { error: 'not found' }];
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(req)
      .catch((error: unknown): [number, Json] => [400, { error: error instanceof Error ? error.message : String(error) }])
      .then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    failNext(count: number): void {
      failures = count;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ErpSimulator = Awaited<ReturnType<typeof startErpSimulator>>;
