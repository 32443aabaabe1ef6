import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../testing/test-server';

const run = promisify(execFile);
const root = resolve(__dirname, '../../../..');

/** Runs `npm run audit:verify` against the test database, as an operator would. */
async function auditVerify(server: TestServer) {
  try {
    const { stdout } = await run('npm', ['run', '--silent', 'audit:verify'], { cwd: root, env: { ...process.env, ...server.env, LOG_LEVEL: 'error' } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('audit trail', () => {
  let server: TestServer;
  let admin: string;

  beforeEach(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    await server.api('POST', '/api/regions', { token: admin, body: { code: 'NORTH', name: '华北大区' } });
  });
  afterEach(() => server.stop());

  it('records who changed what, with before and after', async () => {
    const regions = await server.api<{ data: Array<{ id: number; code: string }> }>('GET', '/api/regions', { token: admin });
    const north = regions.body.data.find((r) => r.code === 'NORTH');
    await server.api('PATCH', `/api/regions/${north?.id}`, { token: admin, body: { name: '华北一区' } });
    const audit = await server.api<{ data: { items: Array<{ actorName: string; diff: unknown; ip: string; requestId: string }> } }>(
      'GET',
      `/api/audit-logs?action=region.updated&targetType=region&targetId=${north?.id}`,
      { token: admin },
    );
    expect(audit.body.data.items).toHaveLength(1);
    expect(audit.body.data.items[0]).toMatchObject({ actorName: 'admin', diff: { before: { name: '华北大区' }, after: { name: '华北一区' } } });
    expect(audit.body.data.items[0]?.requestId).toBeTruthy();
    expect(audit.body.data.items[0]?.ip).toBeTruthy();
  });

  it('verifies an untouched chain', async () => {
    const result = await auditVerify(server);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/audit trail intact: \d+ entries verified/);
    const api = await server.api<{ data: { ok: boolean } }>('GET', '/api/audit-logs/verify', { token: admin });
    expect(api.body.data.ok).toBe(true);
  });

  it('reports a changed row', async () => {
    const { sequelize } = server.running.services.db;
    const [rows] = await sequelize.query("SELECT seq FROM audit_logs WHERE action = 'region.created'");
    const seq = Number((rows as Array<{ seq: number }>)[0]?.seq);
    await sequelize.query(`UPDATE audit_logs SET actor_name = 'someone-else' WHERE seq = ${seq}`);
    const result = await auditVerify(server);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('AUDIT TRAIL TAMPERED');
    expect(result.stdout).toContain(`#${seq}: content does not match its hash`);
  });

  it('reports a deleted row, in the middle or at the end', async () => {
    const { sequelize } = server.running.services.db;
    await sequelize.query('DELETE FROM audit_logs WHERE seq = 2');
    const middle = await auditVerify(server);
    expect(middle.code).toBe(1);
    expect(middle.stdout).toContain('#2: rows 2..2 are missing');

    const [rows] = await sequelize.query('SELECT MAX(seq) AS last FROM audit_logs');
    await sequelize.query(`DELETE FROM audit_logs WHERE seq = ${Number((rows as Array<{ last: number }>)[0]?.last)}`);
    const end = await auditVerify(server);
    expect(end.stdout).toContain('rows at the end were removed or replaced');
  });
});
