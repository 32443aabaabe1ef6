import { createHmac } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import { z } from 'zod';
import type { FieldCipher } from '../../../core/crypto/field-cipher';
import type { Database } from '../../../core/db/database';
import type { Models } from '../../../core/db/models';
import type { JobQueue } from '../../../core/jobs/job-queue';
import { InternalAddressError, internalHostProblem, publicOnlyLookup } from '../../../core/net/internal-address';
import { WEBHOOK_ATTEMPTS, WEBHOOK_JOB } from './rule-follow-ups';
import { parseOutcomes, settleOutcome } from './rule-outcomes';
import type { RuleAction } from './rule.schemas';

const TIMEOUT_MS = 10_000;

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` with the rule's secret: what a receiver recomputes. */
export const webhookSignature = (secret: string, timestamp: string, body: string) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * Redirects are not followed (a 3xx is a failure), and unless allowed no internal address is reached,
 * however the name resolves. Requests go direct (no proxy from the environment), so the check holds.
 */
function webhookClient(allowInternal: boolean) {
  const agent = allowInternal ? {} : { lookup: publicOnlyLookup };
  return axios.create({ timeout: TIMEOUT_MS, maxRedirects: 0, proxy: false, responseType: 'text', validateStatus: () => true, httpAgent: new HttpAgent(agent), httpsAgent: new HttpsAgent(agent) });
}

const internalCause = (error: unknown): InternalAddressError | null => {
  if (error instanceof InternalAddressError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof InternalAddressError ? cause : null;
};

/**
 * The `webhook` action of one firing: a signed JSON POST of the rule, the customer and the trigger.
 * Anything but a 2xx throws, so the durable queue retries with backoff; the last attempt records the
 * action as failed. The delivery id is the same on every retry, for the receiver to drop repeats.
 * A URL that reaches an internal address fails at once, without a request (see WEBHOOK_ALLOW_INTERNAL).
 */
export function registerWebhookJob(deps: { db: Database; models: Models; queue: JobQueue; cipher: FieldCipher; allowInternal: boolean }): void {
  const { models, queue, cipher } = deps;
  const client = webhookClient(deps.allowInternal);
  queue.register({
    type: WEBHOOK_JOB,
    payload: z.object({ firingId: z.number().int(), index: z.number().int().min(0) }),
    maxAttempts: WEBHOOK_ATTEMPTS,
    async handle({ firingId, index }, job) {
      const firing = await models.EngagementRuleFiring.findByPk(firingId, { raw: true });
      if (!firing || parseOutcomes(firing.outcomes)[index]?.status !== 'pending') return;
      const rule = await models.EngagementRule.findByPk(firing.rule_id, { raw: true });
      const action = rule ? (JSON.parse(rule.actions) as RuleAction[])[index] : undefined;
      if (!rule || action?.type !== 'webhook' || !rule.webhook_secret) {
        await settleOutcome(deps, firingId, index, { type: 'webhook', status: 'skipped', note: 'the rule, its webhook action or its secret was removed' });
        return;
      }
      const event = firing.event_id === null ? null : await models.OutboxEvent.findByPk(firing.event_id, { attributes: ['event'], raw: true });
      const body = JSON.stringify({
        deliveryId: `rule-firing:${firingId}:${index}`,
        rule: { id: Number(rule.id), name: rule.name },
        customerId: Number(firing.customer_id),
        trigger: { type: rule.trigger_type, event: event?.event ?? null, eventId: firing.event_id === null ? null : Number(firing.event_id) },
        periodKey: firing.period_key,
        firedAt: new Date(firing.fired_at).toISOString(),
      });
      const internalHost = deps.allowInternal ? null : internalHostProblem(action.url);
      if (internalHost) {
        await settleOutcome(deps, firingId, index, { type: action.type, status: 'failed', note: `not sent: ${internalHost}` });
        return;
      }
      const timestamp = String(Math.floor(Date.now() / 1000));
      let failure: string;
      try {
        const response = await client.post(action.url, body, {
          headers: { 'content-type': 'application/json', 'x-scrm-event': 'engagement.rule_fired', 'x-scrm-timestamp': timestamp, 'x-scrm-signature': webhookSignature(cipher.decrypt(rule.webhook_secret), timestamp, body) },
        });
        if (response.status >= 200 && response.status < 300) {
          await settleOutcome(deps, firingId, index, { type: action.type, status: 'done', note: `HTTP ${response.status}` });
          return;
        }
        failure = `HTTP ${response.status}`;
      } catch (error) {
        const internal = internalCause(error);
        if (internal) {
          await settleOutcome(deps, firingId, index, { type: action.type, status: 'failed', note: `not sent: ${internal.message}` });
          return;
        }
        failure = error instanceof Error ? error.message : String(error);
      }
      if (job.attempt >= WEBHOOK_ATTEMPTS) await settleOutcome(deps, firingId, index, { type: action.type, status: 'failed', note: `${failure} after ${job.attempt} attempts` });
      throw new Error(`webhook ${action.url} answered ${failure}`);
    },
  });
}
