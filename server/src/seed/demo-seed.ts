import type { Database } from '../core/db/database';
import type { Models } from '../core/db/models';
import type { PiiField } from '../core/crypto/pii-field';
import type { AuditService } from '../modules/audit/audit.service';
import { hashPassword } from '../modules/auth/password';
import { generatePassword } from './bootstrap';

const regions = [
  { code: 'EAST', name: '华东大区', stores: [{ code: 'SH01', name: '上海徐汇店', city: '上海', address: '上海市徐汇区漕溪北路 88 号' }, { code: 'HZ01', name: '杭州西湖店', city: '杭州', address: '杭州市西湖区文三路 199 号' }] },
  { code: 'SOUTH', name: '华南大区', stores: [{ code: 'GZ01', name: '广州天河店', city: '广州', address: '广州市天河区天河路 385 号' }, { code: 'SZ01', name: '深圳南山店', city: '深圳', address: '深圳市南山区科技园南路 18 号' }] },
];

const demoUsers = [
  { username: 'region_east', displayName: '华东区域经理', role: 'region_manager', region: 'EAST' },
  { username: 'manager_sh01', displayName: '徐汇店长', role: 'store_manager', store: 'SH01' },
  { username: 'staff_sh01', displayName: '徐汇店员小王', role: 'store_staff', store: 'SH01' },
  { username: 'tech_sh01', displayName: '技师李师傅', role: 'technician', store: 'SH01' },
  { username: 'finance', displayName: '财务小陈', role: 'finance' },
];

/**
 * The demo organisation a newcomer sees on first start: two regions, four stores, one user per role
 * and a few customers per store. Runs only on an empty organisation.
 */
export async function seedDemoOrganisation(deps: { db: Database; models: Models; audit: AuditService; phone: PiiField; address: PiiField; password?: string }) {
  const { db, models, audit, phone, address } = deps;
  if (await models.Region.count()) return { seeded: false as const };
  const password = deps.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const company = await models.Company.findOne({ order: [['id', 'ASC']], raw: true, transaction: tx });
    const roles = new Map((await models.Role.findAll({ raw: true, transaction: tx })).map((r) => [r.code, Number(r.id)]));
    const regionIds = new Map<string, number>();
    const storeIds = new Map<string, { id: number; regionId: number }>();
    for (const region of regions) {
      const regionId = Number((await models.Region.create({ company_id: Number(company?.id), code: region.code, name: region.name }, { transaction: tx })).get('id'));
      regionIds.set(region.code, regionId);
      for (const store of region.stores) {
        const storeId = Number((await models.Store.create({ region_id: regionId, code: store.code, name: store.name, address: store.address }, { transaction: tx })).get('id'));
        storeIds.set(store.code, { id: storeId, regionId });
      }
    }
    let phoneSerial = 1;
    for (const user of demoUsers) {
      const store = user.store ? storeIds.get(user.store) : undefined;
      await models.User.create(
        {
          username: user.username,
          display_name: user.displayName,
          password_hash: passwordHash,
          role_id: roles.get(user.role) ?? 0,
          region_id: store?.regionId ?? (user.region ? (regionIds.get(user.region) ?? null) : null),
          store_id: store?.id ?? null,
          ...phone.seal(`1390000${String(phoneSerial++).padStart(4, '0')}`),
        },
        { transaction: tx },
      );
    }
    const technician = await models.User.findOne({ where: { username: 'tech_sh01' }, raw: true, transaction: tx });
    let serial = 1;
    for (const region of regions) {
      for (const store of region.stores) {
        for (let i = 1; i <= 3; i += 1) {
          await models.Customer.create(
            {
              store_id: storeIds.get(store.code)?.id ?? 0,
              owner_user_id: store.code === 'SH01' && i === 1 ? Number(technician?.id) : null,
              name: `${store.city}客户${i}`,
              ...phone.seal(`1380000${String(serial++).padStart(4, '0')}`),
              ...address.seal(`${store.address} ${i} 室`),
            },
            { transaction: tx },
          );
        }
      }
    }
    await audit.record({ action: 'system.demo_seeded', targetType: 'company', targetId: Number(company?.id), actor: { id: null, name: 'system' }, after: { regions: 2, stores: 4, users: demoUsers.length } }, tx);
  });
  return { seeded: true as const, usernames: demoUsers.map((u) => u.username), password: deps.password ? null : password };
}
