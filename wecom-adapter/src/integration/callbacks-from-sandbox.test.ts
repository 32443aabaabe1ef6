import axios from 'axios';
import { WecomError } from '../client/wecom-error';
import { type WecomEvent } from '../events/wecom-event';
import { AGENT_ID, CORP_ID, type ReceivedCallback, startCallbackEndpoint, startSandboxAndClient } from './integration-kit';

/** Callbacks pushed by the sandbox to an endpoint of ours that verifies, decrypts and parses them. */

const CORP = { employees: 5, customers: 20, groupChats: 2, seed: 11 };
const CHANNEL_STATE = 'channel-42';

type Kit = Awaited<ReturnType<typeof startSandboxAndClient>>;
type Endpoint = Awaited<ReturnType<typeof startCallbackEndpoint>>;

async function start(receiveId?: string) {
  const endpoint = await startCallbackEndpoint(receiveId);
  const kit = await startSandboxAndClient({ sandbox: { seed: CORP, callback: endpoint.target } });
  return {
    kit,
    endpoint,
    /** Drives the sandbox's control API over HTTP, as a tester would. */
    control: async <T>(path: string, body: object = {}) => (await axios.post<T>(`${kit.url}/__sandbox/${path}`, body)).data,
    close: async () => {
      await kit.close();
      await endpoint.close();
    },
  };
}

/** Fires the five control events, each on its own subject, and returns what each callback must parse to. */
async function fireFiveEvents(kit: Kit, control: <T>(path: string, body?: object) => Promise<T>) {
  const [member, leaver] = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid) as [string, string];
  await kit.client.contactWays.add({ type: 1, scene: 2, state: CHANNEL_STATE, user: [member] });
  const tagId = kit.sandbox.state.tags.liveTagIds()[0] as string;
  const chatId = kit.sandbox.state.chats.list()[0]?.chatId as string;

  const added = await control<{ externalUserId: string; welcomeCode: string }>('events/customer-added', { userId: member, state: CHANNEL_STATE });
  await control('events/employee-left', { userId: leaver });
  await control('events/tag-renamed', { id: tagId, name: '重要客户' });
  await control('events/chat-member-added', { chatId });
  await control('events/msgaudit-notify');

  const createTime = Math.floor(kit.clock.now() / 1000);
  const base = { corpId: CORP_ID, createTime, format: 'internal' };
  return {
    external_contact: { ...base, changeType: 'add_external_contact', userId: member, externalUserId: added.externalUserId, state: CHANNEL_STATE, welcomeCode: added.welcomeCode },
    contact: { ...base, changeType: 'delete_user', userId: leaver },
    external_tag: { ...base, changeType: 'update', id: tagId, tagType: 'tag' },
    external_chat: { ...base, changeType: 'update', chatId, updateDetail: 'add_member', joinScene: 3, memChangeCnt: 1 },
    msgaudit_notify: { ...base, agentId: String(AGENT_ID) },
  } satisfies Partial<Record<WecomEvent['kind'], object>>;
}

const byKind = (callbacks: ReceivedCallback[]) => Object.fromEntries(callbacks.map((c) => [c.event.kind, c.event]));

