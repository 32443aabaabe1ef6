import { createCallbackCrypto } from '@scrm/wecom-adapter';
import { startTestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import { sealedCallback } from '../../testing/wecom-test-callbacks';

/** Test helpers: a server running beside the WeCom sandbox, the sandbox's control API, ids of the demo organisation. */

export interface SandboxEmployee {
  userid: string;
  name: string;
  department: number[];
  status: number;
}

export async function startDirectoryServer() {
  const server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '20', JOB_WORKER_ENABLED: 'false' } });
  const admin = await server.login('admin');
  const sandboxUrl = server.running.sandbox?.url ?? '';
  const { services } = server.running;

  const control = async <T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> => {
    const res = await fetch(`${sandboxUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const read = async <T>(path: string): Promise<T> => (await (await fetch(`${sandboxUrl}/__sandbox/${path}`)).json()) as T;
  const employees = async () => (await read<{ employees: SandboxEmployee[] }>('state/employees?limit=1000')).employees;
  const activeEmployees = async () => (await employees()).filter((e) => e.status !== 5);

  /** Delivers the sandbox's pending callbacks, stores and processes them. */
  async function settleCallbacks() {
    await control('callbacks/drain');
    await services.wecom.callbacks.dispatchPending();
    await services.queue.drain();
    // The background worker may hold a job that drain() could not claim: wait for it to finish.
    await waitUntil(async () => (await services.models.Job.count({ where: { status: 'running' } })) === 0, 20_000, 50);
    await services.queue.drain();
  }

  async function runSync(token = admin) {
    const started = await server.api<{ data: { id: number } }>('POST', '/api/wecom/directory/sync', { token });
    if (started.status !== 200) throw new Error(`sync refused: ${started.status} ${JSON.stringify(started.body)}`);
    await services.queue.drain();
    const run = await server.api<{ data: { id: number; status: string; report: DirectoryReport } }>('GET', '/api/wecom/directory/sync', { token });
    return run.body.data;
  }

  async function ids() {
    const stores = await server.api<{ data: { items: Array<{ id: number; code: string }> } }>('GET', '/api/stores?pageSize=100', { token: admin });
    const roles = await server.api<{ data: Array<{ id: number; code: string }> }>('GET', '/api/roles', { token: admin });
    const store = (code: string) => stores.body.data.items.find((s) => s.code === code)?.id as number;
    const role = (code: string) => roles.body.data.find((r) => r.code === code)?.id as number;
    return { store, role };
  }

  const setMapping = (wecomId: number, body: { storeId: number | null; roleId: number }, token = admin) =>
    server.api<{ data: { applied: Record<string, number> } }>('PUT', `/api/wecom/directory/departments/${wecomId}/mapping`, { token, body });

  const userOf = (userid: string) => services.models.User.findOne({ where: { wecom_userid: userid }, raw: true });

  /** Posts a change_contact callback of our own making (to replay events twice or out of order). */
  async function postContactEvent(fields: string, createTime: number) {
    const { settings } = await services.wecom.runtime.current();
    const crypto = createCallbackCrypto({ token: settings.callbackToken ?? '', encodingAesKey: settings.callbackAesKey ?? '', receiveId: settings.corpId ?? '' });
    const xml = `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>${fields}</xml>`;
    const { path, body } = sealedCallback(crypto, settings.corpId ?? '', xml);
    const reply = await server.api('POST', path, { rawBody: body, headers: { 'content-type': 'text/xml' } });
    if (reply.status !== 200) throw new Error(`callback refused: ${reply.status}`);
  }

  return { server, admin, sandboxUrl, services, control, read, employees, activeEmployees, settleCallbacks, runSync, ids, setMapping, userOf, postContactEvent };
}

export type DirectoryKit = Awaited<ReturnType<typeof startDirectoryServer>>;

export interface DirectoryReport {
  departments: { seen: number; created: number; updated: number; hidden: number };
  employees: { seen: number; created: number; updated: number; disabled: number; left: number; unmapped: number; unchanged: number };
  customersMoved: number;
  skipped: { departments: Array<{ id: number; errcode: number }>; employees: Array<{ userid: string; errcode: number }> };
}
