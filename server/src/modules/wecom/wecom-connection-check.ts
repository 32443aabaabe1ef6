import { randomBytes } from 'node:crypto';
import type { WecomApp } from '@scrm/wecom-adapter';
import type { WecomRuntime } from './wecom-runtime';

export interface CheckItem {
  item: 'callback' | `${WecomApp}Secret`;
  ok: boolean;
  message: string;
}

const apps = [
  { app: 'contact', setting: 'contactSecret' },
  { app: 'customer', setting: 'customerSecret' },
  { app: 'agent', setting: 'agentSecret' },
] as const satisfies ReadonlyArray<{ app: WecomApp; setting: string }>;

/** The settings page's "check" button: each secret against the API, and the callback keys. */
export function createWecomConnectionCheck(runtime: WecomRuntime) {
  return {
    async run(): Promise<{ mode: string; items: CheckItem[] }> {
      runtime.invalidate();
      const state = await runtime.current();
      const items: CheckItem[] = [];
      if (!state.crypto) {
        items.push({ item: 'callback', ok: false, message: 'set the corp id, callback token and EncodingAESKey' });
      } else {
        const probe = randomBytes(8).toString('hex');
        const sealed = state.crypto.seal(probe);
        const ok = state.crypto.open(sealed, sealed.encrypt) === probe;
        items.push({ item: 'callback', ok, message: ok ? 'callback keys are valid' : 'callback keys do not round-trip' });
      }
      const client = await runtime.client();
      for (const { app, setting } of apps) {
        const secret = state.settings[setting];
        if (!secret || !client) {
          items.push({ item: `${app}Secret`, ok: false, message: 'not set' });
          continue;
        }
        try {
          await client.accessToken(app);
          items.push({ item: `${app}Secret`, ok: true, message: 'WeCom accepted the secret' });
        } catch (error) {
          items.push({ item: `${app}Secret`, ok: false, message: error instanceof Error ? error.message : String(error) });
        }
      }
      return { mode: state.mode, items };
    },
  };
}

export type WecomConnectionCheck = ReturnType<typeof createWecomConnectionCheck>;
