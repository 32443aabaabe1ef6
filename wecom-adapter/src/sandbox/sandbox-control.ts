import type { CallbackPusher } from './callback-pusher';
import { SandboxControlError } from './control-error';
import type { SandboxEvents } from './sandbox-events';
import type { SandboxState } from './sandbox-state';
import type { CallbackTarget, FaultOptions, SandboxApp, SandboxOptions } from './sandbox.types';

interface ControlDeps {
  state: SandboxState;
  events: SandboxEvents;
  pusher: CallbackPusher;
  options: SandboxOptions;
  /** Mutable runtime settings shared with the dispatcher and the pusher. */
  runtime: { faults: FaultOptions; callback?: CallbackTarget };
  url: () => string | undefined;
}

/** What the control API and tests drive: events, token revocation, faults, the callback target. */
export function createSandboxControl(deps: ControlDeps) {
  const { state, events, pusher, runtime } = deps;
  return {
    state,
    events,
    pusher,
    credentials: () => ({
      url: deps.url(),
      corpId: deps.options.corpId,
      agentId: deps.options.agentId,
      secrets: deps.options.secrets,
      callback: runtime.callback ? { url: runtime.callback.url } : null,
    }),
    revokeTokens: (app?: SandboxApp) => state.credentials.revokeTokens(app),
    faults: () => ({ ...runtime.faults }),
    setFaults(faults: FaultOptions) {
      runtime.faults = { ...runtime.faults, ...faults };
      return { ...runtime.faults };
    },
    setCallback(target: CallbackTarget | undefined) {
      runtime.callback = target;
      return { url: target?.url ?? null };
    },
    issueOauthCode(who: { userid?: string; externalUserId?: string; openid?: string }): string {
      if (who.userid && !state.directory.activeEmployee(who.userid)) throw new SandboxControlError('EMPLOYEE_NOT_FOUND', `no active employee ${who.userid}`);
      if (!who.userid && !who.externalUserId && !who.openid) throw new SandboxControlError('INVALID_INPUT', 'userid, externalUserId or openid is required');
      const openid = who.userid ? undefined : (who.openid ?? state.random.wecomId('o', 28));
      return state.credentials.issueOauthCode({ userid: who.userid, openid, externalUserid: who.externalUserId }).code;
    },
    verifyCallbackUrl: () => pusher.verifyUrl(),
    drainCallbacks: () => pusher.drain(),
  };
}

export type SandboxControl = ReturnType<typeof createSandboxControl>;
