import type { PartLine } from './erp-client';

interface OrderPart {
  sku?: string;
  name: string;
  quantity: number;
}

/**
 * The parts a node works with: the ones its settings name, else the order's parts. Lines without a
 * part code cannot be reserved and are reported; the same code twice is one line.
 */
export function partLines(configured: PartLine[] | undefined, orderParts: OrderPart[]): { lines: PartLine[]; unknown: string[] } {
  const source: OrderPart[] = configured?.length ? configured.map((p) => ({ ...p, name: p.sku })) : orderParts;
  const bySku = new Map<string, number>();
  const unknown: string[] = [];
  for (const part of source) {
    if (!part.sku) {
      unknown.push(part.name);
      continue;
    }
    bySku.set(part.sku, (bySku.get(part.sku) ?? 0) + part.quantity);
  }
  return { lines: [...bySku].map(([sku, quantity]) => ({ sku, quantity })), unknown };
}
