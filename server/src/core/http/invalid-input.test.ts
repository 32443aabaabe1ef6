import { startTestServer, type TestServer } from '../../testing/test-server';

describe('invalid input', () => {
  let server: TestServer;
  let admin: string;
  let storeId: number;

  beforeAll(async () => {
    server = await startTestServer({ env: { BODY_LIMIT_KB: '16' } });
    admin = await server.login('admin');
    const stores = await server.api<{ data: { items: Array<{ id: number }> } }>('GET', '/api/stores', { token: admin });
    storeId = stores.body.data.items[0]?.id ?? 0;
  });
  afterAll(() => server.stop());

  /** Counts of the rows a bad request must not touch. */
  async function snapshot() {
    const { models } = server.running.services;
    return { customers: await models.Customer.count(), audit: await models.AuditLog.count(), regions: await models.Region.count() };
  }

  it('rejects wrong types and missing fields with 400 and the path of every bad field', async () => {
    const before = await snapshot();
    const reply = await server.api('POST', '/api/customers', { token: admin, body: { name: 42, phone: 'call me', storeId: 'one' } });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    const paths = (reply.body.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(paths).toEqual(['body.name', 'body.phone', 'body.storeId']);
    expect(reply.body).toHaveProperty('requestId');
    expect(await snapshot()).toEqual(before);
  });

  it('rejects control characters in a path parameter or the query string with 400, before any query sees them', async () => {
    const cases = [
      ['/api/customers/by-external/%00%01%1F', 'params.externalUserId'],
      ['/api/handovers/employees/a%00b/assets', 'params.userid'],
      ['/api/handovers/employees?q=%00%01%1F', 'query.q'],
    ];
    for (const [path, field] of cases) {
      const reply = await server.api<{ code: string; details: Array<{ path: string }> }>('GET', path as string, { token: admin });
      expect(reply.status).toBe(400);
      expect(reply.body.details.map((d) => d.path)).toEqual([field]);
    }
  });

  it('rejects a missing required field by name', async () => {
    const reply = await server.api('POST', '/api/regions', { token: admin, body: { name: '华北' } });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([expect.objectContaining({ path: 'body.code' })]);
  });

  it('rejects over-long values with the field path', async () => {
    const before = await snapshot();
    const reply = await server.api('POST', '/api/customers', { token: admin, body: { name: '长'.repeat(500), storeId } });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([expect.objectContaining({ path: 'body.name' })]);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects malformed JSON with 400', async () => {
    const before = await snapshot();
    const reply = await server.api('POST', '/api/customers', { token: admin, rawBody: '{"name": "x", "storeId": ' });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('MALFORMED_JSON');
    expect(reply.body.details).toEqual([expect.objectContaining({ path: 'body' })]);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects an oversized body with 413 before reading it', async () => {
    const before = await snapshot();
    const reply = await server.api('POST', '/api/customers', { token: admin, body: { name: 'x', storeId, address: 'x'.repeat(20 * 1024) } });
    expect(reply.status).toBe(413);
    expect(reply.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await snapshot()).toEqual(before);
  });

  it('rejects bad query and path parameters', async () => {
    expect((await server.api('GET', '/api/customers?pageSize=100000', { token: admin })).body.details).toEqual([expect.objectContaining({ path: 'query.pageSize' })]);
    expect((await server.api('GET', '/api/customers/abc', { token: admin })).body.details).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });

  it('answers unknown API routes with the error envelope', async () => {
    const reply = await server.api('GET', '/api/nothing-here', { token: admin });
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe('NOT_FOUND');
  });

  it('answers a duplicate with 409 and changes nothing', async () => {
    const before = await snapshot();
    const reply = await server.api('POST', '/api/regions', { token: admin, body: { code: 'EAST', name: '重复' } });
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('CONFLICT');
    expect(await snapshot()).toEqual(before);
  });
});
