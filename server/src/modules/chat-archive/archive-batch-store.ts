import { Op, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { type ArchivedMessage, messageTime, partiesOf, searchableText } from './archive-message';
import type { ArchiveMessageRow } from './chat-archive.models';
import { indexTokens } from './archive-tokens';
import { recordMedia } from './archive-media';
import { recordConversationDays } from './archive-timeline';
import type { ComplianceCheck } from './archive-compliance-check';

/** One pulled message: decrypted, or parked (encrypted) until its key version is known. */
export type PulledMessage =
  | { kind: 'decrypted'; seq: number; publickeyVer: number; message: ArchivedMessage }
  | { kind: 'parked'; seq: number; msgid: string; publickeyVer: number; encryptRandomKey: string; encryptChatMsg: string };

type NewRow = Omit<ArchiveMessageRow, 'id'>;

const INSERT_CHUNK = 500;
const TOKEN_CHUNK = 4000;

async function insertChunked(db: Database, table: string, rows: object[], size: number, tx: Transaction) {
  for (let i = 0; i < rows.length; i += size) await db.sequelize.getQueryInterface().bulkInsert(table, rows.slice(i, i + size), { transaction: tx });
}

/** Where messages are scoped: the store of their customer, else of their group chat, else of the employee. */
async function resolveOwners(models: Models, messages: ArchivedMessage[], tx?: Transaction) {
  const externals = new Set<string>();
  const rooms = new Set<string>();
  const employees = new Set<string>();
  for (const message of messages) {
    const parties = partiesOf(message);
    if (parties.externalUserid) externals.add(parties.externalUserid);
    if (parties.employeeUserid) employees.add(parties.employeeUserid);
    if (message.roomid) rooms.add(message.roomid);
  }
  const [customers, chats, users] = await Promise.all([
    externals.size ? models.Customer.findAll({ where: { external_userid: [...externals] }, attributes: ['id', 'external_userid', 'store_id'], raw: true, transaction: tx }) : [],
    rooms.size ? models.GroupChat.findAll({ where: { chat_id: [...rooms] }, attributes: ['chat_id', 'store_id'], raw: true, transaction: tx }) : [],
    employees.size ? models.User.findAll({ where: { wecom_userid: [...employees] }, attributes: ['wecom_userid', 'store_id'], raw: true, transaction: tx }) : [],
  ]);
  return {
    customer: new Map(customers.map((c) => [c.external_userid as string, { id: Number(c.id), storeId: c.store_id === null ? null : Number(c.store_id) }])),
    room: new Map(chats.map((c) => [c.chat_id, c.store_id === null ? null : Number(c.store_id)])),
    employee: new Map(users.map((u) => [u.wecom_userid as string, u.store_id === null ? null : Number(u.store_id)])),
  };
}

/** The stored row of a decrypted message (with its store and customer) and its search tokens. */
export async function decryptedRows(models: Models, items: Array<Extract<PulledMessage, { kind: 'decrypted' }>>, now: Date, tx?: Transaction) {
  const owners = await resolveOwners(models, items.map((item) => item.message), tx);
  return items.map(({ seq, publickeyVer, message }) => {
    const { externalUserid, employeeUserid } = partiesOf(message);
    const customer = externalUserid ? owners.customer.get(externalUserid) : undefined;
    const storeId = customer?.storeId ?? (message.roomid ? owners.room.get(message.roomid) : undefined) ?? (employeeUserid ? owners.employee.get(employeeUserid) : undefined) ?? null;
    const text = searchableText(message);
    const row: NewRow = {
      msgid: message.msgid,
      seq,
      status: 'stored',
      msgtype: (message.msgtype ?? message.action ?? null)?.slice(0, 32) ?? null,
      action: message.action?.slice(0, 16) ?? null,
      from_id: (message.from ?? message.user ?? null)?.slice(0, 64) ?? null,
      to_ids: message.tolist ? JSON.stringify(message.tolist) : null,
      room_id: message.roomid || null,
      external_userid: externalUserid,
      customer_id: customer?.id ?? null,
      employee_userid: employeeUserid,
      store_id: storeId,
      msg_time: messageTime(message),
      text: text || null,
      payload: JSON.stringify(message),
      publickey_ver: publickeyVer,
      encrypt_random_key: null,
      encrypt_chat_msg: null,
      revoked_at: null,
      created_at: now,
    };
    return { row, tokens: text ? indexTokens(text) : [], message };
  });
}

/** Marks recalled messages and records consent changes carried by a batch. */
export async function applyEffects(models: Models, messages: ArchivedMessage[], tx: Transaction): Promise<void> {
  for (const message of messages) {
    const body = (message[message.msgtype ?? ''] ?? {}) as Record<string, unknown>;
    if (message.msgtype === 'revoke' && typeof body.pre_msgid === 'string') {
      await models.ArchiveMessage.update({ revoked_at: messageTime(message) }, { where: { msgid: body.pre_msgid, revoked_at: null }, transaction: tx });
    }
    if ((message.msgtype === 'agree' || message.msgtype === 'disagree') && typeof body.userid === 'string') {
      const changedAt = new Date(Number(body[`${message.msgtype}_time`] ?? message.msgtime ?? 0));
      const status = message.msgtype === 'agree' ? 'agreed' : 'disagreed';
      const existing = await models.ArchiveConsent.findOne({ where: { external_userid: body.userid }, transaction: tx });
      if (!existing) await models.ArchiveConsent.create({ external_userid: body.userid, status, changed_at: changedAt, msgid: message.msgid }, { transaction: tx });
      else if (existing.changed_at.getTime() <= changedAt.getTime()) await existing.update({ status, changed_at: changedAt, msgid: message.msgid }, { transaction: tx });
    }
  }
}

/** Writes the postings of freshly stored messages (looked up by msgid), in the caller's transaction. */
export async function writeTokens(db: Database, models: Models, entries: Array<{ msgid: string; tokens: string[] }>, tx: Transaction): Promise<void> {
  const withTokens = entries.filter((entry) => entry.tokens.length);
  if (!withTokens.length) return;
  const ids = await models.ArchiveMessage.findAll({ where: { msgid: withTokens.map((e) => e.msgid) }, attributes: ['id', 'msgid'], raw: true, transaction: tx });
  const idOf = new Map(ids.map((row) => [row.msgid, Number(row.id)]));
  const postings = withTokens.flatMap((entry) => entry.tokens.map((token) => ({ token, message_id: idOf.get(entry.msgid)! })));
  await insertChunked(db, 'archive_tokens', postings, TOKEN_CHUNK, tx);
}

/**
 * Stores one pulled batch and advances the cursor in the same transaction, so a crash at any point
 * leaves either the whole batch and its sequence, or neither. Messages already stored (by msgid) are
 * skipped: a batch pulled twice stores nothing twice. Returns false when another worker moved the
 * cursor first (nothing written).
 */
export async function storeBatch(db: Database, models: Models, input: { corpId: string; fromSeq: number; toSeq: number; pulled: PulledMessage[]; startedAt?: number; compliance?: ComplianceCheck }): Promise<{ stored: number; parked: number } | false> {
  const now = new Date();
  const decrypted = await decryptedRows(models, input.pulled.filter((p): p is Extract<PulledMessage, { kind: 'decrypted' }> => p.kind === 'decrypted'), now);
  const parked: NewRow[] = input.pulled
    .filter((p): p is Extract<PulledMessage, { kind: 'parked' }> => p.kind === 'parked')
    .map((p) => ({ msgid: p.msgid, seq: p.seq, status: 'parked', msgtype: null, action: null, from_id: null, to_ids: null, room_id: null, external_userid: null, customer_id: null, employee_userid: null, store_id: null, msg_time: null, text: null, payload: null, publickey_ver: p.publickeyVer, encrypt_random_key: p.encryptRandomKey, encrypt_chat_msg: p.encryptChatMsg, revoked_at: null, created_at: now }));

  return db.transaction(async (tx) => {
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: input.corpId }, transaction: tx, lock: tx.LOCK.UPDATE });
    if (!cursor || Number(cursor.last_seq) !== input.fromSeq) return false;
    const msgids = [...decrypted.map((d) => d.row.msgid), ...parked.map((p) => p.msgid)];
    const known = new Set(msgids.length ? (await models.ArchiveMessage.findAll({ where: { msgid: { [Op.in]: msgids } }, attributes: ['msgid'], raw: true, transaction: tx })).map((r) => r.msgid) : []);
    // A msgid repeated inside one batch is stored once.
    const seen = new Set<string>(known);
    const fresh = decrypted.filter((d) => !seen.has(d.row.msgid) && seen.add(d.row.msgid));
    const freshParked = parked.filter((p) => !seen.has(p.msgid) && seen.add(p.msgid));
    await insertChunked(db, 'archive_messages', [...fresh.map((d) => d.row), ...freshParked], INSERT_CHUNK, tx);
    await writeTokens(db, models, fresh.map((d) => ({ msgid: d.row.msgid, tokens: d.tokens })), tx);
    await applyEffects(models, fresh.map((d) => d.message), tx);
    await recordMedia(models, fresh.map((d) => d.message), tx);
    await recordConversationDays(models, fresh.map((d) => d.row), tx);
    await input.compliance?.(fresh.map((d) => d.row), tx);
    const newest = fresh.reduce<Date | null>((max, d) => (d.row.msg_time && (!max || d.row.msg_time > max) ? d.row.msg_time : max), null);
    await cursor.update(
      {
        last_seq: input.toSeq,
        messages_stored: Number(cursor.messages_stored) + fresh.length + freshParked.length,
        last_batch_at: now,
        last_batch_messages: input.pulled.length,
        last_batch_ms: Math.max(1, Date.now() - (input.startedAt ?? now.getTime())),
        last_msg_time: newest ?? cursor.last_msg_time,
        last_error: null,
      },
      { transaction: tx },
    );
    return { stored: fresh.length, parked: freshParked.length };
  });
}
