import fc from 'fast-check';
import { startTestServer, type TestServer } from '../testing/test-server';
import { changedTables, operationsOf, rowCounter, tally, type Operation } from './fuzz-target';
import { hostileBody, hostilePathValue, hostileQueryValue, type RawBody } from './hostile-input';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const BODY_LIMIT_KB = 128;
/** Signing out would end the fuzzing session itself. */
const skipped = new Set(['POST /api/auth/logout']);
/** A refused sign-in is audited by design (who tried which account). */
const auditsRefusals = new Set(['POST /api/auth/login', 'POST /api/auth/wecom/login']);

interface HostileRequest {
  params: string[];
  query: Record<string, string | string[]>;
  body: RawBody | null;
}

const requestsFor = (op: Operation): fc.Arbitrary<HostileRequest> =>
  fc.record({
    params: fc.tuple(...op.pathParams.map(() => hostilePathValue)),
    query: fc.dictionary(fc.constantFrom(...op.queryParams, 'unexpected', '__proto__'), hostileQueryValue, { maxKeys: 4 }),
    body: op.hasBody ? hostileBody(op.bodyFields, BODY_LIMIT_KB * 1024) : fc.constant(null),
  });

/** Percent-encodes a path segment; a lone surrogate becomes the invalid UTF-8 a hostile client would send. */
const encodeSegment = (value: string) => [...value].map((char) => (/^[\ud800-\udfff]$/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');

function urlOf(op: Operation, request: HostileRequest): string {
  let index = 0;
  const path = op.path.replace(/\{\w+\}/g, () => encodeSegment(request.params[index++] ?? ''));
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) for (const item of [value].flat()) query.append(key, item);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

describe('bad-input fuzzing of every API route', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({
      // No background processing: a row count may change only through the request under test.
      env: { BODY_LIMIT_KB: String(BODY_LIMIT_KB), JOB_WORKER_ENABLED: 'false', LOGIN_IP_MAX_ATTEMPTS: '1000000', LOGIN_ACCOUNT_MAX_FAILURES: '1000000' },
    });
    token = await server.login('admin');
  });
  afterAll(() => server.stop());

  it('never answers malformed, oversized or hostile input from an admin with a 5xx, and a refused request stores nothing', async () => {
    const operations = (await operationsOf(server)).filter((op) => !skipped.has(`${op.method} ${op.path}`));
    expect(operations.length).toBeGreaterThan(100);
    const counts = rowCounter(server.running.services.models);
    const seen = tally();
    const failures: string[] = [];

    for (const op of operations) {
      const name = `${op.method} ${op.path}`;
      let problem = '';
      const property = fc.asyncProperty(requestsFor(op), async (request) => {
        const before = await counts();
        const url = urlOf(op, request);
        const response = await fetch(`${server.baseUrl}${url}`, {
          method: op.method,
          headers: { authorization: `Bearer ${token}`, ...(request.body && { 'content-type': request.body.contentType }) },
          body: request.body?.text,
        });
        const text = await response.text();
        seen.add(response.status, request.body?.kind ?? (Object.keys(request.query).length ? 'query' : 'path'));
        if (response.status === 401) token = await server.login('admin');
        if (response.status >= 500) problem = `${response.status} for ${op.method} ${url.slice(0, 300)} (${request.body?.kind ?? 'no body'}): ${text.slice(0, 200)}`;
        if (problem) throw new Error(problem);
        if (response.status >= 400) {
          const changed = changedTables(before, await counts()).filter((change) => !(auditsRefusals.has(name) && change.startsWith('audit_logs ')));
          if (changed.length) problem = `${response.status} for ${op.method} ${url.slice(0, 300)} (${request.body?.kind ?? 'no body'}) yet stored: ${changed.join(', ')}`;
          if (problem) throw new Error(problem);
        }
      });
      try {
        await fc.assert(property, { numRuns: RUNS, endOnFailure: true });
      } catch (error) {
        failures.push(`${name}: ${problem || (error instanceof Error ? error.message : String(error)).slice(0, 300)}`);
      }
    }

    const health = await server.api('GET', '/healthz');
    const stillServes = await server.api('GET', '/api/customers', { token });
    console.log(seen.summary('API fuzz', `; ${operations.length} routes; server up: ${health.status === 200 && stillServes.status === 200}`));
    expect(failures).toEqual([]);
    expect(health.status).toBe(200);
    expect(stillServes.status).toBe(200);
  }, 150_000);
});
