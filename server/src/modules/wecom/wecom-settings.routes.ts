import { z } from 'zod';
import type { AppConfig } from '../../config/load-config';
import { route } from '../../core/http/define-route';
import { maskSecret, type SettingsService } from '../settings/settings.service';
import type { WecomRuntime } from './wecom-runtime';
import { wecomSettingFields, wecomSettingNames, type WecomSettingName } from './wecom-settings';
import type { WecomConnectionCheck } from './wecom-connection-check';

const settingsPatch = z
  .object({
    corpId: z.string().trim().regex(/^[\w-]{2,64}$/, 'letters, digits, _ and - only'),
    apiBase: z.string().trim().url(),
    callbackToken: z.string().trim().min(1).max(64),
    callbackAesKey: z.string().trim().regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey'),
    contactSecret: z.string().trim().min(1).max(128),
    customerSecret: z.string().trim().min(1).max(128),
    agentId: z.string().trim().regex(/^\d+$/, 'digits only'),
    agentSecret: z.string().trim().min(1).max(128),
  })
  .partial();

const field = z.object({ value: z.string().nullable(), source: z.enum(['env', 'console', 'sandbox', 'default', 'unset']), secret: z.boolean() });

export const wecomSettingsRoutes = (deps: { runtime: WecomRuntime; settings: SettingsService; check: WecomConnectionCheck; config: AppConfig }) => {
  /** The callback URL to paste into the WeCom admin: PUBLIC_URL, else the address this request came to. */
  const describe = async (origin: string) => {
    const state = await deps.runtime.current();
    const fields = Object.fromEntries(
      wecomSettingFields.map((f) => [f.name, { value: f.secret ? maskSecret(state.settings[f.name]) : state.settings[f.name], source: state.sources[f.name], secret: f.secret }]),
    ) as Record<WecomSettingName, z.infer<typeof field>>;
    const base = deps.config.PUBLIC_URL ?? origin;
    return { mode: state.mode, fields, callbackUrl: `${base.replace(/\/$/, '')}/wecom/callback` };
  };
  return [
    route({
      method: 'get',
      path: '/api/wecom/settings',
      tag: 'wecom',
      summary: 'The WeCom connection: each setting, where it comes from (secrets masked), and the callback URL to paste into the WeCom admin',
      permission: 'system:settings',
      response: z.object({ mode: z.enum(['live', 'sandbox', 'unconfigured']), fields: z.record(z.enum(wecomSettingNames), field), callbackUrl: z.string() }),
      handler: ({ ctx }) => describe(`${ctx.protocol}://${ctx.host}`),
    }),
    route({
      method: 'put',
      path: '/api/wecom/settings',
      tag: 'wecom',
      summary: 'Change WeCom settings (secrets are stored encrypted; variables set in the environment take precedence)',
      permission: 'system:settings',
      body: settingsPatch,
      handler: async ({ body, actor, ctx }) => {
        const changes = wecomSettingFields.filter((f) => body[f.name] !== undefined).map((f) => ({ key: f.key, value: body[f.name] ?? null, secret: f.secret }));
        if (changes.length) await deps.settings.write(changes, actor.userId);
        deps.runtime.invalidate();
        return describe(`${ctx.protocol}://${ctx.host}`);
      },
    }),
    route({
      method: 'post',
      path: '/api/wecom/settings/check',
      tag: 'wecom',
      summary: 'Check each secret against the WeCom API and the callback settings',
      permission: 'system:settings',
      handler: () => deps.check.run(),
    }),
  ];
};
