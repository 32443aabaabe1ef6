import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Services } from '../../../app';
import { findPage } from '../../../core/db/find-page';
import { AppError, conflict, notFound, validationFailed, type FieldProblem } from '../../../core/errors';
import { pageOf, toOffset, type PageQuery } from '../../../core/http/pagination';
import type { Actor } from '../../access/actor';
import { assertStoreInScope, withinScope } from '../../access/data-scope';
import { audienceIds, customersInScope, scopeOf, type AudienceScope } from './mass-audience';
import { MASS_MESSAGE_ACTOR } from './mass-message-sender';
import { massMessageStats } from './mass-message-stats';
import { presentMassMessage } from './mass-message.present';
import type { MassMessageRow, MassMessageStatus } from './mass-message.models';
import type { Audience, MassMessageBody, RecipientsQuery } from './mass-message.schemas';
import { planRecipients } from './recipient-plan';

export const MASS_SEND_JOB = 'engagement.mass-message.send';

type Deps = Pick<Services, 'db' | 'models' | 'audit' | 'queue' | 'wecom'> & { phone: Services['pii']['phone']; now?: () => Date };

/** A manager sees the messages of their stores (or region), a `self` scope their own. */
const scope = { store: 'store_id', region: 'region_id', owner: 'created_by' };
const PLAN_PAGE = 1000;

/**
 * Mass messages (群发消息): drafts with an audience and content, sent now or at a scheduled time
 * (sending runs as a job, see mass-message-sender), cancelled while drafts, and their outcome per
 * employee and per customer. `addRecipients` is the entry point of the automation rules.
 */
