import type { WecomEvent } from '@scrm/wecom-adapter';
import { z } from 'zod';
import type { JobQueue } from '../../../core/jobs/job-queue';
import type { Logger } from '../../../core/logger';
import type { Models } from '../../../core/db/models';
import type { WecomEventRouter } from '../../wecom/wecom-event-router';
import type { WelcomeRequest, WelcomeSender } from './welcome-sender';

export const WELCOME_JOB = 'engagement.welcome.send';
const welcomePayload = z.object({ welcomeCode: z.string().min(1).max(128), state: z.string().max(30), userId: z.string().max(64), externalUserId: z.string().max(64), eventAt: z.iso.datetime(), receivedAt: z.iso.datetime() });

/** The welcome request an add event carries, when it came through a contact way with a code. */
function requestOf(event: WecomEvent, receivedAt: Date): WelcomeRequest | null {
  if (event.kind !== 'external_contact' || event.changeType !== 'add_external_contact' || !event.welcomeCode || !event.state) return null;
  return { welcomeCode: event.welcomeCode, state: event.state, userId: event.userId, externalUserId: event.externalUserId, eventAt: new Date((event.createTime || receivedAt.getTime() / 1000) * 1000), receivedAt };
}

/**
 * The welcome fast lane. As soon as an add callback is stored, its welcome message is sent from the
 * receiving instance, ahead of the callback queue. The queued processing of the same callback backs it
 * up: when no send was claimed for the code (the instance died in between), a job sends or records
 * the miss. The per-code claim in the sender keeps it to one attempt.
 */
export function registerWelcomeLane(deps: { models: Models; queue: JobQueue; events: WecomEventRouter; onStored: (listener: (event: WecomEvent) => void) => void; sender: WelcomeSender; log: Logger }) {
  const { models, queue, sender, log } = deps;
  const run = (request: WelcomeRequest) => sender.send(request).catch((error: unknown) => log.error({ err: error }, 'welcome message fast lane failed'));

  deps.onStored((event) => {
    const request = requestOf(event, new Date());
    if (request) void run(request);
  });

  deps.events.on('external_contact', async (event, { tx }) => {
    const request = requestOf(event, new Date());
    if (!request) return;
    if (await models.WelcomeSend.findOne({ where: { welcome_code: request.welcomeCode }, attributes: ['id'], raw: true, transaction: tx })) return;
    const payload = { ...request, eventAt: request.eventAt.toISOString(), receivedAt: request.receivedAt.toISOString() };
    await queue.enqueue(WELCOME_JOB, payload, { transaction: tx, dedupeKey: `welcome:${request.welcomeCode}`.slice(0, 191), maxAttempts: 1 });
  });

  queue.register({
    type: WELCOME_JOB,
    payload: welcomePayload,
    maxAttempts: 1,
    handle: async (p) => void (await sender.send({ ...p, eventAt: new Date(p.eventAt), receivedAt: new Date(p.receivedAt) })),
  });
}
