import type { Models } from '../core/db/models';
import type { TestServer } from '../testing/test-server';

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/stores/{id}`. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
  hasBody: boolean;
  isPublic: boolean;
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  security?: unknown[];
}

/** Every operation of the server's own OpenAPI document. */
export async function operationsOf(server: TestServer): Promise<Operation[]> {
  const doc = await server.api<{ paths: Record<string, Record<string, OpenApiOperation>> }>('GET', '/api/openapi.json');
  return Object.entries(doc.body.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      bodyFields: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
      hasBody: method !== 'get' && method !== 'delete',
      isPublic: Array.isArray(op.security) && op.security.length === 0,
    })),
  );
}

/** Row counts of every table, in one query: what a refused request must leave as it was. */
export function rowCounter(models: Models) {
  const sequelize = Object.values(models)[0]?.sequelize;
  if (!sequelize) throw new Error('no models');
  const tables = [...new Set(Object.values(models).map((model) => String(model.getTableName())))];
  const q = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);
  const sql = `SELECT ${tables.map((table) => `(SELECT COUNT(*) FROM ${q(table)}) AS ${q(table)}`).join(', ')}`;
  return async (): Promise<Record<string, number>> => {
    const [row] = await sequelize.query<Record<string, number | string>>(sql, { type: 'SELECT' as never, raw: true });
    return Object.fromEntries(Object.entries(row ?? {}).map(([table, count]) => [table, Number(count)]));
  };
}

export const changedTables = (before: Record<string, number>, after: Record<string, number>) =>
  Object.keys(after).filter((table) => before[table] !== after[table]).map((table) => `${table} ${before[table]}→${after[table]}`);

/** What the suite sent and saw, for its closing summary line. */
export function tally() {
  const statuses = new Map<number, number>();
  const kinds = new Map<string, number>();
  let sent = 0;
  return {
    add(status: number, kind: string) {
      sent += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    },
    get sent() {
      return sent;
    },
    summary(label: string, extra = '') {
      const sortedStatuses = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
      const sortedKinds = [...kinds].sort(([, a], [, b]) => b - a).map(([kind, count]) => `${kind}×${count}`);
      return `${label}: ${sent} requests; statuses ${sortedStatuses.join(' ')}; inputs ${sortedKinds.join(', ')}${extra}`;
    },
  };
}
