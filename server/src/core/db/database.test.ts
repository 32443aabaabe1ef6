import { createLogger } from '../logger';
import { createTestDatabase } from '../../testing/test-database';
import { createDatabase } from './database';
import { driverExecute } from './driver-execute';

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

  it("let a driver write wait while another process holds the write lock, as the ORM's statements do", async () => {
    const target = await createTestDatabase('sqlite:');
    // Two databases on one file stand for two processes (an instance and a worker) sharing it.
    const [holder, writer] = [createDatabase(target.url, createLogger('silent')), createDatabase(target.url, createLogger('silent'))];
    try {
      await holder.sequelize.query('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = holder.transaction(async (tx) => {
        await holder.sequelize.query("INSERT INTO notes (body) VALUES ('held')", { transaction: tx });
        locked();
        await released;
      });
      await isLocked;
      const written = driverExecute(writer.sequelize, 'INSERT INTO notes (body) VALUES (?)', ['waited']);
      // The other process keeps its lock longer than the driver's own wait for a lock (1 s).
      setTimeout(release, 1300);
      await holding;
      expect((await written).affectedRows).toBe(1);
      const [rows] = await writer.sequelize.query('SELECT body FROM notes ORDER BY id');
      expect(rows).toEqual([{ body: 'held' }, { body: 'waited' }]);
    } finally {
      await Promise.all([holder.close(), writer.close()]);
      await target.drop();
    }
  });
});
