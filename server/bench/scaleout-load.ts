import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers: Record<string, string>;
}

/** What the load generator reports of one run: 2xx answers per second, the 99th percentile latency (ms), answers, and its own CPU while sending (ms). */
export interface Load {
  rps: number;
  p99: number;
  ok: number;
  failed: number;
  cpuMs: number;
}

export interface LoadPlan {
  urls: string[];
  /** Connections per URL. */
  connections: number;
  requests: LoadRequest[];
}

/**
 * The scale-out bench's load generator where wrk is not installed (or with `BENCH_LOAD=node`), in its
 * own process. It sends every request of the plan once (a repeated callback would only count a
 * delivery), in order, as a load balancer in front of the instances would: each connection, to
 * whichever instance, takes the next request as soon as its last one is answered, so every instance
 * stays busy until the plan is done and gets the plan's mix of kinds. Prints one JSON line: a `Load`.
 */
async function main() {
  const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadPlan;
  const pools = plan.urls.map((url) => new Pool(url, { connections: plan.connections }));
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  async function connection(pool: Pool) {
    for (let request = plan.requests[next++]; request; request = plan.requests[next++]) {
      const sent = performance.now();
      try {
        const answer = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
        await answer.body.dump();
        if (answer.statusCode >= 200 && answer.statusCode < 300) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
      latencies.push(performance.now() - sent);
    }
  }
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(pools.flatMap((pool) => Array.from({ length: plan.connections }, () => connection(pool))));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await Promise.all(pools.map((pool) => pool.close()));
  latencies.sort((a, b) => a - b);
  const p99 = Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0);
  process.stdout.write(`${JSON.stringify({ rps: ok / seconds, p99, ok, failed, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
