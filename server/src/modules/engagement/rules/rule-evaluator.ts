import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Services } from '../../../app';
import { retryOnConflict } from '../../../core/db/retry-on-conflict';
import { conflict } from '../../../core/errors';
import { tryLock, type Lock } from '../../../core/kv/kv-store';
import { sqlInstant } from '../../../core/db/sql-instant';
import type { AuditEntry } from '../../audit/audit.service';
import { audienceSql, periodKeyOf } from './rule-audience';
import type { RuleFollowUps } from './rule-follow-ups';
import { triggerSummary } from './rule-trigger-summary';
import { isEventTrigger, type RuleAction, type RuleBody } from './rule.schemas';

export type EvaluatedRule = Pick<RuleBody, 'name' | 'trigger' | 'conditions' | 'actions' | 'period'> & { id: number };

type Deps = Pick<Services, 'db' | 'models' | 'audit' | 'kv'> & { phone: Services['pii']['phone']; followUps: RuleFollowUps };

/** What a firing came from: an event (its outbox id and a line for the timeline) or a scheduled run. */
export interface FiringCause {
  eventId: number | null;
  summary: string;
}

const SAMPLE_SIZE = 10;
/** Event firings are audited as the automation itself. */
const AUTOMATION = { id: null, name: 'automation' };
/** Customers are evaluated in id ranges of this size, one transaction each (big transactions slow InnoDB down). */
const CHUNK_IDS = 50_000;
/** Ranges evaluated at once on MySQL/MariaDB (disjoint customers, so they do not wait on each other); SQLite has one writer. */
const MYSQL_LANES = 2;
/** A run holds its rule's lock this long at most (a crashed instance's lock then expires); another run waits for it up to RUN_WAIT_MS. */
const RUN_LOCK_MS = 10 * 60_000;
const RUN_WAIT_MS = 2 * 60_000;
const RUN_LOCK_POLL_MS = 200;

/**
 * Evaluates scheduled rules set-based: one INSERT … SELECT claims a firing per matching customer
 * (the unique (rule, customer, period) key makes a second run, on this or another instance, skip
 * every customer already fired), then each action and the timeline entries are one statement over
 * the firings of this run. Customers go in id ranges, each in one transaction (a crash leaves no
 * customer fired without its actions), a few ranges at once. A scheduled run holds its rule's lock
 * (shared through the key-value store), so two runs of a rule, here or on another instance, take
 * turns: the second finds everyone fired.
 */
