import { startTestServer, type TestServer } from '../../../../server/src/testing/test-server';
import { acOrderRule, orderKit } from '../../../../server/src/modules/orders/order-test-kit';
import { publishInstallFlow } from '../../../../server/src/modules/settlement/settlement-test-kit';

/**
 * A real server with one connector plugin enabled and configured, stores placed on the map and an
 * "air conditioner → installation in the nearest store" rule: what every connector test starts from.
 */
export async function startConnectorServer(plugin: string, settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const server: TestServer = await startTestServer({ env });
  const admin = await server.login('admin');
  const saved = await server.api('PUT', `/api/system/plugins/${plugin}/settings`, { token: admin, body: { settings } });
  if (saved.status !== 200) throw new Error(`settings: ${saved.status} ${JSON.stringify(saved.body)}`);
  const enabled = await server.api('POST', `/api/system/plugins/${plugin}/enable`, { token: admin });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${JSON.stringify(enabled.body)}`);
  await publishInstallFlow(server, admin);
  const kit = orderKit(server);
  await kit.placeStores(admin);
  await kit.addRule(admin, acOrderRule('st_install'));
  const { models } = server.running.services;
  return {
    server,
    admin,
    kit,
    url: (path: string) => `${server.baseUrl}/api/plugins/${plugin}${path}`,
    /** Orders stored for this platform (whatever their state). */
    storedOrders: () => models.Order.findAll({ where: { platform: plugin }, raw: true }),
    /** Deliveries the order inbox holds for this platform (processed or not). */
    storedDeliveries: () => models.OrderInbox.findAll({ where: { platform: plugin }, raw: true }),
  };
}
