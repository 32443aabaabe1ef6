import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import type { CustomerRow } from '../customers/customer.model';
import type { TimelineEntry, TimelineWriter } from '../customers/customer-timeline';
import type { CustomerImportRow } from './customer-import.models';
import type { ImportReference, ParsedRow, RowProblem } from './import-row-validator';

export interface ChunkDeps {
  models: Models;
  phone: PiiField;
  address: PiiField;
  timeline: TimelineWriter;
}

export interface ChunkCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** Custom fields that must have a value when a customer is created, with the column to blame. */
export type RequiredFields = Array<{ key: string; label: string }>;

type Snapshot = Pick<CustomerRow, 'name' | 'phone_enc' | 'phone_bidx' | 'address_enc' | 'address_bidx' | 'external_userid' | 'stage' | 'custom_fields' | 'search_text'>;
type Existing = Snapshot & Pick<CustomerRow, 'id' | 'store_id' | 'status'>;

interface Target {
  /** Null until a new customer is inserted. */
  id: number | null;
  storeId: number | null;
  before: Snapshot | null;
  state: Snapshot;
  tagIds: Set<number>;
  remarks: Set<string>;
}

const columns = ['id', 'store_id', 'status', 'name', 'phone_enc', 'phone_bidx', 'address_enc', 'address_bidx', 'external_userid', 'stage', 'custom_fields', 'search_text'] as const;
const snapshotKeys = ['name', 'phone_enc', 'phone_bidx', 'address_enc', 'address_bidx', 'external_userid', 'stage', 'custom_fields', 'search_text'] as const;

const storeKey = (storeId: number | null) => (storeId === null ? '-' : String(storeId));

/** Search text keeps whatever else it held (follow remarks) when the name changes, and gains remarks. */
function nextSearchText(current: string | null, oldName: string, newName: string, remark: string | undefined): string {
  let text = current ?? oldName;
  if (oldName !== newName) text = text.startsWith(oldName) ? newName + text.slice(oldName.length) : `${newName} ${text}`;
  if (remark && !text.includes(remark)) text = `${text} ${remark}`;
  return text.trim().slice(0, 1024);
}

/**
 * Writes one chunk of validated rows in the caller's transaction: matches each row to an existing
 * customer (external id, else phone blind index within the store, else name within the store for rows
 * with neither), inserts the new ones in one multi-row insert, updates changed ones, adds tags, notes
 * and a `customer.imported` timeline entry per row. Rows in the chunk that hit the same customer are
 * applied one after another.
 */
