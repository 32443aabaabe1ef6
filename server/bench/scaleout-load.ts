import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers: Record<string, string>;
}

export interface LoadPlan {
  urls: string[];
  /** Connections per URL. */
  connections: number;
  requests: LoadRequest[];
}

/**
 * Load generator for the scale-out bench, in its own process: drives every URL at once, each with its
 * own equal share of the requests, each sent once (a repeated callback would only count a delivery).
 * Prints one JSON line `{ rps, p99, ok, failed, cpuMs }` where rps counts 2xx answers per second over all URLs
 * and cpuMs is the generator's own CPU while sending.
 */
async function main() {
  const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadPlan;
  const cpuBefore = process.cpuUsage();
  // Contiguous slices, so that each URL gets the plan's mix of kinds (dealing them out in turn would
  // send every other request, one kind alone, to the same URL when there are two).
  const size = Math.ceil(plan.requests.length / plan.urls.length);
  const runs = await Promise.all(
    plan.urls.map((url, u) => {
      const share = plan.requests.slice(u * size, (u + 1) * size);
      let index = 0;
      return autocannon({
        // Results are taken at the first sample tick after the last answer: sample often, so that a run's duration is exact.
        sampleInt: 10,
        url,
        connections: plan.connections,
        amount: share.length,
        requests: [
          {
            setupRequest: (request) => {
              const next = share[index++ % share.length]!;
              return { ...request, method: next.method, path: next.path, body: next.body, headers: next.headers };
            },
          },
        ],
      });
    }),
  );
  const seconds = Math.max(...runs.map((r) => r.duration || 1));
  const ok = runs.reduce((sum, r) => sum + r['2xx'], 0);
  const failed = runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ rps: ok / seconds, p99: Math.max(...runs.map((r) => r.latency.p99)), ok, failed, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
