/** Scale-out suites need several processes on one database server and Redis; SQLite is one process. */
export const onSharedServers = Boolean(process.env.DB_URL?.startsWith('mysql') && process.env.REDIS_URL);

/** `describe` on MySQL/MariaDB + Redis, a skip with the reason printed otherwise. */
export function scaleSuite(name: string, body: () => void): void {
  if (!onSharedServers) process.stderr.write(`${name}: skipped, set DB_URL=mysql://… and REDIS_URL=redis://… to run it\n`);
  (onSharedServers ? describe : describe.skip)(name, body);
}

/** Prints what a test injected and what it checked, one line, so a CI log shows the numbers. */
export function report(test: string, facts: Record<string, unknown>): void {
  process.stderr.write(`[scale] ${test}: ${Object.entries(facts).map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(' ')}\n`);
}
