import type { FinanceSdk } from '@scrm/wecom-adapter/src/finance/finance-sdk';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import { recordConversationDays } from './archive-timeline';
import { applyEffects, decryptedRows, storeBatch, writeTokens, type PulledMessage } from './archive-batch-store';
import type { ArchiveKeys } from './archive-keys.service';
import type { ComplianceCheck } from './archive-compliance-check';
import { recordMedia } from './archive-media';
import type { ArchivedMessage } from './archive-message';
import type { RsaPool, SealedKey } from './archive-rsa-pool';

export type FinanceSource = Pick<FinanceSdk, 'getChatData' | 'decrypt'>;

export interface BatchResult {
  pulled: number;
  stored: number;
  parked: number;
}

const none: BatchResult = { pulled: 0, stored: 0, parked: 0 };

export interface IngestDeps {
  db: Database;
  models: Models;
  keys: ArchiveKeys;
  sdk: FinanceSource;
  rsa: RsaPool;
  corpId: string;
  log: Logger;
  batchSize?: number;
  /** Compliance rules checked against every stored batch, in its transaction. */
  compliance?: ComplianceCheck;
}

/** Opens sealed keys then DecryptData; a message that cannot be opened yet comes back null. */
async function openMessages(sdk: FinanceSource, rsa: RsaPool, keys: Map<number, string>, sealed: SealedKey[], encrypted: string[]): Promise<Array<ArchivedMessage | null>> {
  const randomKeys = await rsa.open(keys, sealed);
  return randomKeys.map((randomKey, i) => {
    if (randomKey === null) return null;
    try {
      return JSON.parse(sdk.decrypt(randomKey, encrypted[i]!)) as ArchivedMessage;
    } catch {
      return null;
    }
  });
}

/**
 * Pulls the archive from the last committed sequence: one batch per call, stored with its sequence in
 * one transaction (see storeBatch). Messages whose key version is missing are parked, then opened by
 * `processParked` once the key is there.
 */
export function createArchiveIngest(deps: IngestDeps) {
  const { db, models, keys, sdk, rsa, corpId, log } = deps;
  const batchSize = deps.batchSize ?? 1000;

  async function cursorSeq(): Promise<number> {
    const [cursor] = await models.ArchiveCursor.findOrCreate({ where: { corp_id: corpId }, defaults: { corp_id: corpId, last_seq: 0 } });
    return Number(cursor.last_seq);
  }

  /** Pulls the batch after `fromSeq` and opens what its keys allow; null when there is nothing new. */
  async function prepare(fromSeq: number): Promise<{ fromSeq: number; toSeq: number; pulled: PulledMessage[]; startedAt: number } | null> {
    const startedAt = Date.now();
    const items = sdk.getChatData(fromSeq, batchSize);
    if (!items.length) return null;
    const opened = await openMessages(
      sdk,
      rsa,
      await keys.load(),
      items.map((item) => ({ version: item.publickey_ver, sealed: item.encrypt_random_key })),
      items.map((item) => item.encrypt_chat_msg),
    );
    const pulled: PulledMessage[] = items.map((item, i) => {
      const message = opened[i];
      return message
        ? { kind: 'decrypted', seq: item.seq, publickeyVer: item.publickey_ver, message: { ...message, msgid: message.msgid || item.msgid } }
        : { kind: 'parked', seq: item.seq, msgid: item.msgid, publickeyVer: item.publickey_ver, encryptRandomKey: item.encrypt_random_key, encryptChatMsg: item.encrypt_chat_msg };
    });
    return { fromSeq, toSeq: Math.max(...items.map((item) => item.seq)), pulled, startedAt };
  }

  async function commit(batch: { fromSeq: number; toSeq: number; pulled: PulledMessage[]; startedAt: number }): Promise<BatchResult> {
    const result = await storeBatch(db, models, { corpId, ...batch, compliance: deps.compliance });
    if (!result) return none;
    if (result.parked) log.warn({ parked: result.parked, versions: [...new Set(batch.pulled.map((p) => p.publickeyVer))] }, 'archive messages parked: no private key opens them yet');
    return { pulled: batch.pulled.length, ...result };
  }

  return {
    cursorSeq,

    /** One batch; returns how many messages it pulled (0 when caught up). */
    async runOnce(): Promise<BatchResult> {
      const batch = await prepare(await cursorSeq());
      return batch ? commit(batch) : none;
    },

    /**
     * Batches until caught up, opening the next batch's keys (on the RSA threads) while the current
     * one is written; `onBatch` returning false stops after the batch. A batch whose store fails or loses the cursor ends the run; nothing is skipped
     * because every batch is checked against the committed sequence it was pulled from.
     */
    async runUntilCaughtUp(onBatch?: (result: BatchResult) => boolean | void): Promise<BatchResult> {
      const total = { ...none };
      let next = prepare(await cursorSeq());
      for (;;) {
        const batch = await next;
        if (!batch) return total;
        next = prepare(batch.toSeq);
        next.catch(() => undefined);
        const result = await commit(batch);
        if (!result.pulled) return total;
        total.pulled += result.pulled;
        total.stored += result.stored;
        total.parked += result.parked;
        if (onBatch?.(result) === false) return total;
      }
    },

    /** Opens parked messages whose key is now known; returns how many were stored. */
    async processParked(limit = 1000): Promise<number> {
      const known = await keys.load();
      if (!known.size) return 0;
      const rows = await models.ArchiveMessage.findAll({ where: { status: 'parked', publickey_ver: [...known.keys()] }, order: [['seq', 'ASC']], limit, raw: true });
      if (!rows.length) return 0;
      const opened = await openMessages(
        sdk,
        rsa,
        known,
        rows.map((row) => ({ version: Number(row.publickey_ver), sealed: row.encrypt_random_key ?? '' })),
        rows.map((row) => row.encrypt_chat_msg ?? ''),
      );
      const ready = rows.flatMap((row, i) => (opened[i] ? [{ kind: 'decrypted' as const, seq: Number(row.seq), publickeyVer: Number(row.publickey_ver), message: { ...opened[i]!, msgid: row.msgid } }] : []));
      if (!ready.length) return 0;
      const built = await decryptedRows(models, ready, new Date());
      await db.transaction(async (tx) => {
        for (const { row } of built) {
          await models.ArchiveMessage.update({ ...row, created_at: undefined, encrypt_random_key: null, encrypt_chat_msg: null }, { where: { msgid: row.msgid, status: 'parked' }, transaction: tx });
        }
        await writeTokens(db, models, built.map((b) => ({ msgid: b.row.msgid, tokens: b.tokens })), tx);
        await applyEffects(models, built.map((b) => b.message), tx);
        await recordMedia(models, built.map((b) => b.message), tx);
        await recordConversationDays(models, built.map((b) => b.row), tx);
        await deps.compliance?.(built.map((b) => b.row), tx);
      });
      return built.length;
    },

    async recordError(error: unknown): Promise<void> {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      await models.ArchiveCursor.update({ last_error: message, last_error_at: new Date() }, { where: { corp_id: corpId } });
    },
  };
}

export type ArchiveIngest = ReturnType<typeof createArchiveIngest>;
