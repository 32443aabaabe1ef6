import { DataTypes, Op, type Model, type ModelStatic } from 'sequelize';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { createLogger } from '../logger';
import { createDatabase, type Database } from './database';
import { findPage } from './find-page';

/** Pages of a list say how many rows match in all, and count them only when the page cannot tell. */
describe('pages of rows with their total', () => {
  let target: TestDatabase;
  let db: Database;
  let Note: ModelStatic<Model<{ id: number; topic: string }, { topic: string }>>;
  let query: jest.SpyInstance;

  beforeAll(async () => {
    target = await createTestDatabase();
    db = createDatabase(target.url, createLogger('silent'));
    Note = db.sequelize.define('page_note', { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, topic: DataTypes.STRING(20) }, { tableName: 'page_notes', timestamps: false });
    await Note.sync();
    // 25 notes on "a", 3 on "b".
    await Note.bulkCreate([...Array.from({ length: 25 }, () => ({ topic: 'a' })), ...Array.from({ length: 3 }, () => ({ topic: 'b' }))]);
    query = jest.spyOn(db.sequelize, 'query');
  });
  beforeEach(() => query.mockClear());
  afterAll(async () => {
    query.mockRestore();
    await db.close();
    await target.drop();
  });

  const statements = () => query.mock.calls.map(([sql]) => String(sql));
  const counted = () => statements().filter((sql) => /count\(/i.test(sql)).length;

  // [what, topics asked for, offset, limit, rows on the page, total, whether it was counted]
  it.each([
    ['takes the total from a first page that holds every match, with one statement', ['b'], 0, 10, 3, 3, false],
    ['takes the total from a last page: what it skipped and what it holds', ['a'], 20, 10, 5, 25, false],
    ['counts the matches, and only them, behind a full page', ['a'], 0, 10, 10, 25, true],
    ['counts behind a page past the end, which cannot tell where the rows ended', ['b'], 10, 10, 0, 3, true],
    ['says none match from an empty first page', ['c', 'd'], 0, 10, 0, 0, false],
  ] as const)('%s', async (_what, topics, offset, limit, rowsOnPage, total, isCounted) => {
    const found = await findPage(Note, { where: { topic: { [Op.in]: [...topics] } }, order: [['id', 'ASC']], offset, limit, raw: true });
    expect(found.rows).toHaveLength(rowsOnPage);
    expect(found.count).toBe(total);
    expect(counted()).toBe(isCounted ? 1 : 0);
    expect(statements()).toHaveLength(isCounted ? 2 : 1);
  });
});
