/**
 * How the generic plugin page lays out the JSON a plugin route answers: a list of records (or an
 * object holding one under `items`/`rows`/`data`) becomes a table, a flat record a two-column table,
 * anything else the raw JSON.
 */
export type ViewResult =
  | { kind: 'table'; columns: string[]; rows: Array<Record<string, unknown>> }
  | { kind: 'record'; rows: Array<{ field: string; value: unknown }> }
  | { kind: 'json'; value: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const LIST_KEYS = ['items', 'rows', 'data'];

function tableOf(list: unknown[]): ViewResult {
  if (!list.every(isRecord)) return { kind: 'table', columns: ['value'], rows: list.map((value) => ({ value })) };
  const columns = [...new Set(list.flatMap((row) => Object.keys(row)))];
  return { kind: 'table', columns, rows: list };
}

export function viewResultOf(body: unknown): ViewResult {
  if (Array.isArray(body)) return tableOf(body);
  if (!isRecord(body)) return { kind: 'json', value: body };
  const listKey = LIST_KEYS.find((key) => Array.isArray(body[key]));
  if (listKey) return tableOf(body[listKey] as unknown[]);
  return { kind: 'record', rows: Object.entries(body).map(([field, value]) => ({ field, value })) };
}

/** One cell: text as is, other values as compact JSON. */
export const cellText = (value: unknown): string => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));
