import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import { allPermissions } from '../access/permissions';

/**
 * Order intake acts without a signed-in user: work orders and refunds it makes are done as the
 * built-in `admin` (so they pass the same checks and land in history with a real user id).
 */
export function createSystemActor(models: Models) {
  let cached: Actor | null = null;
  return async function systemActor(): Promise<Actor> {
    if (cached) return cached;
    const admin = await models.User.findOne({ where: { username: 'admin' }, raw: true });
    if (!admin) throw new Error('the built-in admin user is missing');
    cached = { userId: Number(admin.id), username: 'admin', displayName: '订单接入', roleId: Number(admin.role_id), roleCode: 'admin', permissions: new Set(allPermissions), dataScope: 'all', regionId: null, storeId: null, storeIds: null, sessionId: 'orders' };
    return cached;
  };
}
