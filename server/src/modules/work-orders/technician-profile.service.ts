import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';

/** A technician's skills, availability and last GPS fix, read by the nearest-technician strategy. */
export function createTechnicianProfiles(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;
  return {
    async update(actor: Actor, input: { skills?: string[]; available?: boolean; lat?: number; lng?: number }) {
      return db.transaction(async (tx) => {
        const [profile] = await models.TechnicianProfile.findOrCreate({ where: { user_id: actor.userId }, defaults: { user_id: actor.userId }, transaction: tx });
        const changes = {
          ...(input.skills !== undefined && { skills: JSON.stringify([...new Set(input.skills)]) }),
          ...(input.available !== undefined && { available: input.available }),
          ...(input.lat !== undefined && input.lng !== undefined && { last_lat: input.lat, last_lng: input.lng, last_located_at: new Date() }),
        };
        await profile.update(changes, { transaction: tx });
        await audit.record({ action: 'technician.profile_updated', targetType: 'user', targetId: actor.userId, storeId: actor.storeId, after: { skills: input.skills ?? null, available: input.available ?? null, located: input.lat !== undefined } }, tx);
        const row = profile.get({ plain: true });
        return { userId: actor.userId, skills: row.skills ? (JSON.parse(row.skills) as string[]) : [], available: Boolean(row.available), lat: row.last_lat, lng: row.last_lng };
      });
    },
  };
}
