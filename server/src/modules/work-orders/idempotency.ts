import type { Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import { AppError } from '../../core/errors';
import type { WorkOrderModels } from './work-order.models';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const keyPattern = /^[\w.:-]{8,128}$/;

/**
 * Applies a request sent with an `Idempotency-Key` once: its effect and its answer are committed in
 * one transaction, and a retry with the same key (by the same user, on the same route) gets that
 * first answer back without applying anything again. Failures are not kept: a retry after one runs anew.
 */
export function createIdempotency(deps: { db: Database; models: Pick<WorkOrderModels, 'IdempotencyKey'> }) {
  const { db, models } = deps;

  const find = (userId: number, route: string, key: string) => models.IdempotencyKey.findOne({ where: { user_id: userId, route, idem_key: key }, raw: true });

  function checkedKey(key: string | undefined): string | undefined {
    if (key === undefined || key === '') return undefined;
    if (!keyPattern.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key: 8 to 128 letters, digits, _ . : -', [{ path: 'headers.idempotency-key', message: 'malformed' }]);
    return key;
  }

  return {
    /** Runs `work` in a transaction, once per key; `replayed` says whether the answer is a stored one. */
    async run<T>(userId: number, route: string, rawKey: string | undefined, work: (tx: Transaction) => Promise<T>): Promise<{ result: T; replayed: boolean }> {
      const key = checkedKey(rawKey);
      if (!key) return { result: await db.transaction(work), replayed: false };
      const stored = await find(userId, route, key);
      if (stored) return { result: JSON.parse(stored.response) as T, replayed: true };
      try {
        const result = await db.transaction(async (tx) => {
          const answer = await work(tx);
          await models.IdempotencyKey.create({ user_id: userId, route, idem_key: key, status_code: 200, response: JSON.stringify(answer ?? null), created_at: new Date() }, { transaction: tx });
          return answer;
        });
        return { result, replayed: false };
      } catch (error) {
        // A concurrent request with the same key won: answer as it did.
        const winner = await find(userId, route, key);
        if (winner) return { result: JSON.parse(winner.response) as T, replayed: true };
        throw error;
      }
    },
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
