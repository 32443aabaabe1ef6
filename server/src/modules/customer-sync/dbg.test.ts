import { startTestServer } from '../../testing/test-server';
it('dbg', async () => {
  const server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
  const { models } = server.running.services;
  try {
    await models.Customer.bulkCreate([{ external_userid: 'wmx', name: 'x', status: 'active', search_text: 'x', added_at: new Date(), store_id: null } as never]);
  } catch (e) { console.log('ERR', (e as Error).message); }
  const [r] = await server.running.services.db.sequelize.query("SHOW CREATE TABLE customers");
  console.log(JSON.stringify(r));
  await server.stop();
}, 60000);
