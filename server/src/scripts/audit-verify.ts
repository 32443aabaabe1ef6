import { createAuditService } from '../modules/audit/audit.service';
import { scriptContext } from './script-context';

/** `npm run audit:verify`: exits 0 when the audit chain is intact, 1 (with what broke) when it is not. */
async function main() {
  const { db, models } = scriptContext();
  try {
    const result = await createAuditService({ db, models }).verify();
    if (result.ok) {
      process.stdout.write(`audit trail intact: ${result.checked} entries verified\n`);
      return 0;
    }
    process.stdout.write(`AUDIT TRAIL TAMPERED: ${result.problems.length} problem(s), first at entry #${result.firstBadSeq}\n`);
    for (const problem of result.problems.slice(0, 50)) process.stdout.write(`  #${problem.seq}: ${problem.problem}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
