import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import { createAuditSealer } from './audit-sealer';

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
    await server.running.services.audit.seal();
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

  it('seals entries written concurrently into one gap-free chain, while writes go on', async () => {
    const { services } = server.running;
    const sealer = createAuditSealer({ audit: services.audit, log: services.log, intervalMs: 20 });
    sealer.start();
    const writes = await Promise.all(Array.from({ length: 40 }, (_, i) => server.api('POST', '/api/regions', { token: admin, body: { code: `R${i}`, name: `区域 ${i}` } })));
    expect(writes.every((w) => w.status === 201 || w.status === 200)).toBe(true);
    const unsealed = () => services.models.AuditLog.count({ where: { seq: null } });
    await waitUntil(async () => (await unsealed()) === 0, 10_000, 20);
    await sealer.stop();

    const rows = await services.models.AuditLog.findAll({ attributes: ['seq'], order: [['seq', 'ASC']], raw: true });
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    const created = await services.models.AuditLog.count({ where: { action: 'region.created' } });
    expect(created).toBe(41);
    const api = await server.api<{ data: { ok: boolean; checked: number } }>('GET', '/api/audit-logs/verify', { token: admin });
    expect(api.body.data).toMatchObject({ ok: true, checked: rows.length });
  });

  it('lists an entry at once, before it is sealed', async () => {
    await server.api('POST', '/api/regions', { token: admin, body: { code: 'UNSEALED1', name: '测试大区' } });
    const audit = await server.api<{ data: { items: Array<{ seq: number | null; action: string }> } }>('GET', '/api/audit-logs?action=region.created', { token: admin });
    expect(audit.body.data.items[0]).toMatchObject({ action: 'region.created', seq: null });
    await server.running.services.audit.seal();
    const sealed = await server.api<{ data: { items: Array<{ seq: number | null }> } }>('GET', '/api/audit-logs?action=region.created', { token: admin });
    expect(sealed.body.data.items.every((item) => typeof item.seq === 'number')).toBe(true);
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
