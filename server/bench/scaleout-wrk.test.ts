import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadRequest } from './scaleout-load';
import { driveWithWrk, wrkPath } from './scaleout-wrk';

const wrk = wrkPath();
// CI installs wrk; elsewhere the bench falls back to its Node.js generator, so the test may skip.
const describeWithWrk = wrk || process.env.CI ? describe : describe.skip;

interface Received {
  method: string;
  path: string;
  plan: string | undefined;
  body: string;
}

/** An instance stand-in: records every request, answers 500 to paths that ask for it and 200 to the rest. */
async function recordingServer(received: Received[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = request.url ?? '';
      if (path === '/healthz') return response.end('idle');
      received.push({ method: request.method ?? '', path, plan: request.headers['x-plan'] as string | undefined, body });
      response.statusCode = path.includes('fail') ? 500 : 200;
      response.end('answered');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

describeWithWrk('the scale-out bench sending its plan with wrk', () => {
  const received: Array<Received[]> = [[], []];
  let servers: Array<{ server: Server; url: string }>;
  let dir: string;

  beforeAll(async () => {
    servers = await Promise.all(received.map(recordingServer));
    dir = mkdtempSync(join(tmpdir(), 'scaleout-wrk-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map(({ server }) => new Promise((closed) => server.close(closed))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every request once, an equal run of the plan to each instance, bodies and headers intact, and counts what failed', async () => {
    const requests = Array.from({ length: 400 }, (_, i): LoadRequest =>
      i % 2
        ? { method: 'GET', path: `/api/list?q=%2F${i}${i === 301 ? '&fail=1' : ''}`, headers: { 'x-plan': String(i), authorization: 'Bearer a:b' } }
        : { method: 'POST', path: `/wecom/callback?n=${i}`, headers: { 'x-plan': String(i), 'content-type': 'text/xml' }, body: `<xml>\n\t<Id>${i}</Id> 100%\r\n</xml>` },
    );

    const load = await driveWithWrk(wrk as string, { urls: servers.map((s) => s.url), connections: 4, requests }, dir);

    expect({ ok: load.ok, failed: load.failed }).toEqual({ ok: 399, failed: 1 });
    expect(load.rps).toBeGreaterThan(0);
    expect(load.cpuMs).toBeGreaterThan(0);
    const sent = (index: number) => ({ method: requests[index]!.method, path: requests[index]!.path, plan: String(index), body: requests[index]!.body ?? '' });
    const byPlan = (list: Received[]) => [...list].sort((a, b) => Number(a.plan) - Number(b.plan));
    expect(byPlan(received[0]!)).toEqual(Array.from({ length: 200 }, (_, i) => sent(i)));
    expect(byPlan(received[1]!)).toEqual(Array.from({ length: 200 }, (_, i) => sent(200 + i)));
  });
});
