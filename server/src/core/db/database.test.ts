import { createLogger } from '../logger';
import { createTestDatabase } from '../../testing/test-database';
import { createDatabase } from './database';

describe('embedded SQLite connections', () => {
  it('use write-ahead logging and wait on a busy database instead of failing', async () => {
    const target = await createTestDatabase('sqlite:');
    const db = createDatabase(target.url, createLogger('silent'));
    try {
      const [mode] = await db.sequelize.query('PRAGMA journal_mode');
      const [timeout] = await db.sequelize.query('PRAGMA busy_timeout');
      expect(mode).toEqual([{ journal_mode: 'wal' }]);
      expect(timeout).toEqual([{ timeout: 15000 }]);
    } finally {
      await db.close();
      await target.drop();
    }
  });
});
