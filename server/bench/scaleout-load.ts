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
 * Prints one JSON line `{ rps, p99, ok, failed }` where rps counts 2xx answers per second over all URLs.
 */
async function main() {
  const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadPlan;
  const runs = await Promise.all(
    plan.urls.map((url, u) => {
      const share = plan.requests.filter((_, i) => i % plan.urls.length === u);
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
  process.stdout.write(`${JSON.stringify({ rps: ok / seconds, p99: Math.max(...runs.map((r) => r.latency.p99)), ok, failed })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
