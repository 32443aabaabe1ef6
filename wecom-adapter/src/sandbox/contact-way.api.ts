import { z } from 'zod';
import { fail } from './api-error';
import { type ApiFactory, ok, parse, scopes } from './api-registry';
import type { SandboxState } from './sandbox-state';
import type { ContactWay } from './sandbox.types';

const common = {
  style: z.number().int().optional(),
  remark: z.string().max(30).optional(),
  skip_verify: z.boolean().optional(),
  state: z.string().max(30).optional(),
  user: z.array(z.string()).max(100).optional(),
  party: z.array(z.number().int()).max(100).optional(),
  expires_in: z.number().int().min(1).optional(),
  chat_expires_in: z.number().int().optional(),
  unionid: z.string().optional(),
  conclusions: z.unknown().optional(),
};
const addBody = z.object({ type: z.union([z.literal(1), z.literal(2)]), scene: z.union([z.literal(1), z.literal(2)]), is_temp: z.boolean().optional(), ...common });
const updateBody = z.object({ config_id: z.string(), ...common });
const idBody = z.object({ config_id: z.string() });

function checkMembers(state: SandboxState, type: 1 | 2, users: string[], parties: number[]) {
  for (const u of users) if (!state.directory.activeEmployee(u)) fail('USER_NOT_FOUND', u);
  for (const p of parties) if (!state.directory.departments.has(p)) fail('DEPARTMENT_NOT_FOUND', String(p));
  if (type === 1 && (users.length !== 1 || parties.length > 0)) fail('INVALID_PARAMETER', 'type 1 (单人) needs exactly one user and no party');
  if (type === 2 && users.length + parties.length === 0) fail('INVALID_PARAMETER', 'user or party is required');
}

const wayJson = (w: ContactWay) => ({
  config_id: w.configId,
  type: w.type,
  scene: w.scene,
  ...(w.style !== undefined ? { style: w.style } : {}),
  remark: w.remark,
  skip_verify: w.skipVerify,
  state: w.state,
  ...(w.qrCode ? { qr_code: w.qrCode } : {}),
  user: w.users,
  party: w.parties,
  is_temp: w.isTemp,
  ...(w.expiresIn !== undefined ? { expires_in: w.expiresIn } : {}),
});

/** 「联系我」: add_contact_way, get_contact_way, list_contact_way, update_contact_way, del_contact_way. */
export const contactWayApis: ApiFactory = ({ state }) => [
  {
    path: 'externalcontact/add_contact_way',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(addBody, body);
      checkMembers(state, b.type, b.user ?? [], b.party ?? []);
      const way = state.contactWays.add({
        type: b.type,
        scene: b.scene,
        style: b.style,
        remark: b.remark ?? '',
        skipVerify: b.skip_verify ?? true,
        state: b.state ?? '',
        users: b.user ?? [],
        parties: b.party ?? [],
        isTemp: b.is_temp ?? false,
        expiresIn: b.is_temp ? (b.expires_in ?? 7 * 86400) : undefined,
        createdAt: state.now(),
      });
      return ok({ config_id: way.configId, ...(way.qrCode ? { qr_code: way.qrCode } : {}) });
    },
  },
  {
    path: 'externalcontact/get_contact_way',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const way = state.contactWays.get(parse(idBody, body).config_id) ?? fail('CONTACT_WAY_NOT_FOUND');
      return ok({ contact_way: wayJson(way) });
    },
  },
  {
    path: 'externalcontact/list_contact_way',
    method: 'POST',
    apps: scopes.customer,
    handle: () => ok({ contact_way: state.contactWays.list().map((w) => ({ config_id: w.configId })), next_cursor: '' }),
  },
  {
    path: 'externalcontact/update_contact_way',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(updateBody, body);
      const way = state.contactWays.get(b.config_id) ?? fail('CONTACT_WAY_NOT_FOUND');
      const users = b.user ?? way.users;
      const parties = b.party ?? way.parties;
      checkMembers(state, way.type, users, parties);
      Object.assign(way, {
        users,
        parties,
        style: b.style ?? way.style,
        remark: b.remark ?? way.remark,
        skipVerify: b.skip_verify ?? way.skipVerify,
        state: b.state ?? way.state,
        expiresIn: b.expires_in ?? way.expiresIn,
      });
      return ok({});
    },
  },
  {
    path: 'externalcontact/del_contact_way',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      if (!state.contactWays.remove(parse(idBody, body).config_id)) fail('CONTACT_WAY_NOT_FOUND');
      return ok({});
    },
  },
];
