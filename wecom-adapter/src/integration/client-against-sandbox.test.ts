import { type Page } from '../client/paginate';
import { type ExternalContactWithFollowInfo } from '../client/external-contact.types';
import { createFakeClock } from '../client/testing/fake-clock';
import { WecomError } from '../client/wecom-error';
import { relationKeys, startSandboxAndClient } from './integration-kit';

/** The client (axios, real HTTP) against the sandbox on a random port; both on one fake clock unless said. */

const FULL_CORP = { employees: 20, customers: 1_500, seed: 20250106 };
const SMALL_CORP = { employees: 5, customers: 40, seed: 7 };
const FOLLOW_USER_LIST = 'externalcontact/get_follow_user_list';

const relationKey = (e: ExternalContactWithFollowInfo) => `${e.external_contact.external_userid}|${e.follow_info.userid}`;

/** Runs calls one after the other and keeps each outcome, so a failure is counted rather than thrown. */
async function inSequence(count: number, call: (i: number) => Promise<unknown>): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (let i = 0; i < count; i += 1) {
    await call(i).catch((error: unknown) => failures.push(error));
  }
  return failures;
}

describe('client against the sandbox: a full customer sync', () => {
  it('returns every customer/follow relation exactly once when walking batch/get_by_user over all follow users', async () => {
    const kit = await startSandboxAndClient({ sandbox: { seed: FULL_CORP } });
    try {
      const { follow_user: followUsers } = await kit.client.externalContact.listFollowUsers();
      expect([...followUsers].sort()).toEqual(kit.sandbox.state.directory.activeEmployees().map((e) => e.userid).sort());

      const seen: ExternalContactWithFollowInfo[] = [];
      let pages = 0;
      for await (const entry of kit.client.externalContact.batchGetByUserAll(followUsers, { onPage: () => void (pages += 1) })) seen.push(entry);

      const keys = seen.map(relationKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.sort()).toEqual(relationKeys(kit.sandbox).sort());
      expect(keys.length).toBe(kit.sandbox.state.summary().followRelations);
      expect(keys.length).toBeGreaterThan(FULL_CORP.customers);
      expect(pages).toBe(Math.ceil(keys.length / 100));
      for (const entry of seen) {
        const customer = kit.sandbox.state.customers.get(entry.external_contact.external_userid);
        const relation = customer?.follows.find((f) => f.userid === entry.follow_info.userid);
        expect({ name: entry.external_contact.name, tags: entry.follow_info.tag_id }).toEqual({ name: customer?.name, tags: relation?.tagIds });
      }
      expect(kit.recorder.gettoken).toEqual(['customer']);
    } finally {
      await kit.close();
    }
  });
});

describe('client against the sandbox: tokens dying mid-walk', () => {
  it('finishes a walk across two apps when WeCom revokes every token halfway, calling gettoken again exactly once per app', async () => {
    const kit = await startSandboxAndClient({ sandbox: { seed: FULL_CORP } });
    try {
      const { follow_user: followUsers } = await kit.client.externalContact.listFollowUsers();
      // The directory (contact app) is walked one page per customer page, so both walks straddle the revocation.
      const directory: string[] = [];
      let directoryCursor: string | null = '';
      const onPage = async (page: Page<ExternalContactWithFollowInfo>) => {
        if (page.page === 5) expect(kit.sandbox.control.revokeTokens()).toBe(2);
        if (directoryCursor === null) return;
        const res = await kit.client.directory.listUserIds({ cursor: directoryCursor, limit: 2 });
        directory.push(...res.dept_user.map((d) => `${d.userid}|${d.department}`));
        directoryCursor = res.next_cursor || null;
      };
      const keys: string[] = [];
      for await (const entry of kit.client.externalContact.batchGetByUserAll(followUsers, { onPage })) keys.push(relationKey(entry));

      expect(directoryCursor).toBeNull();
      expect(keys.sort()).toEqual(relationKeys(kit.sandbox).sort());
      const expectedDirectory = kit.sandbox.state.directory.activeEmployees().flatMap((e) => e.department.map((d) => `${e.userid}|${d}`));
      expect(directory.sort()).toEqual(expectedDirectory.sort());
      expect(kit.recorder.gettoken.filter((app) => app === 'customer')).toHaveLength(2);
      expect(kit.recorder.gettoken.filter((app) => app === 'contact')).toHaveLength(2);
      expect(kit.recorder.gettoken).toHaveLength(4);
      expect(kit.recorder.answered(42001).map((e) => e.api).sort()).toEqual(['externalcontact/batch/get_by_user', 'user/list_id']);
    } finally {
      await kit.close();
    }
  });

  it.each([
    { clocks: 'a shared clock (the client sees its cached token expire and refreshes first)', shared: true, expired42001: 0 },
    { clocks: 'the sandbox clock alone (the client learns from 42001)', shared: false, expired42001: 1 },
  ])('finishes the walk with one extra gettoken when tokenTtlSeconds runs out mid-walk on $clocks', async ({ shared, expired42001 }) => {
    const tokenTtlSeconds = 600;
    const sandboxClock = createFakeClock();
    const kit = await startSandboxAndClient({ sandbox: { seed: FULL_CORP, tokenTtlSeconds, ...(shared ? {} : { clock: sandboxClock.now }) } });
    try {
      const { follow_user: followUsers } = await kit.client.externalContact.listFollowUsers();
      const onPage = (page: Page<ExternalContactWithFollowInfo>) => {
        if (page.page === 5) (shared ? kit.clock : sandboxClock).advance(tokenTtlSeconds * 1000 + 1_000);
      };
      const keys: string[] = [];
      for await (const entry of kit.client.externalContact.batchGetByUserAll(followUsers, { onPage })) keys.push(relationKey(entry));

      expect(keys.sort()).toEqual(relationKeys(kit.sandbox).sort());
      expect(kit.recorder.gettoken).toEqual(['customer', 'customer']);
      expect(kit.recorder.answered(42001)).toHaveLength(expired42001);
      expect(kit.sandbox.state.credentials.tokenCount()).toBe(2);
    } finally {
      await kit.close();
    }
  });
});