export async function writeChunk(
  deps: ChunkDeps,
  run: CustomerImportRow,
  ref: ImportReference,
  required: RequiredFields,
  rows: ParsedRow[],
  problems: RowProblem[],
  tx: Transaction,
): Promise<ChunkCounts> {
  const { models, phone, address, timeline } = deps;
  const sealed = rows.map((row) => ({ phone: row.phone ? phone.seal(row.phone) : null, address: row.address ? address.seal(row.address) : null }));
  const bidxOf = (i: number) => sealed[i]?.phone?.phone_bidx ?? null;

  // Rows are matched within their store: concurrent writers to the same stores (another import) wait
  // here until this chunk commits, so neither inserts a customer the other is inserting. (SQLite has
  // one writer at a time anyway.)
  const storeIds = [...new Set(rows.flatMap((r) => (r.storeId === null ? [] : [r.storeId])))].sort((a, b) => a - b);
  if (storeIds.length) await models.Store.findAll({ where: { id: storeIds }, attributes: ['id'], lock: tx.LOCK.UPDATE, raw: true, transaction: tx });

  // Look up every customer the chunk may touch, in three queries.
  const externalIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const bidxs = rows.flatMap((_, i) => (bidxOf(i) ? [bidxOf(i) as string] : []));
  const names = rows.flatMap((r, i) => (!r.externalId && !bidxOf(i) ? [r.name] : []));
  const find = (where: WhereOptions<CustomerRow>) => models.Customer.findAll({ where, attributes: [...columns], order: [['id', 'ASC']], raw: true, transaction: tx }) as unknown as Promise<Existing[]>;
  const [byExternalRows, byPhoneRows, byNameRows] = await Promise.all([
    externalIds.length ? find({ external_userid: externalIds }) : [],
    bidxs.length ? find({ phone_bidx: bidxs, status: { [Op.ne]: 'merged' } }) : [],
    names.length
      ? find({ name: names, phone_bidx: null, external_userid: null, status: { [Op.ne]: 'merged' }, [Op.or]: [{ store_id: storeIds }, { store_id: null }] })
      : [],
  ]);
  const existingById = new Map<number, Existing>();
  const keyed = new Map<string, number>();
  const remember = (map: Map<string, number>, key: string, id: number) => {
    if (!map.has(key)) map.set(key, id);
  };
  for (const c of byExternalRows) {
    existingById.set(Number(c.id), c);
    remember(keyed, `e|${c.external_userid}`, Number(c.id));
  }
  for (const c of byPhoneRows) {
    existingById.set(Number(c.id), c);
    remember(keyed, `p|${storeKey(c.store_id === null ? null : Number(c.store_id))}|${c.phone_bidx}`, Number(c.id));
  }
  for (const c of byNameRows) {
    existingById.set(Number(c.id), c);
    remember(keyed, `n|${storeKey(c.store_id === null ? null : Number(c.store_id))}|${c.name}`, Number(c.id));
  }

  // What the existing customers already have, so an unchanged row writes nothing.
  const existingIds = [...existingById.keys()];
  const allTagIds = [...new Set(rows.flatMap((r) => r.tagIds))];
  const remarks = [...new Set(rows.flatMap((r) => (r.remark ? [r.remark] : [])))];
  const [tagRows, noteRows] = await Promise.all([
    existingIds.length && allTagIds.length ? models.CustomerTag.findAll({ where: { customer_id: existingIds, tag_id: allTagIds }, attributes: ['customer_id', 'tag_id'], raw: true, transaction: tx }) : [],
    existingIds.length && remarks.length ? models.CustomerNote.findAll({ where: { customer_id: existingIds, body: remarks }, attributes: ['customer_id', 'body'], raw: true, transaction: tx }) : [],
  ]);
  const hasTag = new Set(tagRows.map((t) => `${t.customer_id}|${t.tag_id}`));
  const hasNote = new Set(noteRows.map((n) => `${n.customer_id}|${n.body}`));

  const targets = new Map<string, Target>();
  const existingTargets = new Map<number, Target>();
  const outcomes: Array<{ row: ParsedRow; target: Target; action: 'created' | 'updated'; fields: string[] }> = [];
  const counts: ChunkCounts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const problem = (row: ParsedRow, column: string | null, code: RowProblem['code'], value: string | null = null) => problems.push({ rowNo: row.rowNo, column, value, code });

  const targetOfExisting = (id: number): Target => {
    let target = existingTargets.get(id);
    if (!target) {
      const c = existingById.get(id) as Existing;
      const snapshot = Object.fromEntries(snapshotKeys.map((k) => [k, c[k]])) as Snapshot;
      target = { id, storeId: c.store_id === null ? null : Number(c.store_id), before: snapshot, state: { ...snapshot }, tagIds: new Set(), remarks: new Set() };
      existingTargets.set(id, target);
    }
    return target;
  };

  rows.forEach((row, i) => {
    const bidx = bidxOf(i);
    const keys = [
      ...(row.externalId ? [`e|${row.externalId}`] : []),
      ...(bidx ? [`p|${storeKey(row.storeId)}|${bidx}`] : []),
      ...(!row.externalId && !bidx ? [`n|${storeKey(row.storeId)}|${row.name}`] : []),
    ];
    let target: Target | undefined;
    for (const key of keys) {
      target = targets.get(key);
      if (target) break;
      const id = keyed.get(key);
      if (id === undefined) continue;
      const found = existingById.get(id) as Existing;
      // A phone match that already belongs to another WeCom contact is someone else.
      if (key.startsWith('p|') && row.externalId && found.external_userid && found.external_userid !== row.externalId) continue;
      if (found.status === 'merged') {
        problem(row, null, 'customer_merged', row.externalId ?? null);
        return;
      }
      const foundStore = found.store_id === null ? null : Number(found.store_id);
      if (ref.scopeStoreIds && (foundStore === null || !ref.scopeStoreIds.has(foundStore))) {
        problem(row, null, 'customer_out_of_scope', row.externalId ?? null);
        return;
      }
      target = targetOfExisting(id);
      break;
    }
    const isNew = !target;
    if (!target) {
      const missing = required.find((field) => row.custom[field.key] === undefined);
      if (missing) {
        problem(row, missing.label, 'required');
        return;
      }
      target = {
        id: null,
        storeId: row.storeId,
        before: null,
        state: { name: row.name, phone_enc: null, phone_bidx: null, address_enc: null, address_bidx: null, external_userid: null, stage: 'new', custom_fields: null, search_text: null },
        tagIds: new Set(),
        remarks: new Set(),
      };
    }
    const state = target.state;
    const fields: string[] = [];
    const set = <K extends keyof Snapshot>(key: K, value: Snapshot[K], field: string) => {
      if (state[key] === value) return;
      state[key] = value;
      if (!fields.includes(field)) fields.push(field);
    };
    const oldName = state.name;
    set('name', row.name, 'name');
    const phoneSeal = sealed[i]?.phone;
    if (phoneSeal && phoneSeal.phone_bidx !== state.phone_bidx) {
      set('phone_enc', phoneSeal.phone_enc ?? null, 'phone');
      set('phone_bidx', phoneSeal.phone_bidx ?? null, 'phone');
    }
    const addressSeal = sealed[i]?.address;
    if (addressSeal && addressSeal.address_bidx !== state.address_bidx) {
      set('address_enc', addressSeal.address_enc ?? null, 'address');
      set('address_bidx', addressSeal.address_bidx ?? null, 'address');
    }
    if (row.externalId && !state.external_userid) set('external_userid', row.externalId, 'externalId');
    if (row.stage) set('stage', row.stage, 'stage');
    if (Object.keys(row.custom).length) {
      const merged = { ...(state.custom_fields ? (JSON.parse(state.custom_fields) as Record<string, unknown>) : {}), ...row.custom };
      set('custom_fields', JSON.stringify(merged), 'customFields');
    }
    set('search_text', nextSearchText(state.search_text, oldName, row.name, row.remark), 'searchText');
    for (const tagId of row.tagIds) {
      if (target.tagIds.has(tagId) || (target.id !== null && hasTag.has(`${target.id}|${tagId}`))) continue;
      target.tagIds.add(tagId);
      fields.push(`tag:${tagId}`);
    }
    if (row.remark && !target.remarks.has(row.remark) && !(target.id !== null && hasNote.has(`${target.id}|${row.remark}`))) {
      target.remarks.add(row.remark);
      fields.push('remark');
    }
    for (const key of [...keys, ...(state.phone_bidx ? [`p|${storeKey(target.storeId)}|${state.phone_bidx}`] : [])]) targets.set(key, target);
    const visible = fields.filter((f) => f !== 'searchText');
    if (isNew) {
      counts.created += 1;
      outcomes.push({ row, target, action: 'created', fields: visible });
    } else if (visible.length) {
      counts.updated += 1;
      outcomes.push({ row, target, action: 'updated', fields: visible });
    } else {
      counts.unchanged += 1;
    }
  });

  // New customers: one multi-row insert.
  const fresh = [...new Set(targets.values())].filter((t) => t.id === null);
  if (fresh.length) {
    const created = await models.Customer.bulkCreate(
      fresh.map((t) => ({ ...t.state, store_id: t.storeId, owner_user_id: run.owner_user_id, status: 'active' as const }) as CustomerRow),
      { transaction: tx },
    );
    created.forEach((row, index) => {
      const target = fresh[index];
      if (target) target.id = Number(row.get('id'));
    });
  }
  for (const target of existingTargets.values()) {
    const changes = Object.fromEntries(snapshotKeys.filter((k) => target.before?.[k] !== target.state[k]).map((k) => [k, target.state[k]]));
    if (Object.keys(changes).length) await models.Customer.update(changes, { where: { id: target.id as number }, transaction: tx });
  }
  const touched = [...new Set([...targets.values(), ...existingTargets.values()])];
  const tagLinks = touched.flatMap((t) => [...t.tagIds].map((tagId) => ({ customer_id: t.id as number, tag_id: tagId, wecom_userid: '', created_at: new Date() })));
  if (tagLinks.length) await models.CustomerTag.bulkCreate(tagLinks, { transaction: tx, ignoreDuplicates: true });
  const notes = touched.flatMap((t) => [...t.remarks].map((body) => ({ customer_id: t.id as number, author_user_id: run.created_by, body })));
  if (notes.length) await models.CustomerNote.bulkCreate(notes, { transaction: tx });

  const entries: TimelineEntry[] = outcomes.map(({ row, target, action, fields }) => ({
    customerId: target.id as number,
    storeId: target.storeId,
    kind: 'customer.imported',
    summary: `${action === 'created' ? '导入新建' : '导入更新'}：${run.file_name} 第 ${row.rowNo} 行`,
    payload: { importId: Number(run.id), rowNo: row.rowNo, action, fields },
    actorUserId: run.created_by,
    dedupeKey: `import:${run.id}:${row.rowNo}`,
  }));
  await timeline.record(entries, tx);

  counts.failed = new Set(problems.map((p) => p.rowNo)).size;
  if (problems.length) {
    await models.CustomerImportError.bulkCreate(
      problems.map((p) => ({ import_id: Number(run.id), row_no: p.rowNo, column_name: p.column?.slice(0, 64) ?? null, value: p.value?.slice(0, 255) ?? null, reason: p.code })),
      { transaction: tx },
    );
  }
  return counts;
}
