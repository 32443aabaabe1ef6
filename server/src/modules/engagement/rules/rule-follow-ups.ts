import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../../core/db/database';
import { sqlInstant } from '../../../core/db/sql-instant';
import type { JobQueue } from '../../../core/jobs/job-queue';
import { AppError, assertUnreachable } from '../../../core/errors';
import { firingNoteOf, firingStatusOf } from './rule-outcomes';
import type { ActionOutcome, RuleAction } from './rule.schemas';
import type { EvaluatedRule } from './rule-evaluator';

export const COUPON_JOB = 'engagement.rules.coupon';
export const WEBHOOK_JOB = 'engagement.rules.webhook';
export const TASK_REMINDER_JOB = 'engagement.tasks.remind';
/** Webhook attempts before the job is dead (backoff doubles from one second). */
export const WEBHOOK_ATTEMPTS = 6;

/** The mass-message service as rules use it: adds customers to a draft mass message (群发) in the caller's transaction. */
export interface MassMessageRecipients {
  addRecipients(massMessageId: number, customerIds: number[], options: { transaction: Transaction }): Promise<unknown>;
}

export interface FollowUpDeps {
  db: Database;
  queue: JobQueue;
  /** Absent until the mass-message service is wired: the action is then skipped with that reason. */
  massMessages?: MassMessageRecipients;
}

const HOUR_MS = 3600 * 1000;
/** Actions the evaluator applies itself, one statement over all the firings of a run. */
const setBased = new Set<RuleAction['type']>(['add_tags', 'remove_tags', 'change_stage']);

/**
 * The actions that act per customer, applied to every firing one run claimed, in its transaction:
 * follow-up tasks are rows (their WeCom reminders jobs), webhooks and coupons jobs of the durable
 * queue (they settle their outcome later), the mass-message recipients a call to that service. Each
 * firing gets the outcome of every action; tag and stage actions were applied set-based before.
 */
export function createRuleFollowUps(deps: FollowUpDeps) {
  const { db, queue } = deps;
  const sequelize = db.sequelize;
  const at = (d: Date) => `'${sqlInstant(db.dialect, d)}'`;
  const select = <T extends object>(sql: string, tx: Transaction, replacements: unknown[]) => sequelize.query<T>(sql, { transaction: tx, replacements, type: QueryTypes.SELECT });

  async function createTasks(rule: EvaluatedRule, action: Extract<RuleAction, { type: 'create_task' }>, runId: string, now: Date, tx: Transaction): Promise<ActionOutcome> {
    const due = new Date(now.getTime() + action.dueIn * (action.dueUnit === 'days' ? 24 : 1) * HOUR_MS);
    await sequelize.query(
      `INSERT INTO engagement_follow_tasks (rule_id, firing_id, customer_id, store_id, assignee_user_id, title, due_at, status, reminder_status, created_at, updated_at)
       SELECT ?, f.id, f.customer_id, c.store_id, c.owner_user_id, ?, ${at(due)}, 'open', CASE WHEN c.owner_user_id IS NULL THEN 'skipped' ELSE 'pending' END, ${at(now)}, ${at(now)}
       FROM engagement_rule_firings f JOIN customers c ON c.id = f.customer_id WHERE f.run_id = ?`,
      { transaction: tx, replacements: [rule.id, action.title, runId] },
    );
    const pending = await select<{ id: number }>(
      `SELECT t.id FROM engagement_follow_tasks t JOIN engagement_rule_firings f ON f.id = t.firing_id WHERE f.run_id = ? AND t.reminder_status = 'pending' ORDER BY t.id`,
      tx,
      [runId],
    );
    for (const task of pending) await queue.enqueue(TASK_REMINDER_JOB, { taskId: Number(task.id) }, { transaction: tx });
    return { type: action.type, status: 'done' };
  }

  async function addToMassMessage(action: Extract<RuleAction, { type: 'add_to_mass_message' }>, customerIds: number[], tx: Transaction): Promise<ActionOutcome> {
    if (!deps.massMessages) return { type: action.type, status: 'skipped', note: 'mass messages are not available on this server' };
    try {
      await deps.massMessages.addRecipients(action.massMessageId, customerIds, { transaction: tx });
      return { type: action.type, status: 'done' };
    } catch (error) {
      // a mass message gone or no longer a draft: the customers are not added, the rest of the firing stands
      if (error instanceof AppError && error.status < 500) return { type: action.type, status: 'skipped', note: error.message.slice(0, 200) };
      throw error;
    }
  }

  return {
    /** Applies the per-customer actions to the firings of `runId` and records each firing's outcomes. */
    async apply(rule: EvaluatedRule, runId: string, now: Date, tx: Transaction): Promise<void> {
      // tags and stage only: nothing to do per customer, the firings stay `done` without outcomes
      if (rule.actions.every((a) => setBased.has(a.type))) return;
      const firings = (await select<{ id: number; customer_id: number }>('SELECT id, customer_id FROM engagement_rule_firings WHERE run_id = ? ORDER BY id', tx, [runId])).map((f) => ({ id: Number(f.id), customerId: Number(f.customer_id) }));
      const outcomes: ActionOutcome[] = [];
      for (const [index, action] of rule.actions.entries()) {
        switch (action.type) {
          case 'add_tags':
          case 'remove_tags':
          case 'change_stage':
            outcomes.push({ type: action.type, status: 'done' });
            break;
          case 'create_task':
            outcomes.push(await createTasks(rule, action, runId, now, tx));
            break;
          case 'add_to_mass_message':
            outcomes.push(await addToMassMessage(action, firings.map((f) => f.customerId), tx));
            break;
          case 'issue_coupon':
          case 'webhook': {
            const job = action.type === 'webhook' ? WEBHOOK_JOB : COUPON_JOB;
            for (const firing of firings) await queue.enqueue(job, { firingId: firing.id, index }, { transaction: tx, ...(action.type === 'webhook' && { maxAttempts: WEBHOOK_ATTEMPTS }) });
            outcomes.push({ type: action.type, status: 'pending' });
            break;
          }
          default:
            assertUnreachable(action);
        }
      }
      await sequelize.query('UPDATE engagement_rule_firings SET outcomes = ?, status = ?, error = ? WHERE run_id = ?', {
        transaction: tx,
        replacements: [JSON.stringify(outcomes), firingStatusOf(outcomes), firingNoteOf(outcomes), runId],
      });
    },
  };
}

export type RuleFollowUps = ReturnType<typeof createRuleFollowUps>;
