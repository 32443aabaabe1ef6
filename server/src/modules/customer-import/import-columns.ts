import type { CustomerFieldDefRow } from '../customers/customer-store.models';

/** The columns an import file may have besides custom fields. */
export const standardFields = ['name', 'phone', 'address', 'storeCode', 'stage', 'tags', 'remark', 'externalId'] as const;
export type StandardField = (typeof standardFields)[number];

/** Header spellings per field, compared after `normalizeHeader`. The first of each language is the template's. */
export const headerNames: Record<StandardField, { 'zh-CN': string; 'en-US': string; aliases: string[] }> = {
  name: { 'zh-CN': '姓名', 'en-US': 'Name', aliases: ['客户姓名', '客户名称', '名称', 'customer name'] },
  phone: { 'zh-CN': '手机号', 'en-US': 'Phone', aliases: ['手机', '手机号码', '电话', '联系电话', 'mobile', 'phone number'] },
  address: { 'zh-CN': '地址', 'en-US': 'Address', aliases: ['联系地址', '详细地址'] },
  storeCode: { 'zh-CN': '门店编码', 'en-US': 'Store code', aliases: ['门店代码', '门店', 'store', 'storecode', 'store_code'] },
  stage: { 'zh-CN': '阶段', 'en-US': 'Stage', aliases: ['客户阶段', '生命周期', 'lifecycle stage'] },
  tags: { 'zh-CN': '标签', 'en-US': 'Tags', aliases: ['客户标签', 'tag'] },
  remark: { 'zh-CN': '备注', 'en-US': 'Remark', aliases: ['说明', 'note', 'notes', 'remarks'] },
  externalId: { 'zh-CN': '外部联系人ID', 'en-US': 'External ID', aliases: ['外部联系人id', '外部id', 'external_userid', 'external userid', 'externalid', 'external_id'] },
};

/** "姓名 *", " Phone (必填) " and "STORE CODE" compare as "姓名", "phone", "store code". */
export function normalizeHeader(header: string): string {
  return header
    .replace(/[（(【[].*?[）)】\]]/g, '')
    .replace(/[*＊:：]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const lookup = new Map<string, StandardField>();
for (const field of standardFields) {
  const names = headerNames[field];
  for (const name of [names['zh-CN'], names['en-US'], field, ...names.aliases]) lookup.set(normalizeHeader(name), field);
}

export interface ColumnMap {
  /** Column index of each standard field present. */
  standard: Partial<Record<StandardField, number>>;
  custom: Array<{ index: number; def: CustomerFieldDefRow }>;
  /** The header text of each column, for error reports. */
  labels: string[];
  /** Headers that match nothing; their columns are not read. */
  ignored: string[];
}

export interface HeaderProblem {
  column: string;
  message: string;
}

/**
 * Maps a header row onto customer fields: Chinese or English names of the standard columns, and
 * custom fields by label or key. Returns the problems that make the file unusable (no name column,
 * a field given twice).
 */
export function mapColumns(header: string[], fieldDefs: CustomerFieldDefRow[]): { map: ColumnMap; problems: HeaderProblem[] } {
  const map: ColumnMap = { standard: {}, custom: [], labels: header.map((h) => h.trim()), ignored: [] };
  const problems: HeaderProblem[] = [];
  const customByName = new Map<string, CustomerFieldDefRow>();
  for (const def of fieldDefs) {
    customByName.set(normalizeHeader(def.label), def);
    customByName.set(normalizeHeader(def.field_key), def);
  }
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const normalized = normalizeHeader(raw);
    if (!normalized) return;
    const field = lookup.get(normalized);
    const def = field ? undefined : customByName.get(normalized);
    const key = field ?? (def ? `custom:${def.field_key}` : null);
    if (!key) {
      map.ignored.push(raw.trim());
      return;
    }
    if (seen.has(key)) {
      problems.push({ column: raw.trim(), message: 'this field has more than one column' });
      return;
    }
    seen.add(key);
    if (field) map.standard[field] = index;
    else if (def) map.custom.push({ index, def });
  });
  if (map.standard.name === undefined) problems.push({ column: '姓名/name', message: 'the file needs a name column (姓名 or name)' });
  return { map, problems };
}