describe('callbacks from the sandbox', () => {
  it('delivers each control event signed and sealed for our corp, parsing to the right WecomEvent kind and change type', async () => {
    const { kit, endpoint, control, close } = await start();
    try {
      const expected = await fireFiveEvents(kit, control);
      await kit.sandbox.drainCallbacks();

      expect(endpoint.refused).toEqual([]);
      expect(endpoint.accepted).toHaveLength(5);
      expect(byKind(endpoint.accepted)).toEqual({
        external_contact: expect.objectContaining(expected.external_contact),
        contact: expect.objectContaining(expected.contact),
        external_tag: expect.objectContaining(expected.external_tag),
        external_chat: expect.objectContaining(expected.external_chat),
        msgaudit_notify: expect.objectContaining(expected.msgaudit_notify),
      });
      expect(new Set(endpoint.accepted.map((c) => c.key)).size).toBe(5);
      expect(kit.sandbox.control.pusher.deliveries.map((d) => [d.status, d.attempts, d.copies])).toEqual(Array(5).fill(['delivered', 1, 1]));
    } finally {
      await close();
    }
  });

  it('delivers every event twice under duplicateCallbackRate 1, both copies sharing one eventIdempotencyKey', async () => {
    const { kit, endpoint, control, close } = await start();
    try {
      kit.sandbox.control.setFaults({ duplicateCallbackRate: 1 });
      await fireFiveEvents(kit, control);
      await kit.sandbox.drainCallbacks();

      expect(endpoint.accepted).toHaveLength(10);
      const copies = new Map<string, ReceivedCallback[]>();
      for (const c of endpoint.accepted) copies.set(c.key, [...(copies.get(c.key) ?? []), c]);
      expect([...copies.values()].map((pair) => pair.length)).toEqual([2, 2, 2, 2, 2]);
      for (const [first, second] of copies.values()) expect(second?.plaintext).toBe(first?.plaintext);
      expect(new Set([...copies.values()].map(([c]) => c?.event.kind)).size).toBe(5);
      expect(kit.sandbox.control.pusher.deliveries.map((d) => [d.status, d.copies])).toEqual(Array(5).fill(['delivered', 2]));
    } finally {
      await close();
    }
  });

  it('delivers nothing under dropCallbackRate 1 and records each event as dropped', async () => {
    const { kit, endpoint, control, close } = await start();
    try {
      await control('faults', { dropCallbackRate: 1 });
      await fireFiveEvents(kit, control);
      await kit.sandbox.drainCallbacks();

      expect(endpoint.accepted).toEqual([]);
      expect(endpoint.refused).toEqual([]);
      const { deliveries } = (await axios.get<{ deliveries: Array<{ status: string; attempts: number }> }>(`${kit.url}/__sandbox/state/callbacks`)).data;
      expect(deliveries.map((d) => [d.status, d.attempts])).toEqual(Array(5).fill(['dropped', 0]));
    } finally {
      await close();
    }
  });

  it('is refused by an endpoint expecting another receive id, which the sandbox retries and then records as failed', async () => {
    const { kit, endpoint, close } = await start('wwanothercorp0002');
    try {
      kit.sandbox.control.events.msgauditNotify();
      await kit.sandbox.drainCallbacks();

      expect(endpoint.accepted).toEqual([]);
      expect(endpoint.refused).toEqual(Array(4).fill('message was sealed for another receive id'));
      expect(kit.sandbox.control.pusher.deliveries).toEqual([expect.objectContaining({ status: 'failed', attempts: 4, lastError: 'HTTP 400' })]);
    } finally {
      await close();
    }
  });
});

describe('send_welcome_msg with the WelcomeCode from a callback', () => {
  /** A new customer adds `userId`; returns the WelcomeCode as our endpoint parsed it from the callback. */
  async function welcomeCodeFromCallback(kit: Kit, endpoint: Endpoint, userId: string): Promise<string> {
    const before = endpoint.accepted.length;
    kit.sandbox.control.events.customerAdded({ userId });
    await kit.sandbox.drainCallbacks();
    const event = endpoint.accepted[before]?.event;
    if (event?.kind !== 'external_contact' || event.changeType !== 'add_external_contact' || !event.welcomeCode) {
      throw new Error(`expected an add_external_contact callback with a WelcomeCode, got ${JSON.stringify(event)}`);
    }
    return event.welcomeCode;
  }

  it('succeeds once within 20 s of the event, then refuses the same code and a code older than 20 s with 41051', async () => {
    const { kit, endpoint, close } = await start();
    try {
      const member = kit.sandbox.state.directory.activeEmployees()[0]?.userid as string;
      const send = (code: string) => kit.client.messages.sendWelcomeMsg({ welcome_code: code, text: { content: '您好，欢迎咨询' } });

      const fresh = await welcomeCodeFromCallback(kit, endpoint, member);
      kit.clock.advance(19_000);
      await expect(send(fresh)).resolves.toMatchObject({ errcode: 0 });
      await expect(send(fresh)).rejects.toMatchObject({ name: 'WecomError', errcode: 41051, api: 'externalcontact/send_welcome_msg' });

      const stale = await welcomeCodeFromCallback(kit, endpoint, member);
      kit.clock.advance(20_001);
      const error = await send(stale).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WecomError);
      expect(error).toMatchObject({ errcode: 41051 });

      expect(kit.sandbox.state.messages.welcomeMessages.map((m) => m.welcomeCode)).toEqual([fresh]);
      expect(kit.recorder.exchanges.filter((e) => e.api === 'externalcontact/send_welcome_msg').map((e) => e.errcode)).toEqual([0, 41051, 41051]);
    } finally {
      await close();
    }
  });
});
