import { ref, shallowRef } from 'vue';

import type { MeResult } from '@/api/auth';
import { isApiError } from '@/api/request';
import { getJssdkSignatures, getSidebarConfig, getSidebarMe, getWecomAuthorizeUrl, wecomLogin, type JssdkSignatures } from '@/api/sidebar';
import { createWecomBridge, NoStandinError, type WecomBridge } from './bridge/wecom-bridge';
import { oauthReturn, pageUrlWithoutOauth, sidebarToken } from './sidebar-session';

export type BootFailure = 'notConnected' | 'signInFailed' | 'noStandin' | 'registerFailed' | 'contextFailed';

export type SidebarState =
  | { kind: 'loading' }
  | { kind: 'redirecting' }
  | { kind: 'failed'; reason: BootFailure; detail: string }
  | { kind: 'customer'; externalUserId: string }
  | { kind: 'group'; chatId: string }
  | { kind: 'no-context'; entry: string };

const CUSTOMER_ENTRIES = new Set(['single_chat_tools', 'contact_profile', 'single_kf_tools']);

const detailOf = (e: unknown): string => (isApiError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

/**
 * Start-up of the sidebar: who the employee is (WeCom OAuth), then what chat it was opened in
 * (JS-SDK with app identity), in that order, since the signatures need a signed-in caller.
 */
export function useSidebarBoot() {
  const state = shallowRef<SidebarState>({ kind: 'loading' });
  const me = ref<MeResult | null>(null);
  const bridgeKind = ref<WecomBridge['kind'] | null>(null);

  const fail = (reason: BootFailure, e: unknown) => {
    state.value = { kind: 'failed', reason: e instanceof NoStandinError ? 'noStandin' : reason, detail: detailOf(e) };
  };

  async function signIn(bridge: WecomBridge): Promise<boolean> {
    const back = oauthReturn();
    if (back) {
      const res = await wecomLogin(back);
      sidebarToken.set(res.token);
      window.history.replaceState(null, '', pageUrlWithoutOauth());
    }
    if (sidebarToken.get()) {
      try {
        me.value = await getSidebarMe();
        return true;
      } catch (e) {
        // a token that no longer works is dropped; a fresh one from this very sign-in must work
        if (back || !isApiError(e) || e.status !== 401) throw e;
        sidebarToken.clear();
      }
    }
    const { url } = await getWecomAuthorizeUrl(pageUrlWithoutOauth());
    state.value = { kind: 'redirecting' };
    window.location.replace(await bridge.oauthUrl(url));
    return false;
  }

  async function start(): Promise<void> {
    state.value = { kind: 'loading' };
    let bridge: WecomBridge;
    try {
      const { mode } = await getSidebarConfig();
      if (mode === 'unconfigured') {
        state.value = { kind: 'failed', reason: 'notConnected', detail: '' };
        return;
      }
      bridge = await createWecomBridge(mode);
      bridgeKind.value = bridge.kind;
    } catch (e) {
      return fail('notConnected', e);
    }
    try {
      if (!(await signIn(bridge))) return;
    } catch (e) {
      return fail('signInFailed', e);
    }
    try {
      const cache = new Map<string, Promise<JssdkSignatures>>();
      const signatures = (url: string) => {
        const key = url.split('#')[0] ?? url;
        if (!cache.has(key)) cache.set(key, getJssdkSignatures(key));
        return cache.get(key) as Promise<JssdkSignatures>;
      };
      const first = await signatures(window.location.href);
      await bridge.register({ corpId: first.corpId, agentId: first.agentId, signatures });
    } catch (e) {
      return fail('registerFailed', e);
    }
    try {
      const { entry } = await bridge.getContext();
      if (CUSTOMER_ENTRIES.has(entry)) state.value = { kind: 'customer', externalUserId: (await bridge.getCurExternalContact()).userId };
      else if (entry === 'group_chat_tools') state.value = { kind: 'group', chatId: (await bridge.getCurExternalChat()).chatId };
      else state.value = { kind: 'no-context', entry };
    } catch (e) {
      fail('contextFailed', e);
    }
  }

  return { state, me, bridgeKind, start };
}
