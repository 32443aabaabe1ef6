import type { WecomClient } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import type { Services } from '../../../app';
import { conflict, notFound, validationFailed } from '../../../core/errors';
import type { Actor } from '../../access/actor';
import { assertStoreInScope, withinScope } from '../../access/data-scope';
import { asAppError, requireWecomClient } from '../../tags/wecom-client-access';
import { contactWayOf, type ContactWay, type ContactWayLookup } from './contact-way-lookup';
import { staffOnDuty } from './contact-way-staff';
import type { ContactWayBody, ContactWayPatch } from './contact-way.schemas';
import type { MediaCache } from '../media-cache';

type Deps = Pick<Services, 'db' | 'models' | 'audit' | 'wecom'> & { ways: ContactWayLookup; media: MediaCache };

const scope = { store: 'store_id' };

export const presentContactWay = (way: ContactWay) => ({
  ...way,
  welcome: way.welcome && {
    ...(way.welcome.text !== undefined && { text: way.welcome.text }),
    attachments: way.welcome.attachments.map((a) => ({ type: a.type, ...('title' in a && { title: a.title }), ...('url' in a && { url: a.url }), ...('fileName' in a && { fileName: a.fileName }) })),
  },
  createdAt: way.createdAt.toISOString(),
});

/**
 * Channel contact ways (渠道活码): WeCom's 「联系我」 configuration plus what we do on an add through
 * it. WeCom is called first; ours is saved only for what WeCom accepted (a failed save removes the
 * code again). Members on duty come from the schedule, with backup staff when nobody is available.
 */
