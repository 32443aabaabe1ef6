import { resolve } from 'node:path';
import { Op } from 'sequelize';
import { startTestServer, type TestServer } from '../../testing/test-server';

export const testPluginPath = (name: string) => resolve(__dirname, 'test-plugins', `${name}.plugin.ts`);

/** A server loading only the named test plugins, with short time limits and no background worker (tests drain). */
export function startPluginTestServer(plugins: string[], env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    env: {
      PLUGIN_DISCOVERY: 'false',
      PLUGIN_PATHS: plugins.map(testPluginPath).join(','),
      PLUGIN_HOOK_TIMEOUT_MS: '300',
      PLUGIN_FILTER_TIMEOUT_MS: '300',
      PLUGIN_DELIVERY_ATTEMPTS: '2',
      JOB_WORKER_ENABLED: 'false',
      ...env,
    },
  });
}

/** Runs every plugin job to its end, bringing retries waiting on their backoff forward. */
export async function drainPlugins(server: TestServer): Promise<void> {
  const { queue, models } = server.running.services;
  for (let round = 0; round < 20; round += 1) {
    await queue.drain();
    const [waiting] = await models.Job.update({ run_at: new Date() }, { where: { status: 'pending', type: { [Op.like]: 'plugin.%' } } });
    if (!waiting) return;
  }
  throw new Error('plugin jobs did not settle');
}
