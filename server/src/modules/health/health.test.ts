import { startTestServer, type TestServer } from '../../testing/test-server';

describe('health, readiness and the API description', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('answers /healthz and /readyz when the database is reachable', async () => {
    expect((await server.api('GET', '/healthz')).status).toBe(200);
    const ready = await server.api<{ db: string }>('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.db).toBe('ok');
  });

  it('answers /readyz with 503 when the database is gone', async () => {
    const broken = await startTestServer();
    await broken.running.services.db.close();
    const ready = await broken.api<{ db: string }>('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.db).not.toBe('ok');
    await broken.running.stop().catch(() => undefined);
    await broken.database.drop();
  });

  it('answers /readyz with 503 when Redis is unreachable', async () => {
    const noRedis = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const ready = await noRedis.api<{ redis: string }>('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.redis).not.toBe('ok');
    } finally {
      await noRedis.stop();
    }
  });

  it('describes every route, its input and its permission in /api/openapi.json', async () => {
    const doc = await server.api<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ name: string }>; description?: string }>> }>(
      'GET',
      '/api/openapi.json',
    );
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/customers', '/api/customers/{id}', '/api/stores', '/api/users', '/api/audit-logs', '/api/jobs']));
    expect(doc.body.paths['/api/auth/login']?.post?.requestBody).toBeDefined();
    expect(doc.body.paths['/api/customers']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['page', 'pageSize', 'q', 'phone']));
    expect(doc.body.paths['/api/customers']?.post?.description).toContain('customer:write');
  });

  it('serves the admin console for client-side routes', async () => {
    const page = await fetch(`${server.baseUrl}/org/stores`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
