import { eventIdempotencyKey, parseEnvelope, parseWecomEvent, parseXml, type WecomEvent } from '@scrm/wecom-adapter';
import { Op, UniqueConstraintError, type WhereOptions } from 'sequelize';
import { z } from 'zod';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import { AppError } from '../../core/errors';
import type { WecomCallbackRow } from './wecom-callback.model';
import type { WecomEventRouter } from './wecom-event-router';
import type { WecomRuntime } from './wecom-runtime';

export const signedQuery = z.object({
  msg_signature: z.string().regex(/^[0-9a-fA-F]{40}$/, 'must be a 40-character SHA-1 hex digest'),
  timestamp: z.string().regex(/^\d{1,12}$/, 'digits only'),
  nonce: z.string().min(1).max(64),
});
export const verifyQuery = signedQuery.extend({ echostr: z.string().min(1).max(1024) });

/** Fields safe to show in lists: ids and types, never names or mobiles. */
const summaryFields = ['Event', 'InfoType', 'ChangeType', 'MsgType', 'MsgId', 'UserID', 'ExternalUserID', 'ChatId', 'Id', 'TagType', 'UpdateDetail', 'State', 'Source', 'FailReason', 'AgentID', 'CreateTime', 'TimeStamp'];

export const PROCESS_JOB = 'wecom.callback.process';

export type CallbackStatus = 'processed' | 'pending' | 'dead';

const rejected = (reason: string) => new AppError('VALIDATION_FAILED', `callback refused: ${reason}`, [{ path: 'callback', message: reason }]);

/**
 * WeCom callbacks: verified, decrypted and stored with an idempotency key before we answer 200;
 * processed afterwards by the durable job queue, exactly once per event.
 */
