import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator of the callback and order benches, run in its own process so that it does not
 * share an event loop with the server it measures. Reads `{ url, connections, requests: [{ path,
 * body, headers? }] }` from the file named by argv[2] (requests without headers are sent as XML) and
 * POSTs each once; prints one JSON line `{ rps, p99, acknowledged, non2xx, errors }`.
 */
async function main() {
  const { url, connections, requests } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as {
    url: string;
    connections: number;
    requests: Array<{ path: string; body: string; headers?: Record<string, string> }>;
  };
  let index = 0;
  const result = await autocannon({
    // Results are taken at the first sample tick after the last answer: sample often, so that a run's duration is exact.
    sampleInt: 10,
    url,
    connections,
    amount: requests.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const next = requests[index++ % requests.length]!;
          return { ...request, path: next.path, body: next.body, headers: next.headers ?? { 'content-type': 'text/xml' } };
        },
      },
    ],
  });
  const seconds = result.duration || 1;
  process.stdout.write(`${JSON.stringify({ rps: result['2xx'] / seconds, p99: result.latency.p99, acknowledged: result['2xx'], non2xx: result.non2xx, errors: result.errors })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
