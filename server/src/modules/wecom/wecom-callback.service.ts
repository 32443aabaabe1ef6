import type { EventEmitter } from '../plugins/outbox';
import { eventIdempotencyKey, parseEnvelope, parseWecomEvent, parseXml, type WecomEvent } from '@scrm/wecom-adapter';
import type { Transaction, WhereOptions } from 'sequelize';
import { z } from 'zod';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import { sqlInstant } from '../../core/db/sql-instant';
import { createWriteBatcher } from '../../core/db/write-batcher';
import { driverExecute } from '../../core/db/driver-execute';
import { retryOnConflict } from '../../core/db/retry-on-conflict';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import { AppError } from '../../core/errors';
import type { WecomCallbackRow } from './wecom-callback.model';
import type { WecomEventRouter } from './wecom-event-router';
import type { WecomRuntime } from './wecom-runtime';
import { createInboxDispatcher } from '../../core/jobs/inbox-dispatcher';
import { inboxStatusWhere, withInboxJobs, type InboxStatus } from '../../core/jobs/inbox-status';

export const PROCESS_JOB = 'wecom.callback.process';

export const signedQuery = z.object({
  msg_signature: z.string().regex(/^[0-9a-fA-F]{40}$/, 'must be a 40-character SHA-1 hex digest'),
  timestamp: z.string().regex(/^\d{1,12}$/, 'digits only'),
  nonce: z.string().min(1).max(64),
});
export const verifyQuery = signedQuery.extend({ echostr: z.string().min(1).max(1024) });

/** Fields safe to show in lists: ids and types, never names or mobiles. */
const summaryFields = ['Event', 'InfoType', 'ChangeType', 'MsgType', 'MsgId', 'UserID', 'ExternalUserID', 'ChatId', 'Id', 'TagType', 'UpdateDetail', 'State', 'Source', 'FailReason', 'AgentID', 'CreateTime', 'TimeStamp'];


export type CallbackStatus = InboxStatus;

type InboxRow = [string, string, string, string | null, string | null, string, string, string | null, string];

const rejected = (reason: string) => new AppError('VALIDATION_FAILED', `callback refused: ${reason}`, [{ path: 'callback', message: reason }]);

/**
 * WeCom callbacks: verified, decrypted and stored with an idempotency key before we answer 200;
 * processed afterwards by the durable job queue, exactly once per event.
 */
