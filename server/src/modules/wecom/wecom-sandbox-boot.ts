import { randomBytes } from 'node:crypto';
import { createSandbox } from '@scrm/wecom-adapter';
import type { Services } from '../../app';

export interface RunningSandbox {
  url: string;
  corpId: string;
  /** Employees and their customers in the sandbox corp (one per customer), for generated chat archive conversations. */
  followPairs(): Array<{ userid: string; externalUserid: string }>;
  close(): Promise<void>;
}

const SANDBOX_CORP_ID = 'ww_sandbox_demo';
const SANDBOX_AGENT_ID = 1000002;

/**
 * With no WeCom corp configured, `npm start` runs the WeCom sandbox beside the server: a simulator
 * speaking WeCom's protocol, seeded with a demo corp, whose callbacks come to our own endpoint.
 */
export async function startWecomSandbox(services: Services, serverUrl: string): Promise<RunningSandbox | null> {
  const { config, wecom, log } = services;
  if (config.WECOM_SANDBOX === 'off' || !(await wecom.runtime.needsSandbox())) return null;
  const secret = () => randomBytes(24).toString('base64url');
  const secrets = { contact: secret(), customer: secret(), agent: secret() };
  const callback = { url: `${serverUrl}/wecom/callback`, token: secret().slice(0, 32), encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  const sandbox = createSandbox({
    corpId: SANDBOX_CORP_ID,
    secrets,
    agentId: SANDBOX_AGENT_ID,
    callback,
    seed: { employees: 12, customers: config.WECOM_SANDBOX_CUSTOMERS, seed: 42 },
  });
  const { url } = await sandbox.listen(config.WECOM_SANDBOX_PORT, '127.0.0.1');
  wecom.runtime.useSandbox({
    corpId: SANDBOX_CORP_ID,
    apiBase: url,
    callbackToken: callback.token,
    callbackAesKey: callback.encodingAesKey,
    contactSecret: secrets.contact,
    customerSecret: secrets.customer,
    agentSecret: secrets.agent,
    agentId: String(SANDBOX_AGENT_ID),
  });
  log.info({ url }, 'WeCom sandbox started');
  const followPairs = () => [...sandbox.state.customers.customers.values()].flatMap((c) => (c.follows[0] ? [{ userid: c.follows[0].userid, externalUserid: c.externalUserid }] : []));
  return { url, corpId: SANDBOX_CORP_ID, followPairs, close: () => sandbox.close() };
}
