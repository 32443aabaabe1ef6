import { createMigrator, migrateToLatest } from '../core/db/migrator';
import { scriptContext } from './script-context';

const usage = 'usage: npm run migrate [-- up | down [steps] | status]';

/** `npm run migrate`: brings the schema up to date; `down` undoes the newest migration(s). */
async function main(argv: string[]) {
  const [command = 'up', stepsArg] = argv;
  const { db, log } = scriptContext();
  try {
    if (command === 'up') {
      const applied = await migrateToLatest(db, log);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    } else if (command === 'down') {
      const step = Number(stepsArg ?? 1);
      if (!Number.isInteger(step) || step < 1) throw new Error(usage);
      const reverted = await createMigrator(db, log).down({ step });
      process.stdout.write(`reverted: ${reverted.map((m) => m.name).join(', ') || 'nothing'}\n`);
    } else if (command === 'status') {
      const migrator = createMigrator(db, log);
      const executed = (await migrator.executed()).map((m) => m.name);
      const pending = (await migrator.pending()).map((m) => m.name);
      process.stdout.write(`executed: ${executed.join(', ') || 'none'}\npending: ${pending.join(', ') || 'none'}\n`);
    } else {
      throw new Error(usage);
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
