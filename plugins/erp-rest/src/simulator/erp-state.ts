export type StockSeed = Record<string, Record<string, number>>;

export interface SimulatorFields {
  sku: string;
  quantity: string;
  warehouse: string;
  available: string;
  lines: string;
  reference: string;
  id: string;
  from: string;
  to: string;
}

const defaultFields: SimulatorFields = { sku: 'sku', quantity: 'quantity', warehouse: 'warehouse', available: 'available', lines: 'lines', reference: 'reference', id: 'id', from: 'from', to: 'to' };

interface Line {
  sku: string;
  quantity: number;
}

interface Reservation {
  id: string;
  reference: string;
  warehouse: string;
  lines: Line[];
  status: 'reserved' | 'released';
}

type Reply = [number, Record<string, unknown>];

/** The simulator's books: on-hand and reserved stock per warehouse and part, reservations, transfers. */
export function erpState(seed: StockSeed, fieldNames: Partial<SimulatorFields> = {}) {
  const fields: SimulatorFields = { ...defaultFields, ...fieldNames };
  const onHand = new Map<string, number>();
  const reserved = new Map<string, number>();
  const reservations = new Map<string, Reservation>();
  const transfers = new Map<string, { id: string; from: string; to: string; lines: Line[] }>();
  let sequence = 0;
  const keyOf = (warehouse: string, sku: string) => `${warehouse}\u0000${sku}`;
  const get = (map: Map<string, number>, warehouse: string, sku: string) => map.get(keyOf(warehouse, sku)) ?? 0;
  const add = (map: Map<string, number>, warehouse: string, sku: string, delta: number) => map.set(keyOf(warehouse, sku), get(map, warehouse, sku) + delta);
  const available = (warehouse: string, sku: string) => get(onHand, warehouse, sku) - get(reserved, warehouse, sku);
  for (const [warehouse, parts] of Object.entries(seed)) for (const [sku, quantity] of Object.entries(parts)) add(onHand, warehouse, sku, quantity);

  function linesOf(body: Record<string, unknown>): Line[] {
    const raw = body[fields.lines];
    if (!Array.isArray(raw) || !raw.length) throw new Error(`${fields.lines} must be a non-empty array`);
    return raw.map((line: Record<string, unknown>) => {
      const sku = line[fields.sku];
      const quantity = line[fields.quantity];
      if (typeof sku !== 'string' || typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity <= 0) throw new Error(`each line needs ${fields.sku} and a positive ${fields.quantity}`);
      return { sku, quantity };
    });
  }
  const text = (body: Record<string, unknown>, name: string) => {
    const value = body[name];
    if (typeof value !== 'string' || !value) throw new Error(`${name} is required`);
    return value;
  };
  const short = (warehouse: string, lines: Line[]) => lines.find((line) => available(warehouse, line.sku) < line.quantity);
  const present = (r: Reservation) => ({ [fields.id]: r.id, [fields.reference]: r.reference, [fields.warehouse]: r.warehouse, status: r.status });

  return {
    fields,
    available,
    onHand: (warehouse: string, sku: string) => get(onHand, warehouse, sku),
    reservations: () => [...reservations.values()],
    /** Goods received into a warehouse (tests and the demo's control). */
    receive(warehouse: string, sku: string, quantity: number): void {
      add(onHand, warehouse, sku, quantity);
    },

    stockOf(warehouse: string, sku: string): Record<string, unknown> {
      return { [fields.sku]: sku, [fields.warehouse]: warehouse, onHand: get(onHand, warehouse, sku), reserved: get(reserved, warehouse, sku), [fields.available]: available(warehouse, sku) };
    },

    /** A repeat of a reference answers the first reservation (200) and reserves nothing more. */
    reserve(body: Record<string, unknown>): Reply {
      const reference = text(body, fields.reference);
      const existing = [...reservations.values()].find((r) => r.reference === reference);
      if (existing) return [200, present(existing)];
      const warehouse = text(body, fields.warehouse);
      const lines = linesOf(body);
      const missing = short(warehouse, lines);
      if (missing) return [409, { error: 'insufficient_stock', [fields.sku]: missing.sku, [fields.available]: available(warehouse, missing.sku) }];
      const reservation: Reservation = { id: `RSV${String((sequence += 1)).padStart(6, '0')}`, reference, warehouse, lines, status: 'reserved' };
      for (const line of lines) add(reserved, warehouse, line.sku, line.quantity);
      reservations.set(reservation.id, reservation);
      return [201, present(reservation)];
    },

    /** Releasing twice is harmless. */
    release(id: string): Reply {
      const reservation = reservations.get(id);
      if (!reservation) return [404, { error: `reservation ${id} not found` }];
      if (reservation.status === 'reserved') {
        for (const line of reservation.lines) add(reserved, reservation.warehouse, line.sku, -line.quantity);
        reservation.status = 'released';
      }
      return [200, present(reservation)];
    },

    transfer(body: Record<string, unknown>): Reply {
      const reference = text(body, fields.reference);
      const existing = transfers.get(reference);
      if (existing) return [200, { [fields.id]: existing.id, status: 'done' }];
      const from = text(body, fields.from);
      const to = text(body, fields.to);
      const lines = linesOf(body);
      const missing = short(from, lines);
      if (missing) return [409, { error: 'insufficient_stock', [fields.sku]: missing.sku, [fields.available]: available(from, missing.sku) }];
      for (const line of lines) {
        add(onHand, from, line.sku, -line.quantity);
        add(onHand, to, line.sku, line.quantity);
      }
      const id = `TRF${String((sequence += 1)).padStart(6, '0')}`;
      transfers.set(reference, { id, from, to, lines });
      return [201, { [fields.id]: id, status: 'done' }];
    },
  };
}