export function createRuleEvaluator(deps: Deps) {
  const { db, audit } = deps;
  const sequelize = db.sequelize;
  const ignore = db.dialect === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
  const at = (d: Date) => `'${sqlInstant(db.dialect, d)}'`;
  const concat = (...parts: string[]) => (db.dialect === 'mysql' ? `CONCAT(${parts.join(', ')})` : parts.join(' || '));
  const exec = (sql: string, tx: Transaction, replacements: unknown[] = []) => sequelize.query(sql, { transaction: tx, replacements });

  const notFiredYet = (ruleId: number, periodKey: string) =>
    `NOT EXISTS (SELECT 1 FROM engagement_rule_firings f WHERE f.rule_id = ${Number(ruleId)} AND f.period_key = ${sequelize.escape(periodKey)} AND f.customer_id = audience.id)`;

  async function applyAction(action: RuleAction, runId: string, now: Date, tx: Transaction) {
    const firedIds = `SELECT customer_id FROM engagement_rule_firings WHERE run_id = ${sequelize.escape(runId)}`;
    const tagList = (ids: number[]) => ids.map(Number).join(', ');
    if (action.type === 'add_tags') {
      // a mark of our own (no WeCom follow user), as the customer import writes
      await exec(`${ignore} customer_tags (customer_id, tag_id, wecom_userid, created_at) SELECT f.customer_id, t.id, '', ${at(now)} FROM engagement_rule_firings f JOIN tags t ON t.id IN (${tagList(action.tagIds)}) WHERE f.run_id = ?`, tx, [runId]);
    } else if (action.type === 'remove_tags') {
      await exec(`DELETE FROM customer_tags WHERE tag_id IN (${tagList(action.tagIds)}) AND customer_id IN (${firedIds})`, tx);
    } else if (action.type === 'change_stage') {
      const update =
        db.dialect === 'mysql'
          ? `UPDATE customers c JOIN engagement_rule_firings f ON f.customer_id = c.id SET c.stage = ?, c.updated_at = ${at(now)} WHERE f.run_id = ${sequelize.escape(runId)}`
          : `UPDATE customers SET stage = ?, updated_at = ${at(now)} WHERE id IN (${firedIds})`;
      await exec(update, tx, [action.stage]);
    }
  }

  /** One range of customer ids in one transaction: claim the firings, apply the actions, write the timeline. */
  async function fireChunk(rule: EvaluatedRule, periodKey: string, now: Date, ids: { from: number; to: number }, tx: Transaction, cause: FiringCause, actor?: AuditEntry['actor']) {
    const runId = randomUUID();
    const audience = audienceSql(deps, rule.trigger, rule.conditions, now, ids);
    await exec(
      `${ignore} engagement_rule_firings (rule_id, customer_id, period_key, status, run_id, event_id, fired_at) SELECT ${Number(rule.id)}, audience.id, ?, 'done', ?, ?, ${at(now)} FROM (${audience}) audience WHERE ${notFiredYet(rule.id, periodKey)}`,
      tx,
      [periodKey, runId, cause.eventId],
    );
    const [counted] = await sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM engagement_rule_firings WHERE run_id = ?', { replacements: [runId], transaction: tx, type: QueryTypes.SELECT });
    const count = Number(counted?.n ?? 0);
    if (!count) return 0;
    for (const action of rule.actions) await applyAction(action, runId, now, tx);
    await deps.followUps.apply(rule, runId, now, tx);
    const dedupe = concat(`'rule:${Number(rule.id)}:'`, 'f.period_key', `':'`, 'f.customer_id');
    await exec(
      `${ignore} customer_timeline (customer_id, store_id, kind, summary, payload, dedupe_key, occurred_at, created_at) SELECT f.customer_id, c.store_id, 'rule.fired', ?, ?, ${dedupe}, ${at(now)}, ${at(now)} FROM engagement_rule_firings f JOIN customers c ON c.id = f.customer_id WHERE f.run_id = ?`,
      tx,
      [`自动化规则「${rule.name}」触发：${cause.summary}`.slice(0, 512), JSON.stringify({ ruleId: rule.id, periodKey, trigger: rule.trigger.type, eventId: cause.eventId, actions: rule.actions.map((a) => a.type) }), runId],
    );
    await audit.record({ action: 'engagement.rule_fired', targetType: 'engagement_rule', targetId: rule.id, after: { periodKey, fired: count, customerIds: ids, eventId: cause.eventId }, ...(actor && { actor }) }, tx);
    return count;
  }

  /** The rule's run lock: taken at once, or once another run (here or on another instance) lets go. */
  async function runLock(rule: EvaluatedRule): Promise<Lock> {
    const giveUpAt = Date.now() + RUN_WAIT_MS;
    for (;;) {
      const lock = await tryLock(deps.kv, `engagement-rule-run:${rule.id}`, RUN_LOCK_MS);
      if (lock) return lock;
      if (Date.now() > giveUpAt) throw conflict(`automation rule ${rule.id} is still running elsewhere; try again later`);
      await new Promise((resume) => setTimeout(resume, RUN_LOCK_POLL_MS));
    }
  }

  return {
    /** How many customers the rule would fire for now, and a few of them. Changes nothing. */
    async dryRun(rule: EvaluatedRule, now = new Date()) {
      const periodKey = periodKeyOf(rule.period, now);
      const audience = `(${audienceSql(deps, rule.trigger, rule.conditions, now)}) audience WHERE ${notFiredYet(rule.id, periodKey)}`;
      const [counted] = await sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${audience}`, { type: QueryTypes.SELECT });
      const sample = await sequelize.query<{ id: number; name: string; stage: string }>(
        `SELECT c.id, c.name, c.stage FROM customers c WHERE c.id IN (SELECT id FROM (SELECT audience.id FROM ${audience} ORDER BY audience.id LIMIT ${SAMPLE_SIZE}) picked) ORDER BY c.id`,
        { type: QueryTypes.SELECT },
      );
      return { periodKey, count: Number(counted?.n ?? 0), sample: sample.map((c) => ({ id: Number(c.id), name: c.name, stage: c.stage })), eventTrigger: isEventTrigger(rule.trigger) };
    },

    /**
     * Fires an event rule for the customer the event concerns, when the customer matches the
     * conditions now and the rule has not fired for them in this period. Returns whether it fired; a
     * repeat of the event (at-least-once delivery) finds the firing there and does nothing.
     */
    async fireForCustomer(rule: EvaluatedRule, customerId: number, cause: FiringCause, now = new Date()): Promise<boolean> {
      const periodKey = periodKeyOf(rule.period, now);
      const fired = await retryOnConflict(() => db.transaction((tx) => fireChunk(rule, periodKey, now, { from: customerId, to: customerId }, tx, cause, AUTOMATION), { readCommitted: true }));
      if (fired) await deps.models.EngagementRule.update({ last_run_at: now }, { where: { id: rule.id } });
      return fired > 0;
    },

    /** Fires the rule for every matching customer not fired in this period; returns how many fired. */
    async run(rule: EvaluatedRule, now = new Date(), actor?: AuditEntry['actor']) {
      const lock = await runLock(rule);
      try {
        const started = Date.now();
        const periodKey = periodKeyOf(rule.period, now);
        const cause: FiringCause = { eventId: null, summary: triggerSummary(rule.trigger) };
        const [bounds] = await sequelize.query<{ low: number | null; high: number | null }>('SELECT MIN(id) AS low, MAX(id) AS high FROM customers', { type: QueryTypes.SELECT });
        const ranges: Array<{ from: number; to: number }> = [];
        for (let from = Number(bounds?.low ?? 1); from <= Number(bounds?.high ?? 0); from += CHUNK_IDS) ranges.push({ from, to: from + CHUNK_IDS - 1 });
        let fired = 0;
        const lane = async () => {
          for (let ids = ranges.shift(); ids; ids = ranges.shift()) {
            const range = ids;
            const firedInRange = await retryOnConflict(() => db.transaction((tx) => fireChunk(rule, periodKey, now, range, tx, cause, actor), { readCommitted: true }));
            fired += firedInRange;
          }
        };
        await Promise.all(Array.from({ length: db.dialect === 'mysql' ? MYSQL_LANES : 1 }, lane));
        await deps.models.EngagementRule.update({ last_run_at: now }, { where: { id: rule.id } });
        return { periodKey, fired, ms: Date.now() - started };
      } finally {
        await lock.release();
      }
    },
  };
}

export type RuleEvaluator = ReturnType<typeof createRuleEvaluator>;
