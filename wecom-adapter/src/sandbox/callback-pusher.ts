import { randomInt } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { callbackEnvelopeXml, createCallbackCrypto } from '../crypto/callback-crypto';
import { type SandboxEvent, eventXml } from './event-xml';
import type { CallbackTarget, FaultOptions } from './sandbox.types';
import type { SeededRandom } from './seeded-random';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dropped' | 'no-target';

export interface Delivery {
  id: number;
  event: string;
  changeType?: string;
  createTime: number;
  xml: string;
  status: DeliveryStatus;
  /** HTTP attempts made (all copies). */
  attempts: number;
  /** 2 when the duplicate fault fired. */
  copies: number;
  lastError?: string;
}

interface PusherDeps {
  corpId: string;
  clock: () => number;
  random: SeededRandom;
  target: () => CallbackTarget | undefined;
  faults: () => FaultOptions;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

const KEEP = 1000;

/**
 * Pushes encrypted callbacks like WeCom: POST <url>?msg_signature&timestamp&nonce with the XML envelope,
 * 5 s timeout, up to 3 retries on non-200 or timeout; drops or duplicates per the fault rates.
 */
export function createCallbackPusher(deps: PusherDeps) {
  const deliveries: Delivery[] = [];
  const pending = new Set<Promise<void>>();
  let nextId = 1;

  async function post(url: string, body: string, delivery: Delivery): Promise<boolean> {
    for (let attempt = 0; attempt <= deps.retries; attempt += 1) {
      if (attempt > 0 && deps.retryDelayMs > 0) await delay(deps.retryDelayMs);
      delivery.attempts += 1;
      try {
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/xml' }, signal: AbortSignal.timeout(deps.timeoutMs) });
        await res.arrayBuffer();
        if (res.status === 200) return true;
        delivery.lastError = `HTTP ${res.status}`;
      } catch (error) {
        delivery.lastError = error instanceof Error ? error.message : 'request failed';
      }
    }
    return false;
  }

  async function deliver(delivery: Delivery, target: CallbackTarget, agentId?: number) {
    const crypto = createCallbackCrypto({ token: target.token, encodingAesKey: target.encodingAesKey, receiveId: deps.corpId });
    const sealed = crypto.seal(delivery.xml, { timestamp: String(delivery.createTime) });
    const query = new URLSearchParams({ msg_signature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce });
    const url = `${target.url}${target.url.includes('?') ? '&' : '?'}${query.toString()}`;
    const body = callbackEnvelopeXml(deps.corpId, sealed.encrypt, agentId === undefined ? undefined : String(agentId));
    let ok = false;
    for (let copy = 0; copy < delivery.copies; copy += 1) ok = (await post(url, body, delivery)) || ok;
    delivery.status = ok ? 'delivered' : 'failed';
  }

  return {
    deliveries,
    /** Records the event and starts delivering it; returns at once. */
    push(event: SandboxEvent): Delivery {
      const createTime = Math.floor(deps.clock() / 1000);
      const delivery: Delivery = { id: nextId++, event: event.event, changeType: event.changeType, createTime, xml: eventXml(deps.corpId, createTime, event), status: 'pending', attempts: 0, copies: 1 };
      deliveries.push(delivery);
      if (deliveries.length > KEEP) deliveries.splice(0, deliveries.length - KEEP);
      const target = deps.target();
      const faults = deps.faults();
      if (!target) delivery.status = 'no-target';
      else if (deps.random.chance(faults.dropCallbackRate ?? 0)) delivery.status = 'dropped';
      else {
        if (deps.random.chance(faults.duplicateCallbackRate ?? 0)) delivery.copies = 2;
        const job = deliver(delivery, target, event.agentId).finally(() => pending.delete(job));
        pending.add(job);
      }
      return delivery;
    },
    /** Resolves when every started delivery (with its retries) has finished. */
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    /** Sends WeCom's URL-verification GET and checks that the answer is the plain echo. */
    async verifyUrl(): Promise<{ ok: boolean; status: number; echo: string; body: string }> {
      const target = deps.target();
      if (!target) return { ok: false, status: 0, echo: '', body: 'no callback configured' };
      const echo = String(randomInt(1e9, 2 ** 47)) + String(randomInt(1e9, 2 ** 47));
      const sealed = createCallbackCrypto({ token: target.token, encodingAesKey: target.encodingAesKey, receiveId: deps.corpId }).seal(echo, {
        timestamp: String(Math.floor(deps.clock() / 1000)),
      });
      const query = new URLSearchParams({ msg_signature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce, echostr: sealed.encrypt });
      try {
        const res = await fetch(`${target.url}${target.url.includes('?') ? '&' : '?'}${query.toString()}`, { signal: AbortSignal.timeout(deps.timeoutMs) });
        const body = await res.text();
        return { ok: res.status === 200 && body === echo, status: res.status, echo, body };
      } catch (error) {
        return { ok: false, status: 0, echo, body: error instanceof Error ? error.message : 'request failed' };
      }
    },
  };
}

export type CallbackPusher = ReturnType<typeof createCallbackPusher>;