export function createWecomCallbackService(deps: { db: Database; models: Models; queue: JobQueue; runtime: WecomRuntime; cipher: FieldCipher; router: WecomEventRouter; log: Logger; events?: EventEmitter }) {
  const { db, models, queue, runtime, cipher, router, log } = deps;
  // Stored callbacks without a job become processing jobs of up to 100, shortly after deliveries and on a schedule.
  const dispatcher = createInboxDispatcher({ db, queue, log, inbox: models.WecomCallback, job: { type: PROCESS_JOB, payload: (callbackIds) => ({ callbackIds }), maxAttempts: 10 } });
  /** Work that must start as soon as a callback is stored, not behind the queue (welcome messages). */
  const storedListeners: Array<(event: WecomEvent) => void> = [];
  const upsert = db.dialect === 'mysql' ? 'ON DUPLICATE KEY UPDATE deliveries = deliveries + 1' : 'ON CONFLICT(idempotency_key) DO UPDATE SET deliveries = deliveries + 1';
  /**
   * The inbox: raw multi-row upserts (the model layer costs more than the rest of the request), grouped
   * while the previous statement is in flight. One statement at a time makes the groups as large as the
   * load: under a burst, fewer and larger statements cost the server and the database less CPU per
   * event, while a lone delivery is still written at once. A repeat of a stored event only counts a delivery.
   */
  const inbox = createWriteBatcher<InboxRow>(async (rows) => {
    const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, 1)').join(', ');
    const sql = `INSERT INTO wecom_callbacks (idempotency_key, corp_id, kind, event, change_type, summary, payload_enc, event_time, received_at, deliveries) VALUES ${values} ${upsert}`;
    // An upsert racing the dispatcher's locking read can be picked as a deadlock victim: it applied nothing, so run it again.
    await retryOnConflict(() => db.exclusive(() => driverExecute(db.sequelize, sql, rows.flat())));
  }, { maxInFlight: 1 });
  async function processIn(tx: Transaction, callbackIds: number[]) {
    const rows = await models.WecomCallback.findAll({ where: { id: callbackIds, processed_at: null }, order: [['id', 'ASC']], raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
    for (const row of rows) {
      const event = JSON.parse(cipher.decrypt(row.payload_enc)) as WecomEvent;
      await router.dispatch(event, { tx, callbackId: Number(row.id) });
      // Plugins get the stored summary (ids and types), not the personal data of the payload.
      await deps.events?.emit('wecom.event', { kind: row.kind, changeType: row.change_type, event: JSON.parse(row.summary) as Record<string, unknown> }, tx);
    }
    if (rows.length) await models.WecomCallback.update({ processed_at: new Date() }, { where: { id: rows.map((r) => Number(r.id)) }, transaction: tx });
  }

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

    /** Stores one delivery durably; WeCom's repeats of an event only count its deliveries. */
    async receive(query: z.infer<typeof signedQuery>, body: string): Promise<{ idempotencyKey: string }> {
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
      const raw = event.raw as Record<string, unknown>;
      const summary = Object.fromEntries(summaryFields.filter((f) => raw[f] !== undefined).map((f) => [f, raw[f]]));
      await inbox.write([
        key,
        event.corpId ?? '',
        event.kind,
        typeof raw.Event === 'string' ? raw.Event : typeof raw.InfoType === 'string' ? raw.InfoType : null,
        typeof raw.ChangeType === 'string' ? raw.ChangeType : null,
        JSON.stringify(summary),
        cipher.encrypt(JSON.stringify(event)),
        event.createTime ? sqlInstant(db.dialect, new Date(event.createTime * 1000)) : null,
        sqlInstant(db.dialect, new Date()),
      ]);
      for (const listener of storedListeners) listener(event);
      dispatcher.schedule();
      return { idempotencyKey: key };
    },

    onStored(listener: (event: WecomEvent) => void): void {
      storedListeners.push(listener);
    },

    dispatchPending: dispatcher.dispatchPending,
    stop: dispatcher.stop,

    /**
     * Runs the handlers of each callback and marks it processed in the same transaction, so a second
     * run does nothing. A batch commits together; if it fails, each callback is tried on its own so
     * that one poisonous event cannot hold back the others.
     */
    async processBatch(callbackIds: number[]): Promise<void> {
      try {
        await db.transaction((tx) => processIn(tx, callbackIds));
      } catch (batchError) {
        if (callbackIds.length === 1) throw batchError;
        log.warn({ err: batchError, callbacks: callbackIds.length }, 'a callback batch failed; processing its callbacks one by one');
        let failure: unknown = null;
        for (const id of callbackIds) {
          try {
            await db.transaction((tx) => processIn(tx, [id]));
          } catch (error) {
            failure ??= error;
          }
        }
        if (failure) throw failure;
      }
    },

    async list(filter: { kind?: string; changeType?: string; status?: CallbackStatus }, range: { offset: number; limit: number }) {
      const where: WhereOptions<WecomCallbackRow> = {};
      if (filter.kind) Object.assign(where, { kind: filter.kind });
      if (filter.changeType) Object.assign(where, { change_type: filter.changeType });
      Object.assign(where, await inboxStatusWhere(models, PROCESS_JOB, filter.status));
      const { rows, count } = await findPage(models.WecomCallback, { where, order: [['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true });
      return { total: count, items: await withInboxJobs(models, rows) };
    },

    /** A dead callback gets a job of its own, so that replaying it does not re-run its batch. */
    async replay(callbackId: number): Promise<boolean> {
      const row = await models.WecomCallback.findByPk(callbackId, { raw: true });
      if (!row || row.processed_at || !row.job_id) return false;
      const job = await models.Job.findByPk(Number(row.job_id), { raw: true });
      if (job?.status !== 'dead') return false;
      await db.transaction(async (tx) => {
        const jobId = await queue.enqueue(PROCESS_JOB, { callbackIds: [callbackId] }, { transaction: tx, maxAttempts: 10 });
        await models.WecomCallback.update({ job_id: jobId }, { where: { id: callbackId }, transaction: tx });
      });
      return true;
    },
  };
}

export type WecomCallbackService = ReturnType<typeof createWecomCallbackService>;
