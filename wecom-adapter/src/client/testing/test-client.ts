import { type SharedStore } from '../../shared-store';
import { type WecomClientOptions } from '../client-options';
import { createWecomClient } from '../wecom-client';
import { type FakeClock, createFakeClock } from './fake-clock';
import { createMemoryStore } from './memory-store';
import { type StubWecom } from './stub-wecom';

export const testSecrets = { contact: 'contact-secret', customer: 'customer-secret', agent: 'agent-secret' };

/** A client wired to a stub WeCom with a fake clock, fixed jitter (0.5) and an in-memory store. */
export function createTestClient(
  stub: StubWecom,
  overrides: Partial<WecomClientOptions> & { clock?: FakeClock; store?: SharedStore } = {},
) {
  const clock = overrides.clock ?? createFakeClock();
  const store = overrides.store ?? createMemoryStore(clock.now);
  const client = createWecomClient({
    corpId: stub.corpId,
    apiBase: stub.apiBase,
    secrets: testSecrets,
    agentId: 1000002,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...overrides,
    store,
  });
  return { client, clock, store };
}
