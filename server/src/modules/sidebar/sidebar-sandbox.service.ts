import { Op } from 'sequelize';
import { signJsApi } from '@scrm/wecom-adapter';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { WecomRuntime } from '../wecom/wecom-runtime';

/** What the WeCom client stand-in shows: the sandbox corp's employees and, per employee, their chats. */
export interface StandinEmployee {
  userid: string;
  name: string;
  position: string;
  /** Our user for the employee, once the directory sync made one. */
  user: { id: number; displayName: string; storeName: string | null; status: string } | null;
}

export interface StandinChats {
  customers: Array<{ externalUserId: string; name: string; remark: string; corpName: string; type: number }>;
  groupChats: Array<{ chatId: string; name: string; memberCount: number; customerCount: number }>;
}

interface SandboxEmployee {
  userid: string;
  name: string;
  position: string;
  status: number;
}
interface SandboxCustomer {
  externalUserid: string;
  name: string;
  type: number;
  corpName: string;
  follows: Array<{ userid: string; remark: string; deletedByCustomer?: boolean }>;
}
interface SandboxGroupChat {
  chatId: string;
  name: string;
  owner: string;
  members: Array<{ userid: string; type: number }>;
}

const MAX_LIST = 1000;

/**
 * The WeCom client stand-in's server side. It exists only while the server runs against the
 * WeCom sandbox; otherwise every call is refused as if there were no such thing.
 */
export function createSidebarSandboxService(deps: { runtime: WecomRuntime; models: Models }) {
  const { runtime, models } = deps;

  async function sandboxUrl(): Promise<string> {
    const state = await runtime.current();
    if (state.mode !== 'sandbox' || !state.settings.apiBase) {
      throw new AppError('NOT_FOUND', 'the WeCom client stand-in exists only when the server runs against the WeCom sandbox');
    }
    return state.settings.apiBase.replace(/\/$/, '');
  }

  async function read<T>(path: string): Promise<T> {
    const res = await fetch(`${await sandboxUrl()}${path}`);
    if (!res.ok) throw new AppError('NOT_READY', `the WeCom sandbox answered ${res.status} for ${path.split('?')[0] ?? path}`);
    return (await res.json()) as T;
  }

  return {
    /** Throws NOT_FOUND unless the server runs in sandbox mode. */
    assertAvailable: async (): Promise<void> => {
      await sandboxUrl();
    },

    async employees(): Promise<StandinEmployee[]> {
      const { employees } = await read<{ employees: SandboxEmployee[] }>(`/__sandbox/state/employees?limit=${MAX_LIST}`);
      const active = employees.filter((e) => e.status === 1);
      const users = await models.User.findAll({ where: { wecom_userid: { [Op.in]: active.map((e) => e.userid) } }, raw: true });
      const storeIds = [...new Set(users.map((u) => u.store_id).filter((id): id is number => id !== null))];
      const stores = new Map((await models.Store.findAll({ where: { id: { [Op.in]: storeIds } }, raw: true })).map((s) => [Number(s.id), s.name]));
      const byUserid = new Map(users.map((u) => [u.wecom_userid, u]));
      return active.map((e) => {
        const user = byUserid.get(e.userid);
        return {
          userid: e.userid,
          name: e.name,
          position: e.position,
          user: user ? { id: Number(user.id), displayName: user.display_name, storeName: user.store_id ? (stores.get(Number(user.store_id)) ?? null) : null, status: user.status } : null,
        };
      });
    },

    /** The employee's external contacts and the customer group chats they are in, as the WeCom client lists them. */
    async chats(userid: string): Promise<StandinChats> {
      const [{ customers }, { groupChats }] = await Promise.all([
        read<{ customers: SandboxCustomer[] }>(`/__sandbox/state/customers?limit=${MAX_LIST}&userid=${encodeURIComponent(userid)}`),
        read<{ groupChats: SandboxGroupChat[] }>('/__sandbox/state/group-chats'),
      ]);
      return {
        customers: customers
          .filter((c) => c.follows.some((f) => f.userid === userid && !f.deletedByCustomer))
          .map((c) => ({
            externalUserId: c.externalUserid,
            name: c.name,
            remark: c.follows.find((f) => f.userid === userid)?.remark ?? '',
            corpName: c.corpName,
            type: c.type,
          })),
        groupChats: groupChats
          .filter((g) => g.owner === userid || g.members.some((m) => m.type === 1 && m.userid === userid))
          .slice(0, MAX_LIST)
          .map((g) => ({ chatId: g.chatId, name: g.name, memberCount: g.members.length, customerCount: g.members.filter((m) => m.type === 2).length })),
      };
    },

    /**
     * What the WeCom client does with `agentConfig`: checks the signature against the app's current
     * agent_config ticket, fetched fresh from the sandbox (not from our cache).
     */
    async verifyAgentConfig(input: { url: string; timestamp: number; nonceStr: string; signature: string }): Promise<{ ok: boolean }> {
      await sandboxUrl();
      const client = await runtime.client();
      if (!client) throw new AppError('NOT_READY', 'WeCom is not connected');
      const { ticket } = await client.jsapi.getAgentTicket();
      const expected = signJsApi({ ticket, url: input.url, nonceStr: input.nonceStr, timestamp: input.timestamp });
      return { ok: expected.signature === input.signature };
    },
  };
}

export type SidebarSandboxService = ReturnType<typeof createSidebarSandboxService>;
