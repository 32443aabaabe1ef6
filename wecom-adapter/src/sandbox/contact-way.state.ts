import { HEX_ALPHABET, type SeededRandom } from './seeded-random';
import type { ContactWay } from './sandbox.types';

/** 「联系我」configurations, keyed by config_id. */
export function createContactWayState(random: SeededRandom) {
  const ways = new Map<string, ContactWay>();
  return {
    ways,
    get: (configId: string) => ways.get(configId),
    byState: (state: string) => [...ways.values()].find((w) => w.state === state && state !== ''),
    add(way: Omit<ContactWay, 'configId' | 'qrCode'>): ContactWay {
      const configId = random.chars(32, HEX_ALPHABET);
      const created: ContactWay = { ...way, configId, qrCode: way.scene === 2 ? `https://sandbox.invalid/wwqr/${configId}.png` : undefined };
      ways.set(configId, created);
      return created;
    },
    remove: (configId: string) => ways.delete(configId),
    list: () => [...ways.values()],
  };
}

export type ContactWayState = ReturnType<typeof createContactWayState>;