export function createMassMessageService(deps: Deps) {
  const { db, models, audit, queue } = deps;
  const now = deps.now ?? (() => new Date());

  async function load(actor: Actor, id: number, tx?: Transaction) {
    const row = await models.MassMessage.findOne({ where: withinScope(actor, scope, { id }), raw: true, transaction: tx });
    if (!row) throw notFound('mass message', id);
    return row;
  }

  async function checkAudience(actor: Actor, audience: Audience) {
    const problems: FieldProblem[] = [];
    const tagIds = audience.type === 'tags' ? audience.tagIds : audience.type === 'filter' ? (audience.filter.tagIds ?? []) : [];
    if (tagIds.length) {
      const found = new Set((await models.Tag.findAll({ where: { id: tagIds }, attributes: ['id'], raw: true })).map((t) => Number(t.id)));
      const at = audience.type === 'tags' ? 'body.audience.tagIds' : 'body.audience.filter.tagIds';
      tagIds.forEach((id, i) => found.has(id) || problems.push({ path: `${at}.${i}`, message: `no tag ${id}` }));
    }
    if (audience.type === 'customers') {
      const visible = new Set((await models.Customer.findAll({ where: { [Op.and]: [customersInScope(scopeOf(actor)), { id: audience.customerIds }] }, attributes: ['id'], raw: true })).map((c) => Number(c.id)));
      audience.customerIds.forEach((id, i) => visible.has(id) || problems.push({ path: `body.audience.customerIds.${i}`, message: `no customer ${id} in your data scope` }));
    }
    if (problems.length) throw validationFailed(problems);
    if (audience.type === 'filter' && audience.filter.storeId) assertStoreInScope(actor, audience.filter.storeId, 'body.audience.filter.storeId');
  }

  /** Who a message would reach now: the audience plus customers already added, minus those skipped. */
  async function previewOf(audience: Audience, audienceScope: AudienceScope, massMessageId: number | null) {
    const ids = new Set<number>();
    if (audience.type !== 'customers' || massMessageId === null) for await (const page of audienceIds({ db, models, phone: deps.phone }, audience, audienceScope)) page.forEach((id) => ids.add(id));
    if (massMessageId !== null) (await models.MassMessageRecipient.findAll({ where: { mass_message_id: massMessageId }, attributes: ['customer_id'], raw: true })).forEach((r) => ids.add(Number(r.customer_id)));
    const all = [...ids];
    const skippedByReason: Record<string, number> = {};
    const senders = new Set<string>();
    let recipients = 0;
    for (let at = 0; at < all.length; at += PLAN_PAGE) {
      for (const p of await planRecipients(models, all.slice(at, at + PLAN_PAGE), { massMessageId, scope: audienceScope, at: now() })) {
        if (p.status === 'skipped') skippedByReason[p.reason] = (skippedByReason[p.reason] ?? 0) + 1;
        else {
          recipients += 1;
          senders.add(p.senderUserid);
        }
      }
    }
    return { recipients, skipped: all.length - recipients, skippedByReason, senders: senders.size };
  }

  async function detail(row: MassMessageRow) {
    const { stats, tasks } = await massMessageStats(models, Number(row.id));
    const preview = row.status === 'draft' ? await previewOf(JSON.parse(row.audience) as Audience, JSON.parse(row.scope) as AudienceScope, Number(row.id)) : null;
    return { ...presentMassMessage(row), stats, tasks, preview };
  }

  /** Switches a draft to sending and queues the send, in one transaction; false when it was no draft any more. */
  async function startSending(id: number, tx: Transaction, auditActor?: { id: number | null; name: string }) {
    const [changed] = await models.MassMessage.update({ status: 'sending' }, { where: { id, status: 'draft' }, transaction: tx });
    if (!changed) return false;
    await audit.record({ action: 'engagement.mass_message_send_requested', targetType: 'mass_message', targetId: id, ...(auditActor && { actor: auditActor }), before: { status: 'draft' }, after: { status: 'sending' } }, tx);
    await queue.enqueue(MASS_SEND_JOB, { massMessageId: id }, { transaction: tx, dedupeKey: `mass-message:${id}` });
    return true;
  }

  const requireDraft = (row: MassMessageRow, doing: string) => {
    if (row.status !== 'draft') throw conflict(`only a draft can be ${doing}; this mass message is ${row.status}`, [{ path: 'status', message: row.status }]);
  };

  return {
    async list(actor: Actor, query: PageQuery & { status?: MassMessageStatus }) {
      const where = withinScope(actor, scope, query.status ? { status: query.status } : {});
      const { rows, count } = await findPage(models.MassMessage, { where, order: [['id', 'DESC']], ...toOffset(query), raw: true });
      return pageOf(rows.map(presentMassMessage), count, query);
    },

    get: async (actor: Actor, id: number) => detail(await load(actor, id)),

    async preview(actor: Actor, audience: Audience) {
      await checkAudience(actor, audience);
      return previewOf(audience, scopeOf(actor), null);
    },

    async create(actor: Actor, input: MassMessageBody) {
      await checkAudience(actor, input.audience);
      const scheduledAt = input.scheduledAt ? new Date(input.scheduledAt) : null;
      if (scheduledAt && scheduledAt.getTime() <= now().getTime()) throw validationFailed([{ path: 'body.scheduledAt', message: 'must be in the future' }]);
      const row = await db.transaction(async (tx) => {
        const created = await models.MassMessage.create(
          {
            name: input.name,
            status: 'draft',
            audience: JSON.stringify(input.audience),
            content: JSON.stringify(input.content),
            scope: JSON.stringify(scopeOf(actor)),
            store_id: actor.dataScope === 'store' || actor.dataScope === 'self' ? actor.storeId : null,
            region_id: actor.regionId,
            created_by: actor.userId,
            scheduled_at: scheduledAt,
          },
          { transaction: tx },
        );
        const id = Number(created.get('id'));
        if (input.audience.type === 'customers') {
          const rows = [...new Set(input.audience.customerIds)].map((customerId) => ({ mass_message_id: id, customer_id: customerId, status: 'pending' as const }));
          await models.MassMessageRecipient.bulkCreate(rows, { transaction: tx, ignoreDuplicates: true });
        }
        await audit.record({ action: 'engagement.mass_message_created', targetType: 'mass_message', targetId: id, storeId: actor.storeId, after: { name: input.name, audience: input.audience.type, scheduledAt: input.scheduledAt, attachments: input.content.attachments.length } }, tx);
        return created.get({ plain: true });
      });
      return detail(row);
    },

    async sendNow(actor: Actor, id: number) {
      requireDraft(await load(actor, id), 'sent');
      if (!(await deps.wecom.runtime.appClient('customer'))) throw new AppError('CONFLICT', 'WeCom customer contact is not set up: configure it in the WeCom settings first');
      const started = await db.transaction((tx) => startSending(id, tx));
      if (!started) throw conflict('this mass message is no draft any more', [{ path: 'status', message: 'changed meanwhile' }]);
      return detail(await load(actor, id));
    },

    async cancel(actor: Actor, id: number) {
      requireDraft(await load(actor, id), 'cancelled');
      await db.transaction(async (tx) => {
        const [changed] = await models.MassMessage.update({ status: 'cancelled', finished_at: now() }, { where: { id, status: 'draft' }, transaction: tx });
        if (!changed) throw conflict('this mass message is no draft any more', [{ path: 'status', message: 'changed meanwhile' }]);
        await audit.record({ action: 'engagement.mass_message_cancelled', targetType: 'mass_message', targetId: id, before: { status: 'draft' }, after: { status: 'cancelled' } }, tx);
      });
      return detail(await load(actor, id));
    },

    async recipients(actor: Actor, id: number, query: RecipientsQuery) {
      await load(actor, id);
      const where: WhereOptions = { mass_message_id: id, ...(query.status && { status: query.status }), ...(query.senderUserid && { sender_userid: query.senderUserid }) };
      const { rows, count } = await findPage(models.MassMessageRecipient, { where, order: [['id', 'ASC']], ...toOffset(query), raw: true });
      const names = new Map(rows.length ? (await models.Customer.findAll({ where: { id: rows.map((r) => r.customer_id) }, attributes: ['id', 'name'], raw: true })).map((c) => [Number(c.id), c.name]) : []);
      const items = rows.map((r) => ({
        customerId: Number(r.customer_id),
        customerName: names.get(Number(r.customer_id)) ?? null,
        externalUserid: r.external_userid,
        senderUserid: r.sender_userid,
        status: r.status,
        reason: r.reason,
        error: r.error,
        sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
      }));
      return pageOf(items, count, query);
    },

    /**
     * Adds customers to a draft (the automation rules' "add to mass message" action). A customer
     * already on the message is left as is; unknown customer ids are ignored. Returns how many were added.
     */
    async addRecipients(massMessageId: number, customerIds: number[], options: { transaction?: Transaction } = {}): Promise<{ added: number }> {
      const run = async (tx: Transaction) => {
        const message = await models.MassMessage.findByPk(massMessageId, { attributes: ['id', 'status'], raw: true, transaction: tx });
        if (!message) throw notFound('mass message', massMessageId);
        if (message.status !== 'draft') throw conflict(`customers can only be added to a draft; mass message ${massMessageId} is ${message.status}`);
        const wanted = [...new Set(customerIds.map(Number))];
        if (!wanted.length) return { added: 0 };
        const existing = new Set((await models.MassMessageRecipient.findAll({ where: { mass_message_id: massMessageId, customer_id: wanted }, attributes: ['customer_id'], raw: true, transaction: tx })).map((r) => Number(r.customer_id)));
        const known = (await models.Customer.findAll({ where: { id: wanted.filter((id) => !existing.has(id)) }, attributes: ['id'], raw: true, transaction: tx })).map((c) => Number(c.id));
        if (!known.length) return { added: 0 };
        await models.MassMessageRecipient.bulkCreate(known.map((customerId) => ({ mass_message_id: massMessageId, customer_id: customerId, status: 'pending' as const })), { transaction: tx, ignoreDuplicates: true });
        await audit.record({ action: 'engagement.mass_message_recipients_added', targetType: 'mass_message', targetId: massMessageId, actor: { id: null, name: 'automation' }, after: { customerIds: known.slice(0, 100), added: known.length } }, tx);
        return { added: known.length };
      };
      return options.transaction ? run(options.transaction) : db.transaction(run);
    },

    /** Starts the scheduled drafts that are due (cron, once across instances). Returns how many started. */
    async dispatchDue(at = now()): Promise<number> {
      const due = await models.MassMessage.findAll({ where: { status: 'draft', scheduled_at: { [Op.lte]: at } }, attributes: ['id'], order: [['scheduled_at', 'ASC']], raw: true });
      let started = 0;
      for (const { id } of due) if (await db.transaction((tx) => startSending(Number(id), tx, MASS_MESSAGE_ACTOR))) started += 1;
      return started;
    },
  };
}

export type MassMessageService = ReturnType<typeof createMassMessageService>;
