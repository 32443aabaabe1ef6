import { createLogger } from '../logger';
import { createTestDatabase } from '../../testing/test-database';
import { createDatabase } from './database';

describe('embedded SQLite connections', () => {
  it('use write-ahead logging', async () => {
    const target = await createTestDatabase('sqlite:');
    const db = createDatabase(target.url, createLogger('silent'));
    try {
      const [mode] = await db.sequelize.query('PRAGMA journal_mode');
      expect(mode).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await db.close();
      await target.drop();
    }
  });
});
