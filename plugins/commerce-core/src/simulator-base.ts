import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
  /** Form or JSON body fields (the TOP platforms post forms), plus the query string. */
  params: Record<string, string>;
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

function paramsOf(rawBody: string, contentType: string, query: Record<string, string>): Record<string, string> {
  if (!rawBody) return { ...query };
  if (contentType.includes('json')) {
    const parsed = JSON.parse(rawBody) as Record<string, unknown>;
    return { ...query, ...Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) };
  }
  return { ...query, ...Object.fromEntries(new URLSearchParams(rawBody)) };
}

/** A platform's open-API gateway, played on a local port (simulators of polling platforms use it). */
export async function startGateway(handle: (request: GatewayRequest) => Promise<{ status?: number; body: unknown }> | { status?: number; body: unknown }, port = 0): Promise<RunningGateway> {
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://gateway');
      const rawBody = await readBody(request);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      const query = Object.fromEntries(url.searchParams);
      try {
        const reply = await handle({ method: request.method ?? 'GET', path: url.pathname, query, headers, rawBody, params: paramsOf(rawBody, headers['content-type'] ?? '', query) });
        response.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(reply.body));
      } catch (error) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: (error as Error).message }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Deterministic sample data, so simulator runs (and failing tests) can be repeated with a seed. */
export function sampleSource(seed = 1) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄'] as const;
  const cities = [
    { city: '上海市徐汇区', lat: 31.19, lng: 121.44 },
    { city: '杭州市西湖区', lat: 30.27, lng: 120.13 },
    { city: '广州市天河区', lat: 23.13, lng: 113.32 },
    { city: '深圳市南山区', lat: 22.53, lng: 113.93 },
  ] as const;
  return {
    next,
    pick,
    buyer() {
      const place = pick(cities);
      return {
        name: `${pick(surnames)}${pick(['先生', '女士'])}`,
        phone: `13${Math.floor(100_000_000 + next() * 899_999_999)}`,
        address: `${place.city}示例路 ${1 + Math.floor(next() * 300)} 号`,
        lat: Number((place.lat + (next() - 0.5) * 0.05).toFixed(5)),
        lng: Number((place.lng + (next() - 0.5) * 0.05).toFixed(5)),
      };
    },
    /** `prefix` then digits, `length` characters in all; the random tail is kept so ids made in one millisecond differ. */
    orderId: (prefix: string, length: number) => {
      const digits = `${Date.now()}${Math.floor(next() * 1e6).toString().padStart(6, '0')}`;
      return `${prefix}${digits.slice(-(length - prefix.length))}`;
    },
  };
}

/** Products the simulators sell: an air conditioner with installation, and an accessory. */
export const sampleProducts = [
  { sku: 'AC-KFR35', name: '格力 1.5 匹变频挂机', categoryId: '20001', categoryName: '空调', priceFen: 299_900 },
  { sku: 'AC-KFR72', name: '美的 3 匹立式柜机', categoryId: '20001', categoryName: '空调', priceFen: 689_900 },
  { sku: 'BR-10', name: '空调安装支架', categoryId: '20002', categoryName: '配件', priceFen: 9_900 },
] as const;
