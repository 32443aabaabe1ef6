import { benchCallbacks } from './callbacks.bench';
import { benchSync } from './sync.bench';
import { benchCustomers } from './customers.bench';
import { benchImport } from './import.bench';
import { benchWorkOrders } from './workorders.bench';
import { benchSettlement } from './settlement.bench';
import { benchArchive } from './archive.bench';
import { benchOrders } from './orders.bench';
import { benchWelcome } from './welcome.bench';
import { benchDormant } from './dormant.bench';
import { benchScaleout } from './scaleout.bench';
import { benchAll } from './all.bench';

/** `npm run bench -- NAME`: runs one benchmark; its last line of output is one JSON object. */
const benches: Record<string, () => Promise<Record<string, unknown>>> = { callbacks: benchCallbacks, customers: benchCustomers, import: benchImport, sync: benchSync, workorders: benchWorkOrders, settlement: benchSettlement, archive: benchArchive, orders: benchOrders, welcome: benchWelcome, dormant: benchDormant, scaleout: benchScaleout, all: benchAll };

async function main() {
  const name = process.argv[2];
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}>\n`);
    process.exit(2);
  }
  const result = await bench();
  process.stdout.write(`${JSON.stringify({ bench: name, ...result })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
