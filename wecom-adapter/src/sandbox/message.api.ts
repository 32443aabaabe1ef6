import { z } from 'zod';
import { fail } from './api-error';
import { type ApiFactory, ok, parse, scopes } from './api-registry';
import type { SandboxState } from './sandbox-state';

/** A welcome_code works once, within this many milliseconds of the event that carried it (DOC 92599). */
export const WELCOME_CODE_WINDOW_MS = 20_000;

const appMsgTypes = ['text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown', 'miniprogram_notice', 'template_card'] as const;
const sendBody = z.looseObject({
  touser: z.string().optional(),
  toparty: z.string().optional(),
  totag: z.string().optional(),
  msgtype: z.enum(appMsgTypes),
  agentid: z.number().int(),
});
const attachment = z.looseObject({ msgtype: z.enum(['image', 'link', 'miniprogram', 'video', 'file']) });
const text = z.object({ content: z.string().max(4000) });
const templateBody = z.object({
  chat_type: z.enum(['single', 'group']).optional(),
  external_userid: z.array(z.string()).max(10000).optional(),
  chat_id_list: z.array(z.string()).max(2000).optional(),
  tag_filter: z.unknown().optional(),
  sender: z.string().optional(),
  allow_select: z.boolean().optional(),
  text: text.optional(),
  attachments: z.array(attachment).max(9).optional(),
});
const welcomeBody = z.object({ welcome_code: z.string(), text: text.optional(), attachments: z.array(attachment).max(9).optional() });

/** media_ids referenced by attachments must exist and be less than 3 days old. */
function checkAttachments(state: SandboxState, attachments: ReadonlyArray<Record<string, unknown>>) {
  for (const a of attachments) {
    const part = a[a.msgtype as string] as Record<string, unknown> | undefined;
    const mediaId = part?.media_id ?? part?.pic_media_id;
    if (typeof mediaId === 'string' && !state.media.live(mediaId)) fail('INVALID_MEDIA_ID', mediaId);
  }
}

/** message/send (app messages, recorded per member), add_msg_template and send_welcome_msg. */
export const messageApis: ApiFactory = ({ state }) => [
  {
    path: 'message/send',
    method: 'POST',
    apps: scopes.agent,
    handle({ body }) {
      const b = parse(sendBody, body);
      if (b.agentid !== state.agentId) fail('INVALID_AGENTID', String(b.agentid));
      const content = (body as Record<string, unknown>)[b.msgtype] ?? fail('INVALID_PARAMETER', `${b.msgtype} is required`);
      if (!b.touser && !b.toparty && !b.totag) fail('INVALID_PARAMETER', 'touser, toparty or totag is required');
      const recipients = new Set<string>();
      const invalidUser: string[] = [];
      const invalidParty: string[] = [];
      if (b.touser === '@all') for (const e of state.directory.activeEmployees()) recipients.add(e.userid);
      else
        for (const u of (b.touser ?? '').split('|').filter(Boolean)) {
          if (state.directory.activeEmployee(u)) recipients.add(u);
          else invalidUser.push(u);
        }
      for (const p of (b.toparty ?? '').split('|').filter(Boolean)) {
        const id = Number(p);
        if (!state.directory.departments.has(id)) invalidParty.push(p);
        else for (const e of state.directory.employeesIn(id, true)) recipients.add(e.userid);
      }
      const invalidTag = (b.totag ?? '').split('|').filter(Boolean);
      if (recipients.size === 0) fail('ALL_RECIPIENTS_INVALID');
      const msgid = state.random.chars(40);
      const sentAt = state.now();
      for (const userid of recipients) state.messages.deliver(userid, { msgid, msgtype: b.msgtype, agentid: b.agentid, content, sentAt });
      return ok({
        ...(invalidUser.length ? { invaliduser: invalidUser.join('|') } : {}),
        ...(invalidParty.length ? { invalidparty: invalidParty.join('|') } : {}),
        ...(invalidTag.length ? { invalidtag: invalidTag.join('|') } : {}),
        msgid,
        ...(b.msgtype === 'template_card' ? { response_code: state.random.chars(32) } : {}),
      });
    },
  },
  {
    path: 'externalcontact/add_msg_template',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(templateBody, body);
      if (!b.text && !b.attachments?.length) fail('INVALID_PARAMETER', 'text or attachments is required');
      if (b.sender && !state.directory.activeEmployee(b.sender)) fail('USER_NOT_FOUND', b.sender);
      checkAttachments(state, b.attachments ?? []);
      const chatType = b.chat_type ?? 'single';
      const ids = b.external_userid ?? [];
      const failList = ids.filter((id) => {
        const customer = state.customers.get(id);
        return !customer || (b.sender !== undefined && !customer.follows.some((f) => f.userid === b.sender));
      });
      const msgid = state.random.wecomId('msg');
      const accepted = ids.filter((id) => !failList.includes(id));
      state.messages.templates.push({
        msgid,
        chatType,
        sender: b.sender,
        externalUserids: accepted,
        chatIds: b.chat_id_list ?? [],
        text: b.text,
        attachments: b.attachments ?? [],
        createdAt: state.now(),
        results: Object.fromEntries(accepted.map((id) => [id, { status: 0 as const }])),
      });
      return ok({ fail_list: failList, msgid });
    },
  },
  {
    path: 'externalcontact/send_welcome_msg',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(welcomeBody, body);
      if (!b.text && !b.attachments?.length) fail('INVALID_PARAMETER', 'text or attachments is required');
      const code = state.messages.welcomeCodes.get(b.welcome_code) ?? fail('WELCOME_CODE_USED', 'unknown welcome_code');
      if (code.usedAt !== undefined) fail('WELCOME_CODE_USED', 'welcome_code already used');
      if (state.clock() - code.issuedAt > WELCOME_CODE_WINDOW_MS) fail('WELCOME_CODE_USED', 'welcome_code expired (20 s)');
      checkAttachments(state, b.attachments ?? []);
      code.usedAt = state.clock();
      state.messages.welcomeMessages.push({
        welcomeCode: code.code,
        userid: code.userid,
        externalUserid: code.externalUserid,
        text: b.text,
        attachments: b.attachments ?? [],
        sentAt: state.now(),
      });
      return ok({});
    },
  },
];