describe('client against the sandbox: 45009 storms', () => {
  it('gets 60 calls through a sandbox quota of 20 per minute by waiting out each window, about two minutes in all', async () => {
    const kit = await startSandboxAndClient({ sandbox: { seed: SMALL_CORP, quotaPerMinute: 20 } });
    try {
      const start = kit.clock.now();
      const failures = await inSequence(60, () => kit.client.externalContact.listFollowUsers());

      expect(failures).toEqual([]);
      expect(kit.recorder.exchanges.filter((e) => e.api === FOLLOW_USER_LIST && e.errcode === 0)).toHaveLength(60);
      expect(kit.recorder.answered(45009)).toHaveLength(2);
      expect(kit.clock.sleeps).toEqual([60_000, 60_000]);
      expect(kit.clock.now() - start).toBe(120_000);
    } finally {
      await kit.close();
    }
  });

  it('paces the same 60 calls with its own per-API budget so that WeCom never answers 45009', async () => {
    const kit = await startSandboxAndClient({
      sandbox: { seed: SMALL_CORP, quotaPerMinute: 20 },
      client: { limits: { perApi: { [FOLLOW_USER_LIST]: 20 } } },
    });
    try {
      const failures = await inSequence(60, () => kit.client.externalContact.listFollowUsers());

      expect(failures).toEqual([]);
      expect(kit.recorder.answered(45009)).toEqual([]);
      expect(kit.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
    } finally {
      await kit.close();
    }
  });
});

describe('client against the sandbox: injected -1 faults', () => {
  it('completes a batch of 40 externalcontact/get calls through its retries when 30% of answers are -1', async () => {
    // Six retries make a call fail only at 0.3^7 ≈ 0.02%, so the outcome does not hang on the seed's luck.
    const kit = await startSandboxAndClient({ sandbox: { seed: SMALL_CORP, faults: { errorRate: 0.3 } }, client: { tuning: { transientRetries: 6 } } });
    try {
      const ids = [...kit.sandbox.state.customers.customers.keys()];
      const names: string[] = [];
      const failures = await inSequence(ids.length, async (i) => names.push((await kit.client.externalContact.get(ids[i] as string)).external_contact.name ?? ''));

      expect(failures).toEqual([]);
      expect(names).toEqual(ids.map((id) => kit.sandbox.state.customers.get(id)?.name));
      const busy = kit.recorder.answered(-1).length;
      expect(busy).toBeGreaterThan(0);
      // Every other answer was a success: one token, then one per customer.
      expect(kit.recorder.exchanges).toHaveLength(1 + ids.length + busy);
      expect(kit.recorder.answered(0).map((e) => e.api)).toEqual(['gettoken', ...ids.map(() => 'externalcontact/get')]);
      expect(kit.clock.sleeps).toHaveLength(busy);
    } finally {
      await kit.close();
    }
  });

  it('gives up with a WecomError -1 after 1 + transientRetries attempts when every answer is -1', async () => {
    const kit = await startSandboxAndClient({ sandbox: { seed: SMALL_CORP } });
    try {
      await kit.client.externalContact.listFollowUsers();
      kit.sandbox.control.setFaults({ errorRate: 1 });
      const userid = kit.sandbox.state.directory.activeEmployees()[0]?.userid as string;

      const error = await kit.client.externalContact.list(userid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WecomError);
      expect(error).toMatchObject({ errcode: -1, api: 'externalcontact/list' });
      expect(kit.recorder.exchanges.filter((e) => e.api === 'externalcontact/list').map((e) => e.errcode)).toEqual([-1, -1, -1, -1]);
    } finally {
      await kit.close();
    }
  });
});
