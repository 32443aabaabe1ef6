import { runProcess } from './process-runner';
import { startServer } from './server';
import { startArchiveSandbox } from './modules/chat-archive/archive-sandbox';
import { startSandboxDemoOrders } from './seed/demo-orders';

runProcess(async (config) => {
  const running = await startServer(config);
  const { log } = running.services;
  const { prepared } = running;
  const lines = [
    '',
    `  Weave SCRM is running: ${running.url}`,
    `  API: ${running.url}/api   OpenAPI: ${running.url}/api/openapi.json`,
    `  Storage: ${config.dbDialect === 'sqlite' ? config.DB_URL : 'MySQL/MariaDB'}   Cache: ${config.REDIS_URL ? 'Redis' : 'in-process'}`,
  ];
  if (running.sandbox) {
    lines.push(`  WeCom: sandbox corp ${running.sandbox.corpId} at ${running.sandbox.url} (control page ${running.sandbox.url}/__sandbox/) — set WECOM_CORP_ID to use a real corp`);
  }
  if (prepared.generatedAdminPassword) lines.push(`  Sign in as admin / ${prepared.generatedAdminPassword}   (shown once: change it after signing in)`);
  else lines.push('  Sign in as admin with the password set on first start (ADMIN_PASSWORD).');
  if (prepared.demo.seeded) {
    lines.push(`  Demo users ${prepared.demo.usernames.join(', ')} share the password ${prepared.demo.password ?? '(DEMO_PASSWORD)'}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  log.info({ url: running.url, instanceId: running.services.instanceId, migrated: prepared.migrated }, 'server started');
  // Sandbox mode: the chat archive runs too, on the Finance SDK stand-in with generated conversations,
  // and, with the demo organisation, shop orders from simulated platforms and an ERP.
  const archive = running.sandbox ? await startArchiveSandbox(running.services, { corpId: running.sandbox.corpId, pairs: running.sandbox.followPairs() }) : null;
  const demoOrders = running.sandbox ? await startSandboxDemoOrders(running.services, running.url) : null;

  return { log, stop: async () => (await demoOrders?.close(), await archive?.stop(), await running.stop()) };
});
