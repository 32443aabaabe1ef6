import { Op, type Transaction } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import { customerScope, type CustomerRow } from './customer.model';
import type { TimelineWriter } from './customer-timeline';
import type { EventEmitter } from '../plugins/outbox';

/** What the customer-360 services are built from. */
export interface Customer360Deps {
  db: Database;
  models: Models;
  audit: AuditService;
  timeline: TimelineWriter;
  phone: PiiField;
  address: PiiField;
  /** The follow relation's remark mobiles: an encrypted JSON array. */
  remarkMobiles: PiiField;
  /** The outbox: `customer.stageChanged` after a stage move commits. */
  events?: EventEmitter;
}

export const scopedCustomers = (models: Models) => scopedQuery<CustomerRow>(models.Customer, customerScope, 'customer');

export const iso = (value: Date | string | null | undefined): string | null => (value ? new Date(value).toISOString() : null);
export const toId = (value: number | string | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

/** Display names of employees, by WeCom userid. */
export async function userNamesByWecomId(models: Models, wecomUserids: Array<string | null>, tx?: Transaction): Promise<Map<string, { id: number; name: string }>> {
  const wanted = [...new Set(wecomUserids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await models.User.findAll({ where: { wecom_userid: { [Op.in]: wanted } }, attributes: ['id', 'display_name', 'username', 'wecom_userid'], raw: true, transaction: tx });
  return new Map(rows.map((u) => [String(u.wecom_userid), { id: Number(u.id), name: u.display_name || u.username }]));
}

/** Custom field values as stored (a JSON object by field key). */
export function parseCustomFields(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The remark mobiles of a follow relation: a JSON array, or one number for rows written by hand. */
export function openRemarkMobiles(field: PiiField, row: Record<string, unknown>): string[] {
  let plain: string | null;
  try {
    plain = field.open(row);
  } catch {
    return [];
  }
  if (!plain) return [];
  try {
    const parsed: unknown = JSON.parse(plain);
    if (Array.isArray(parsed)) return parsed.map(String).filter(Boolean);
  } catch {
    // a single number rather than a JSON array
  }
  return [plain];
}