export function createWecomCallbackService(deps: { db: Database; models: Models; queue: JobQueue; runtime: WecomRuntime; cipher: FieldCipher; router: WecomEventRouter; log: Logger }) {
  const { db, models, queue, runtime, cipher, router, log } = deps;

  async function cryptoOrRefuse() {
    const state = await runtime.current();
    if (!state.crypto) throw new AppError('NOT_READY', 'WeCom callbacks are not configured: set the callback token and EncodingAESKey');
    return state.crypto;
  }

  function open(crypto: Awaited<ReturnType<typeof cryptoOrRefuse>>, query: z.infer<typeof signedQuery>, encrypt: string): string {
    try {
      return crypto.open({ msgSignature: query.msg_signature, timestamp: query.timestamp, nonce: query.nonce }, encrypt);
    } catch (error) {
      throw rejected(error instanceof Error ? error.message : 'cannot decrypt');
    }
  }

  async function parse(plaintext: string): Promise<WecomEvent> {
    try {
      return parseWecomEvent(await parseXml(plaintext));
    } catch (error) {
      throw rejected(`event XML: ${error instanceof Error ? error.message : 'malformed'}`);
    }
  }

  return {
    /** URL verification: the decrypted echostr, as plain text. */
    async verifyUrl(query: z.infer<typeof verifyQuery>): Promise<string> {
      return open(await cryptoOrRefuse(), query, query.echostr);
    },

    /** Stores one delivery; true when it was new, false when WeCom delivered it before. */
    async receive(query: z.infer<typeof signedQuery>, body: string): Promise<{ callbackId: number; duplicate: boolean }> {
      const crypto = await cryptoOrRefuse();
      let envelope: { encrypt: string };
      try {
        envelope = await parseEnvelope(body);
      } catch (error) {
        throw rejected(`envelope: ${error instanceof Error ? error.message : 'malformed'}`);
      }
      const plaintext = open(crypto, query, envelope.encrypt);
      const event = await parse(plaintext);
      const key = eventIdempotencyKey(event);
      const existing = await models.WecomCallback.findOne({ where: { idempotency_key: key }, attributes: ['id'], raw: true });
      if (existing) return duplicate(Number(existing.id));
      const raw = event.raw as Record<string, unknown>;
      const summary = Object.fromEntries(summaryFields.filter((f) => raw[f] !== undefined).map((f) => [f, raw[f]]));
      try {
        return await db.transaction(async (tx) => {
          const created = await models.WecomCallback.create(
            {
              idempotency_key: key,
              corp_id: event.corpId ?? '',
              kind: event.kind,
              event: typeof raw.Event === 'string' ? raw.Event : typeof raw.InfoType === 'string' ? raw.InfoType : null,
              change_type: typeof raw.ChangeType === 'string' ? raw.ChangeType : null,
              summary: JSON.stringify(summary),
              payload_enc: cipher.encrypt(JSON.stringify(event)),
              event_time: event.createTime ? new Date(event.createTime * 1000) : null,
              received_at: new Date(),
            },
            { transaction: tx },
          );
          const callbackId = Number(created.get('id'));
          const jobId = await queue.enqueue(PROCESS_JOB, { callbackId }, { transaction: tx, maxAttempts: 10 });
          await models.WecomCallback.update({ job_id: jobId }, { where: { id: callbackId }, transaction: tx });
          return { callbackId, duplicate: false };
        });
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        const winner = await models.WecomCallback.findOne({ where: { idempotency_key: key }, attributes: ['id'], raw: true });
        return duplicate(Number(winner?.id));
      }
    },

    /** Runs the event's handlers and marks it processed in one transaction; a second run does nothing. */
    async process(callbackId: number): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await models.WecomCallback.findByPk(callbackId, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
        if (!row || row.processed_at) return;
        const event = JSON.parse(cipher.decrypt(row.payload_enc)) as WecomEvent;
        const handled = await router.dispatch(event, { tx, callbackId });
        await models.WecomCallback.update({ processed_at: new Date() }, { where: { id: callbackId }, transaction: tx });
        log.debug({ callbackId, kind: event.kind, handlers: handled }, 'WeCom event processed');
      });
    },

    async list(filter: { kind?: string; changeType?: string; status?: CallbackStatus }, range: { offset: number; limit: number }) {
      const where: WhereOptions<WecomCallbackRow> = {};
      if (filter.kind) Object.assign(where, { kind: filter.kind });
      if (filter.changeType) Object.assign(where, { change_type: filter.changeType });
      if (filter.status === 'processed') Object.assign(where, { processed_at: { [Op.ne]: null } });
      if (filter.status === 'pending' || filter.status === 'dead') {
        const dead = await models.Job.findAll({ where: { type: PROCESS_JOB, status: 'dead' }, attributes: ['id'], raw: true });
        const deadIds = dead.map((j) => Number(j.id));
        Object.assign(where, { processed_at: null, job_id: filter.status === 'dead' ? { [Op.in]: deadIds } : { [Op.notIn]: deadIds } });
      }
      const { rows, count } = await models.WecomCallback.findAndCountAll({ where, order: [['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true });
      const jobIds = rows.flatMap((r) => (r.job_id ? [Number(r.job_id)] : []));
      const jobs = new Map((await models.Job.findAll({ where: { id: jobIds }, raw: true })).map((j) => [Number(j.id), j]));
      return {
        total: count,
        items: rows.map((row) => {
          const job = row.job_id ? jobs.get(Number(row.job_id)) : undefined;
          const status: CallbackStatus = row.processed_at ? 'processed' : job?.status === 'dead' ? 'dead' : 'pending';
          return { row, status, attempts: job ? Number(job.attempts) : 0, lastError: job?.last_error ?? null };
        }),
      };
    },

    async replay(callbackId: number): Promise<boolean> {
      const row = await models.WecomCallback.findByPk(callbackId, { raw: true });
      if (!row?.job_id) return false;
      return queue.retry(Number(row.job_id));
    },
  };

  async function duplicate(callbackId: number) {
    await models.WecomCallback.increment('deliveries', { where: { id: callbackId } });
    return { callbackId, duplicate: true };
  }
}

export type WecomCallbackService = ReturnType<typeof createWecomCallbackService>;
