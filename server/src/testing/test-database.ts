import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test: a new SQLite file by default, or a new database on the
 * MySQL/MariaDB server named by DB_URL when the suite runs against one.
 */
export async function createTestDatabase(baseUrl = process.env.DB_URL): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scrm-test-'));
  if (!baseUrl || baseUrl.startsWith('sqlite:')) {
    return { url: `sqlite:${join(dataDir, 'scrm.sqlite')}`, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const server = new URL(baseUrl.replace(/^mariadb:/, 'mysql:'));
  const name = `scrm_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = async <T>(work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>) => {
    const connection = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
    try {
      return await work(connection);
    } finally {
      await connection.end();
    }
  };
  await admin((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    dataDir,
    drop: async () => {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