export function createContactWayService(deps: Deps) {
  const { db, models, audit, wecom, ways, media } = deps;

  /** Employees known to have left or been disabled; unknown ones count as available. */
  async function activeCheck(userids: string[]) {
    const gone = await models.WecomEmployee.findAll({ where: { userid: userids, [Op.or]: [{ wecom_status: { [Op.ne]: 1 } }, { left_at: { [Op.ne]: null } }] }, attributes: ['userid'], raw: true });
    const inactive = new Set(gone.map((e) => e.userid));
    return (userid: string) => !inactive.has(userid);
  }

  async function onDuty(plan: Pick<ContactWayBody, 'users' | 'backupUsers' | 'schedule'>, at = new Date()) {
    const all = [...plan.users, ...plan.backupUsers, ...plan.schedule.flatMap((s) => s.users)];
    return staffOnDuty(plan, at, await activeCheck(all));
  }

  async function checkRefs(actor: Actor, input: Partial<ContactWayBody>) {
    if (input.tagIds?.length) {
      const found = new Set((await models.Tag.findAll({ where: { id: input.tagIds }, attributes: ['id', 'wecom_tag_id'], raw: true })).filter((t) => t.wecom_tag_id).map((t) => Number(t.id)));
      const problems = input.tagIds.flatMap((id, i) => (found.has(id) ? [] : [{ path: `body.tagIds.${i}`, message: `no tag ${id}` }]));
      if (problems.length) throw validationFailed(problems);
    }
    if (input.storeId) {
      if (!(await models.Store.findByPk(input.storeId, { attributes: ['id'], raw: true }))) throw validationFailed([{ path: 'body.storeId', message: `no store ${input.storeId}` }]);
      assertStoreInScope(actor, input.storeId);
    }
  }

  async function load(actor: Actor, id: number) {
    const row = await models.ContactWay.findOne({ where: withinScope(actor, scope, { id, deleted_at: null }), raw: true });
    if (!row) throw notFound('contact way', id);
    return contactWayOf(row);
  }

  /** Uploads the welcome media now, so that the 20-second window is spent on sending only. */
  async function warm(client: WecomClient, welcome: ContactWayBody['welcome'] | undefined) {
    if (!welcome) return;
    try {
      await media.prepare(client, welcome);
    } catch (error) {
      throw asAppError(error);
    }
  }

  const toWecom = (input: { name: string; skipVerify: boolean; state?: string }, users: string[]) => ({ remark: input.name.slice(0, 30), skip_verify: input.skipVerify, ...(input.state && { state: input.state }), user: users });

  return {
    async list(actor: Actor) {
      const rows = await models.ContactWay.findAll({ where: withinScope(actor, scope, { deleted_at: null }), order: [['id', 'DESC']], raw: true });
      return rows.map((r) => presentContactWay(contactWayOf(r)));
    },

    get: async (actor: Actor, id: number) => presentContactWay(await load(actor, id)),

    async create(actor: Actor, input: ContactWayBody) {
      await checkRefs(actor, input);
      if (await models.ContactWay.findOne({ where: { state: input.state }, attributes: ['id'], raw: true })) throw conflict('a contact way with this state already exists', [{ path: 'body.state', message: 'already used' }]);
      const client = await requireWecomClient(wecom.runtime);
      await warm(client, input.welcome);
      const users = await onDuty(input);
      const added = await client.contactWays.add({ type: 2, scene: 2, ...toWecom(input, users) }).catch((error: unknown) => Promise.reject(asAppError(error)));
      try {
        const row = await db.transaction(async (tx) => {
          const created = await models.ContactWay.create(
            {
              name: input.name,
              state: input.state,
              config_id: added.config_id,
              qr_code: added.qr_code ?? null,
              skip_verify: input.skipVerify,
              users: JSON.stringify(input.users),
              backup_users: JSON.stringify(input.backupUsers),
              schedule: JSON.stringify(input.schedule),
              current_users: JSON.stringify(users),
              tag_ids: JSON.stringify(input.tagIds),
              store_id: input.storeId,
              welcome: input.welcome ? JSON.stringify(input.welcome) : null,
            },
            { transaction: tx },
          );
          await audit.record({ action: 'engagement.contact_way_created', targetType: 'contact_way', targetId: Number(created.get('id')), storeId: input.storeId, after: { name: input.name, state: input.state, users: input.users, configId: added.config_id } }, tx);
          return created.get({ plain: true });
        });
        ways.forget();
        return presentContactWay(contactWayOf(row));
      } catch (error) {
        await client.contactWays.remove(added.config_id).catch(() => undefined);
        throw error;
      }
    },

    async update(actor: Actor, id: number, patch: ContactWayPatch) {
      const before = await load(actor, id);
      await checkRefs(actor, patch);
      const next = { ...before, ...patch, welcome: patch.welcome === undefined ? before.welcome : patch.welcome };
      const client = await requireWecomClient(wecom.runtime);
      await warm(client, next.welcome);
      const users = await onDuty(next);
      if (before.configId) await client.contactWays.update({ config_id: before.configId, ...toWecom(next, users) }).catch((error: unknown) => Promise.reject(asAppError(error)));
      await db.transaction(async (tx) => {
        await models.ContactWay.update(
          {
            name: next.name,
            skip_verify: next.skipVerify,
            users: JSON.stringify(next.users),
            backup_users: JSON.stringify(next.backupUsers),
            schedule: JSON.stringify(next.schedule),
            current_users: JSON.stringify(users),
            tag_ids: JSON.stringify(next.tagIds),
            store_id: next.storeId,
            welcome: next.welcome ? JSON.stringify(next.welcome) : null,
          },
          { where: { id }, transaction: tx },
        );
        await audit.record({ action: 'engagement.contact_way_updated', targetType: 'contact_way', targetId: id, storeId: next.storeId, before: { name: before.name, users: before.users, storeId: before.storeId }, after: { name: next.name, users: next.users, storeId: next.storeId } }, tx);
      });
      ways.forget();
      return presentContactWay(await load(actor, id));
    },

    /** Deletes the code in WeCom; our row stays (statistics), its state is freed for reuse. */
    async remove(actor: Actor, id: number) {
      const way = await load(actor, id);
      const client = await requireWecomClient(wecom.runtime);
      if (way.configId) await client.contactWays.remove(way.configId).catch((error: unknown) => Promise.reject(asAppError(error)));
      await db.transaction(async (tx) => {
        await models.ContactWay.update({ deleted_at: new Date(), state: `~deleted-${id}`.slice(0, 30) }, { where: { id }, transaction: tx });
        await audit.record({ action: 'engagement.contact_way_deleted', targetType: 'contact_way', targetId: id, storeId: way.storeId, before: { name: way.name, state: way.state } }, tx);
      });
      ways.forget();
    },

    /**
     * Brings every scheduled contact way's members in WeCom in line with who is on duty now (run by
     * cron each minute; once across instances). Returns how many ways changed.
     */
    async syncStaff(at = new Date()): Promise<number> {
      const rows = await models.ContactWay.findAll({ where: { deleted_at: null, config_id: { [Op.ne]: null } }, raw: true });
      const client = rows.length ? await wecom.runtime.appClient('customer') : null;
      if (!client) return 0;
      let changed = 0;
      for (const way of rows.map(contactWayOf)) {
        const users = await onDuty(way, at);
        if (JSON.stringify(users) === JSON.stringify(way.currentUsers)) continue;
        await client.contactWays.update({ config_id: way.configId!, user: users });
        await models.ContactWay.update({ current_users: JSON.stringify(users) }, { where: { id: way.id } });
        changed += 1;
      }
      return changed;
    },
  };
}

export type ContactWayService = ReturnType<typeof createContactWayService>;
