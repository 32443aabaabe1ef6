import { maskers } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import type { CustomerFieldDefRow } from '../customers/customer-store.models';
import type { ColumnMap, StandardField } from './import-columns';
import type { CustomerImportRow } from './customer-import.models';
import type { SheetRow } from './import-file-reader';
import type { RowProblemCode } from './import-messages';

/** A valid row: an empty cell is `undefined` (leave the customer's value as it is). */
export interface ParsedRow {
  rowNo: number;
  name: string;
  phone?: string;
  address?: string;
  storeId: number | null;
  stage?: string;
  tagIds: number[];
  remark?: string;
  externalId?: string;
  custom: Record<string, unknown>;
}

export interface RowProblem {
  rowNo: number;
  column: string | null;
  value: string | null;
  code: RowProblemCode;
}

/** What rows are checked against, loaded once per run. */
export interface ImportReference {
  storesByCode: Map<string, number>;
  /** Stores the importer may write to; null means all. */
  scopeStoreIds: Set<number> | null;
  defaultStoreId: number | null;
  stages: Map<string, string>;
  /** Tag ids by name and by "group/name". */
  tags: Map<string, number[]>;
}

const PHONE = /^\+?[\d\s-]{5,20}$/;
const key = (value: string) => value.trim().toLowerCase();

export async function loadImportReference(models: Models, run: CustomerImportRow): Promise<ImportReference> {
  const [stores, stages, groups, tags] = await Promise.all([
    models.Store.findAll({ attributes: ['id', 'code'], raw: true }),
    models.CustomerStage.findAll({ raw: true }),
    models.TagGroup.findAll({ attributes: ['id', 'name'], raw: true }),
    models.Tag.findAll({ attributes: ['id', 'name', 'group_id'], raw: true }),
  ]);
  const stageMap = new Map<string, string>();
  for (const stage of stages) for (const name of [stage.code, stage.name_zh, stage.name_en]) stageMap.set(key(name), stage.code);
  const groupNames = new Map(groups.map((g) => [Number(g.id), g.name]));
  const tagMap = new Map<string, number[]>();
  const add = (name: string, id: number) => tagMap.set(key(name), [...(tagMap.get(key(name)) ?? []), id]);
  for (const tag of tags) {
    add(tag.name, Number(tag.id));
    add(`${groupNames.get(Number(tag.group_id)) ?? ''}/${tag.name}`, Number(tag.id));
  }
  const scope = run.scope_store_ids ? (JSON.parse(run.scope_store_ids) as number[]) : null;
  return {
    storesByCode: new Map(stores.map((s) => [key(s.code), Number(s.id)])),
    scopeStoreIds: scope ? new Set(scope) : null,
    defaultStoreId: run.default_store_id === null ? null : Number(run.default_store_id),
    stages: stageMap,
    tags: tagMap,
  };
}

const isCalendarDate = (value: string) => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
};

/** "2024-03-05", "2024/3/5", an ISO instant or an Excel serial day number → "2024-03-05". */
export function parseDateCell(text: string): string | null {
  if (/^\d{4,5}(\.\d+)?$/.test(text)) {
    const serial = Number(text);
    if (serial < 1 || serial > 2958465) return null;
    return new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
  }
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ].*)?$/.exec(text);
  if (!match) return null;
  const value = `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}`;
  return isCalendarDate(value) ? value : null;
}

const splitList = (text: string) =>
  text
    .split(/[,，;；、]/)
    .map((part) => part.trim())
    .filter(Boolean);

/** The stored value of a custom field cell (same shapes as the customer API), or the problem with it. */
function customValue(def: CustomerFieldDefRow, text: string): { value: unknown } | { code: RowProblemCode } {
  const options = def.options ? (JSON.parse(def.options) as string[]) : [];
  switch (def.field_type) {
    case 'text':
      return text.length > 500 ? { code: 'too_long' } : { value: text };
    case 'number': {
      const value = Number(text.replace(/,/g, ''));
      return Number.isFinite(value) ? { value } : { code: 'invalid_number' };
    }
    case 'date': {
      const value = parseDateCell(text);
      return value ? { value } : { code: 'invalid_date' };
    }
    case 'select':
      return options.includes(text) ? { value: text } : { code: 'invalid_option' };
    case 'multiselect': {
      const values = [...new Set(splitList(text))];
      return values.every((v) => options.includes(v)) ? { value: values } : { code: 'invalid_option' };
    }
    default:
      return { code: 'invalid_option' };
  }
}

/**
 * Checks one data row: required name, phone format, store exists and is in the importer's scope,
 * stage and tags exist, custom field types. Returns the row ready to write, or every problem in it.
 */
export function validateRow(row: SheetRow, columns: ColumnMap, ref: ImportReference): { row: ParsedRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (field: StandardField) => {
    const index = columns.standard[field];
    return index === undefined ? '' : (row.cells[index] ?? '').trim();
  };
  const problem = (field: StandardField | number, value: string, code: RowProblemCode) => {
    const index = typeof field === 'number' ? field : columns.standard[field];
    problems.push({ rowNo: row.rowNo, column: index === undefined ? null : (columns.labels[index] ?? null), value: value.slice(0, 255) || null, code });
  };
  const limited = (field: StandardField, max: number) => {
    const value = cell(field);
    if (value.length > max) {
      problem(field, field === 'address' ? maskers.address(value) : value, 'too_long');
      return undefined;
    }
    return value || undefined;
  };

  const name = cell('name');
  if (!name) problem('name', '', 'required');
  else if (name.length > 128) problem('name', name, 'too_long');

  const phone = cell('phone');
  // Even a malformed number is personal data: the report shows it masked.
  if (phone && !PHONE.test(phone)) problem('phone', maskers.phone(phone), 'invalid_phone');

  const storeCode = cell('storeCode');
  let storeId: number | null = ref.defaultStoreId;
  if (storeCode) {
    const found = ref.storesByCode.get(key(storeCode));
    if (found === undefined) problem('storeCode', storeCode, 'unknown_store');
    else if (ref.scopeStoreIds && !ref.scopeStoreIds.has(found)) problem('storeCode', storeCode, 'store_out_of_scope');
    else storeId = found;
  } else if (ref.scopeStoreIds && storeId === null) {
    problem('storeCode', '', 'store_required');
  }

  const stageText = cell('stage');
  const stage = stageText ? ref.stages.get(key(stageText)) : undefined;
  if (stageText && !stage) problem('stage', stageText, 'unknown_stage');

  const tagIds: number[] = [];
  for (const tagName of splitList(cell('tags'))) {
    const ids = ref.tags.get(key(tagName));
    if (!ids) problem('tags', tagName, 'unknown_tag');
    else if (ids.length > 1) problem('tags', tagName, 'ambiguous_tag');
    else if (ids[0] !== undefined && !tagIds.includes(ids[0])) tagIds.push(ids[0]);
  }

  const custom: Record<string, unknown> = {};
  for (const { index, def } of columns.custom) {
    const text = (row.cells[index] ?? '').trim();
    if (!text) continue;
    const result = customValue(def, text);
    if ('code' in result) problem(index, text, result.code);
    else custom[def.field_key] = result.value;
  }

  const address = limited('address', 255);
  const remark = limited('remark', 1000);
  const externalId = limited('externalId', 64);
  if (problems.length) return { problems };
  return {
    row: {
      rowNo: row.rowNo,
      name,
      ...(phone && { phone }),
      ...(address && { address }),
      storeId,
      ...(stage && { stage }),
      tagIds,
      ...(remark && { remark }),
      ...(externalId && { externalId }),
      custom,
    },
  };
}
