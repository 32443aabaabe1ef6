import { Op, UniqueConstraintError } from 'sequelize';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { insertRows, selectRows, updateRows } from './raw-rows';

/** Hot paths write and read through the driver; what they write and read must be what the models would. */
describe('row reads and writes through the driver', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false', SCHEDULER_ENABLED: 'false' } });
  });
  afterAll(() => server.stop());

  const services = () => server.running.services;
  const Job = () => services().models.Job;
  const runAt = new Date('2026-03-01T09:30:15.123Z');
  const job = (label: string) => ({ type: 'raw.test', payload: JSON.stringify({ label }), status: 'pending' as const, attempts: 0, max_attempts: 3, run_at: runAt, dedupe_key: `raw:${label}` });

  it('writes rows the models read back exactly as rows the models wrote', async () => {
    const viaModel = await Job().create(job('model'));
    const { insertId, affectedRows } = await services().db.transaction((tx) => insertRows(Job(), [job('driver')], tx));
    expect(affectedRows).toBe(1);
    const read = async (id: number) => {
      const { id: _id, dedupe_key: _key, payload: _payload, created_at: created, updated_at: updated, ...row } = (await Job().findByPk(id, { raw: true }))!;
      return { row, created, updated };
    };
    const [model, driver] = [await read(Number(viaModel.get('id'))), await read(insertId)];
    expect(driver.row).toEqual(model.row);
    expect(new Date(driver.row.run_at).toISOString()).toBe('2026-03-01T09:30:15.123Z');
    // Timestamps are filled in as the model fills them in: now, in UTC.
    expect(Math.abs(new Date(driver.created).getTime() - Date.now())).toBeLessThan(60_000);
    expect(typeof driver.updated).toBe(typeof model.updated);
  });

  it('reads rows as a raw model query does, under any model condition', async () => {
    const where = { type: 'raw.test', [Op.or]: [{ dedupe_key: ['raw:model', 'raw:driver'] }, { last_error: { [Op.ne]: null } }] };
    const viaDriver = await services().db.transaction((tx) => selectRows(Job(), where, tx, { orderBy: 'id', lock: 'update' }));
    const viaModel = await Job().findAll({ where, order: [['id', 'ASC']], raw: true });
    expect(viaDriver).toHaveLength(2);
    expect(viaDriver).toEqual(viaModel);
    expect(await selectRows(Job(), where, undefined, { orderBy: 'id', limit: 1 })).toEqual(viaModel.slice(0, 1));
  });

  it('keeps question marks and quotes in condition values as values', async () => {
    await services().db.transaction((tx) => insertRows(Job(), [job("what? it's 'quoted'")], tx));
    const found = await selectRows(Job(), { dedupe_key: "raw:what? it's 'quoted'" });
    expect(found.map((row) => row.dedupe_key)).toEqual(["raw:what? it's 'quoted'"]);
  });

  it('updates only rows whose columns match, null meaning IS NULL, and counts them', async () => {
    const [target] = await Job().findAll({ where: { dedupe_key: 'raw:driver' }, raw: true });
    const stale = await services().db.transaction((tx) => updateRows(Job(), { attempts: 1 }, { id: target!.id, attempts: 5 }, tx));
    const applied = await services().db.transaction((tx) => updateRows(Job(), { attempts: 1, locked_by: 'me' }, { id: target!.id, attempts: 0, locked_by: null }, tx));
    expect([stale, applied]).toEqual([0, 1]);
    expect(await Job().findByPk(target!.id, { raw: true })).toMatchObject({ attempts: 1, locked_by: 'me' });
  });

  it('sets updated_at to now unless the update names it, as a model update does', async () => {
    const [target] = await Job().findAll({ where: { dedupe_key: 'raw:driver' }, raw: true });
    const updatedAt = async () => new Date((await Job().findByPk(target!.id, { raw: true }))!.updated_at).getTime();
    await services().db.transaction((tx) => updateRows(Job(), { attempts: 2, updated_at: new Date('2020-01-01T00:00:00.000Z') }, { id: target!.id }, tx));
    expect(await updatedAt()).toBe(Date.parse('2020-01-01T00:00:00.000Z'));
    await services().db.transaction((tx) => updateRows(Job(), { attempts: 3 }, { id: target!.id }, tx));
    expect(Math.abs((await updatedAt()) - Date.now())).toBeLessThan(60_000);
  });

  it('reports a duplicate key as the models do, and a failed statement rolls its transaction back', async () => {
    const before = await Job().count();
    const attempt = services().db.transaction(async (tx) => {
      await insertRows(Job(), [job('first of two')], tx);
      await insertRows(Job(), [job('driver')], tx);
    });
    await expect(attempt).rejects.toBeInstanceOf(UniqueConstraintError);
    expect(await Job().count()).toBe(before);
    expect(await Job().count({ where: { dedupe_key: 'raw:first of two' } })).toBe(0);
  });

  it('skips duplicates when asked, inserting the rest', async () => {
    const { affectedRows } = await services().db.transaction((tx) => insertRows(Job(), [job('driver'), job('third')], tx, { ignoreDuplicates: true }));
    expect(affectedRows).toBe(1);
    expect(await Job().count({ where: { dedupe_key: ['raw:driver', 'raw:third'] } })).toBe(2);
  });
});
