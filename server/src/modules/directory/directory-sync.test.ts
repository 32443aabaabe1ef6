import { Op } from 'sequelize';
import { startDirectoryServer, type DirectoryKit } from './directory-test-kit';

interface DepartmentNode {
  wecomId: number;
  employeeCount: number;
  visible: boolean;
  mapping: { storeId: number | null; roleId: number } | null;
  effective: { fromWecomId: number } | null;
  children: DepartmentNode[];
}

const flatten = (nodes: DepartmentNode[]): DepartmentNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe('directory sync against the WeCom sandbox', () => {
  let kit: DirectoryKit;

  beforeAll(async () => {
    kit = await startDirectoryServer();
  });
  afterAll(() => kit.server.stop());

  it('mirrors every department and employee; without a mapping nobody becomes a user', async () => {
    const departments = (await kit.read<{ departments: Array<{ id: number }> }>('state/departments')).departments;
    const employees = await kit.activeEmployees();
    const run = await kit.runSync();
    expect(run.status).toBe('done');
    expect(run.report.departments).toMatchObject({ seen: departments.length, created: departments.length });
    expect(run.report.employees).toMatchObject({ seen: employees.length, unmapped: employees.length, created: 0 });
    expect(await kit.services.models.WecomEmployee.count()).toBe(employees.length);
    expect(await kit.services.models.User.count({ where: { wecom_userid: { [Op.ne]: null } } })).toBe(0);

    const tree = await kit.server.api<{ data: DepartmentNode[] }>('GET', '/api/wecom/directory/departments', { token: kit.admin });
    const all = flatten(tree.body.data);
    expect(tree.body.data).toHaveLength(1);
    expect(all.map((d) => d.wecomId).sort((a, b) => a - b)).toEqual(departments.map((d) => d.id).sort((a, b) => a - b));
    expect(all.reduce((sum, d) => sum + d.employeeCount, 0)).toBe(employees.length);
  });

  it('turns every employee into a user of the mapped store, nearest mapped ancestor first; a second sync changes nothing', async () => {
    const { store, role } = await kit.ids();
    const employees = await kit.activeEmployees();
    const root = await kit.setMapping(1, { storeId: store('SH01'), roleId: role('store_staff') });
    expect(root.status).toBe(200);
    expect(root.body.data.applied.created).toBe(employees.length);
    const inTwo = employees.filter((e) => e.department[0] === 2);
    const two = await kit.setMapping(2, { storeId: store('HZ01'), roleId: role('store_manager') });
    expect(two.body.data.applied.updated).toBe(inTwo.length);

    for (const e of employees) {
      const user = await kit.userOf(e.userid);
      expect(user).toMatchObject({ username: e.userid, display_name: e.name, status: 'active' });
      expect(Number(user?.store_id)).toBe(e.department[0] === 2 ? store('HZ01') : store('SH01'));
      expect(Number(user?.role_id)).toBe(e.department[0] === 2 ? role('store_manager') : role('store_staff'));
      // WeCom employees sign in through WeCom only.
      expect((await kit.server.api('POST', '/api/auth/login', { body: { username: e.userid, password: user?.password_hash ?? 'x' } })).status).toBe(401);
    }
    const again = await kit.runSync();
    expect(again.report.employees).toMatchObject({ seen: employees.length, created: 0, updated: 0, disabled: 0, unchanged: employees.length });
    const audit = await kit.server.api<{ data: { items: Array<{ action: string }> } }>('GET', '/api/audit-logs?action=directory.mapping_set', { token: kit.admin });
    expect(audit.body.data.items).toHaveLength(2);
  });

  it('keeps a role an admin gave a user, and follows the mapping for the rest', async () => {
    const { role } = await kit.ids();
    const [first] = await kit.activeEmployees();
    const user = await kit.userOf(first?.userid ?? '');
    const changed = await kit.server.api('PATCH', `/api/users/${user?.id}`, { token: kit.admin, body: { roleId: role('finance') } });
    expect(changed.status).toBe(200);
    const run = await kit.runSync();
    expect(run.report.employees.updated).toBe(0);
    expect(Number((await kit.userOf(first?.userid ?? ''))?.role_id)).toBe(role('finance'));
  });

  it('finds employees who left while their callback was lost: user disabled and marked as left', async () => {
    const [, leaver] = await kit.activeEmployees();
    await kit.control('faults', { dropCallbackRate: 1 });
    await kit.control('events/employee-left', { userId: leaver?.userid });
    await kit.control('callbacks/drain');
    await kit.control('faults', { dropCallbackRate: 0 });
    const run = await kit.runSync();
    expect(run.report.employees.left).toBe(1);
    const user = await kit.userOf(leaver?.userid ?? '');
    expect(user?.status).toBe('disabled');
    expect(user?.wecom_left_at).not.toBeNull();
    expect((await kit.services.models.WecomEmployee.findOne({ where: { userid: leaver?.userid }, raw: true }))?.wecom_status).toBe(5);
  });

  it('copes with an app that sees only part of the directory: skips and reports, fails nothing, disables nobody', async () => {
    const employees = await kit.activeEmployees();
    const hidden = employees.filter((e) => !e.department.includes(2));
    await kit.control('directory/visibility', { departments: [2] });
    try {
      const run = await kit.runSync();
      expect(run.status).toBe('done');
      expect(run.report.departments.hidden).toBeGreaterThan(0);
      expect(run.report.skipped.employees.map((s) => s.userid).sort()).toEqual(hidden.map((e) => e.userid).sort());
      expect(run.report.skipped.employees.every((s) => s.errcode === 60011)).toBe(true);
      expect(run.report.employees.disabled + run.report.employees.left).toBe(0);
      for (const e of hidden) expect((await kit.userOf(e.userid))?.status).toBe('active');
      const tree = flatten((await kit.server.api<{ data: DepartmentNode[] }>('GET', '/api/wecom/directory/departments', { token: kit.admin })).body.data);
      // A department the app no longer sees keeps its mapping, marked invisible.
      expect(tree.find((d) => d.wecomId === 1)).toMatchObject({ visible: false, mapping: expect.objectContaining({ storeId: expect.any(Number) }) });
    } finally {
      await kit.control('directory/visibility', { departments: null });
    }
    const whole = await kit.runSync();
    expect(whole.report.skipped.employees).toEqual([]);
    expect(whole.report.departments.hidden).toBe(0);
  });

  it('refuses a second sync while one is running', async () => {
    await kit.services.wecom.syncRuns.start('directory', 'manual');
    const second = await kit.server.api('POST', '/api/wecom/directory/sync', { token: kit.admin });
    expect(second.status).toBe(409);
    await kit.services.queue.drain();
  });
});
