import { startDirectoryServer, type DirectoryKit } from './directory-test-kit';

describe('department-to-store mapping API', () => {
  let kit: DirectoryKit;
  let ids: Awaited<ReturnType<DirectoryKit['ids']>>;

  beforeAll(async () => {
    kit = await startDirectoryServer();
    ids = await kit.ids();
    await kit.runSync();
  });
  afterAll(() => kit.server.stop());

  it('is for holders of directory:manage only', async () => {
    const manager = await kit.server.login('manager_sh01');
    expect((await kit.server.api('GET', '/api/wecom/directory/departments', { token: manager })).status).toBe(403);
    expect((await kit.setMapping(1, { storeId: ids.store('SH01'), roleId: ids.role('store_staff') }, manager)).status).toBe(403);
    expect((await kit.server.api('POST', '/api/wecom/directory/sync', { token: manager })).status).toBe(403);
    expect((await kit.server.api('GET', '/api/wecom/directory/employees')).status).toBe(401);
  });

  it('refuses bad input with the field at fault and changes nothing', async () => {
    const bad = async (wecomId: number, body: unknown, status: number, path?: string) => {
      const reply = await kit.server.api('PUT', `/api/wecom/directory/departments/${wecomId}/mapping`, { token: kit.admin, body });
      expect(reply.status).toBe(status);
      if (path) expect(reply.body.details).toEqual([expect.objectContaining({ path })]);
    };
    await bad(1, { storeId: ids.store('SH01'), roleId: 'staff' }, 400, 'body.roleId');
    await bad(1, { storeId: ids.store('SH01'), roleId: 999_999 }, 400, 'body.roleId');
    await bad(1, { storeId: 999_999, roleId: ids.role('store_staff') }, 400, 'body.storeId');
    await bad(1, { storeId: null, roleId: ids.role('store_staff') }, 400, 'body.storeId');
    await bad(424_242, { storeId: ids.store('SH01'), roleId: ids.role('store_staff') }, 404);
    expect((await kit.server.api('GET', '/api/wecom/directory/employees?state=bogus', { token: kit.admin })).status).toBe(400);
    expect(await kit.services.models.WecomDepartment.count({ where: { role_id: ids.role('store_staff') } })).toBe(0);
  });

  it('lets a directory admin hand out only roles within their own permissions and stores within their scope', async () => {
    const api = kit.server.api;
    const dirRole = await api<{ data: { id: number } }>('POST', '/api/roles', { token: kit.admin, body: { code: 'dir_admin', name: '通讯录管理员', dataScope: 'region', permissions: ['directory:manage', 'org:read'] } });
    const viewer = await api<{ data: { id: number } }>('POST', '/api/roles', { token: kit.admin, body: { code: 'store_viewer', name: '门店查看', dataScope: 'store', permissions: ['org:read'] } });
    const regions = await api<{ data: Array<{ id: number; code: string }> }>('GET', '/api/regions', { token: kit.admin });
    const east = regions.body.data.find((r) => r.code === 'EAST')?.id;
    await api('POST', '/api/users', { token: kit.admin, body: { username: 'dir_admin', displayName: '通讯录管理员', password: 'dir-admin-pass-1', roleId: dirRole.body.data.id, regionId: east } });
    const token = await kit.server.login('dir_admin', 'dir-admin-pass-1');
    expect((await kit.setMapping(2, { storeId: ids.store('SH01'), roleId: ids.role('store_staff') }, token)).status).toBe(403);
    expect((await kit.setMapping(2, { storeId: ids.store('GZ01'), roleId: viewer.body.data.id }, token)).status).toBe(403);
    const ok = await kit.setMapping(2, { storeId: ids.store('SH01'), roleId: viewer.body.data.id }, token);
    expect(ok.status).toBe(200);
    const audit = await api<{ data: { items: Array<{ actorName: string; targetId: string }> } }>('GET', '/api/audit-logs?action=directory.mapping_set', { token: kit.admin });
    expect(audit.body.data.items[0]).toMatchObject({ targetId: '2' });
    expect(JSON.stringify(audit.body.data.items[0])).toContain('dir_admin');
  });

  it('applies a mapping at once, shows it in the tree and the employees list, and clearing it disables only the users it placed', async () => {
    const employees = await kit.activeEmployees();
    const set = await kit.setMapping(1, { storeId: ids.store('HZ01'), roleId: ids.role('store_staff') });
    expect(set.status).toBe(200);
    const tree = await kit.server.api<{ data: Array<{ wecomId: number; mapping: { storeName: string } | null; effective: { fromWecomId: number } | null; children: Array<{ wecomId: number; effective: { fromWecomId: number } }> }> }>(
      'GET',
      '/api/wecom/directory/departments',
      { token: kit.admin },
    );
    expect(tree.body.data[0]).toMatchObject({ wecomId: 1, mapping: expect.objectContaining({ storeName: '杭州西湖店' }), effective: { fromWecomId: 1, storeId: ids.store('HZ01'), roleId: ids.role('store_staff') } });
    expect(tree.body.data[0]?.children.find((c) => c.wecomId === 3)?.effective.fromWecomId).toBe(1);

    const list = await kit.server.api<{ data: { items: Array<{ userid: string; user: { storeName: string; status: string } | null }>; total: number } }>('GET', '/api/wecom/directory/employees?state=linked&pageSize=100', { token: kit.admin });
    expect(list.body.data.total).toBe(employees.length);
    expect(list.body.data.items.every((e) => e.user?.status === 'active')).toBe(true);

    const cleared = await kit.server.api<{ data: { applied: { disabled: number } } }>('DELETE', '/api/wecom/directory/departments/1/mapping', { token: kit.admin });
    expect(cleared.status).toBe(200);
    const outside = employees.filter((e) => e.department[0] !== 2);
    expect(cleared.body.data.applied.disabled).toBe(outside.length);
    for (const e of outside) expect((await kit.userOf(e.userid))?.status).toBe('disabled');
    // Mapped again: the users the directory disabled come back.
    await kit.setMapping(1, { storeId: ids.store('HZ01'), roleId: ids.role('store_staff') });
    for (const e of outside) expect((await kit.userOf(e.userid))?.status).toBe('active');
    const audit = await kit.server.api<{ data: { items: unknown[] } }>('GET', '/api/audit-logs?action=directory.mapping_cleared', { token: kit.admin });
    expect(audit.body.data.items).toHaveLength(1);
  });
});
