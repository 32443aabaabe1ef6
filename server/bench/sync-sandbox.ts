import { request, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox } from '@scrm/wecom-adapter';

/**
 * The WeCom sandbox for the sync benchmark, in its own process so that it does not share a CPU
 * thread with the server. A thin proxy in front counts 45009 answers (GET /__bench/stats).
 * argv: employees customers quotaPerMinute
 */
async function main() {
  const [employees, customers, quota] = process.argv.slice(2).map(Number) as [number, number, number];
  const sandbox = createSandbox({
    corpId: 'ww_bench_sync',
    agentId: 1000002,
    secrets: { contact: 'bench-contact', customer: 'bench-customer', agent: 'bench-agent' },
    quotaPerMinute: quota,
    seed: { employees, customers, seed: 42 },
  });
  const inner = await sandbox.listen(0, '127.0.0.1');
  let rateLimited = 0;
  const calls: Record<string, number> = {};
  const proxy = createServer((req, res) => {
    if (req.url === '/__bench/stats') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ rateLimited, calls, ...sandbox.state.summary() }));
      return;
    }
    const api = (req.url ?? '').split('?')[0]?.replace('/cgi-bin/', '') ?? '';
    calls[api] = (calls[api] ?? 0) + 1;
    const upstream = request(`${inner.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (body.includes('"errcode":45009')) rateLimited += 1;
        res.writeHead(answer.statusCode ?? 200, answer.headers);
        res.end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.keepAliveTimeout = 60_000;
  proxy.listen(0, '127.0.0.1', () => process.stdout.write(`READY http://127.0.0.1:${(proxy.address() as AddressInfo).port}\n`));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
