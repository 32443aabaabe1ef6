import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Op } from 'sequelize';
import type { TestServer } from '../../../testing/test-server';
import { RULE_EVENT_JOB } from './rule-events';

export const couponPluginPath = resolve(__dirname, 'rule-test-plugins', 'coupon-shop.plugin.ts');

/** Engagement job types whose retries a test brings forward (a webhook's backoff, a reminder's). */
const ruleJobs = ['engagement.%', 'plugin.%'];

/** Runs every queued job to its end, bringing retries waiting on their backoff forward. */
export async function settleJobs(server: TestServer): Promise<void> {
  const { queue, models } = server.running.services;
  for (let round = 0; round < 20; round += 1) {
    await queue.drain();
    const [waiting] = await models.Job.update({ run_at: new Date() }, { where: { status: 'pending', [Op.or]: ruleJobs.map((like) => ({ type: { [Op.like]: like } })) } });
    if (!waiting) return;
  }
  throw new Error('rule jobs did not settle');
}

/** Delivers every outbox event of `event` again, as an at-least-once delivery may (a crash after the work, before the ack). */
export async function redeliver(server: TestServer, event: string): Promise<number> {
  const { models, queue } = server.running.services;
  const events = await models.OutboxEvent.findAll({ where: { event }, attributes: ['id'], raw: true });
  for (const e of events) await queue.enqueue(RULE_EVENT_JOB, { eventId: Number(e.id) });
  await settleJobs(server);
  return events.length;
}

export interface ReceivedHook {
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

/** A local HTTP endpoint for webhooks: answers 500 to the first `failFirst` requests, then 200, and keeps what it got. */
export async function startHookReceiver(failFirst: number): Promise<{ url: string; received: ReceivedHook[]; close(): Promise<void> }> {
  const received: ReceivedHook[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const status = received.length < failFirst ? 500 : 200;
      received.push({ headers: request.headers, body, status });
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/scrm`, received, close: () => new Promise<void>((done) => server.close(() => done())) };
}
