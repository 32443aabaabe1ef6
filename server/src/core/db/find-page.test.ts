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

  const page = (topic: string, offset: number, limit: number) => findPage(Note, { where: { topic }, order: [['id', 'ASC']], offset, limit, raw: true });
  const statements = () => query.mock.calls.map(([sql]) => String(sql));
  const counted = () => statements().filter((sql) => /count\(/i.test(sql)).length;

  it('takes the total from a first page that holds every match, with one statement', async () => {
    const found = await page('b', 0, 10);
    expect(found.rows).toHaveLength(3);
    expect(found.count).toBe(3);
    expect(statements()).toHaveLength(1);
  });

  it('takes the total from a last page: what it skipped and what it holds', async () => {
    const found = await page('a', 20, 10);
    expect(found.rows).toHaveLength(5);
    expect(found.count).toBe(25);
    expect(counted()).toBe(0);
  });

  it('counts the matches, and only them, behind a full page', async () => {
    const found = await page('a', 0, 10);
    expect(found.rows).toHaveLength(10);
    expect(found.count).toBe(25);
    expect(counted()).toBe(1);
  });

  it('counts behind a page past the end, which cannot tell where the rows ended', async () => {
    const found = await page('b', 10, 10);
    expect(found.rows).toEqual([]);
    expect(found.count).toBe(3);
    expect(counted()).toBe(1);
  });

  it('says none match from an empty first page', async () => {
    const found = await findPage(Note, { where: { topic: { [Op.in]: ['c', 'd'] } }, offset: 0, limit: 10, raw: true });
    expect(found).toEqual({ rows: [], count: 0 });
    expect(statements()).toHaveLength(1);
  });
});
