import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createSandbox } from './sandbox';

/**
 * Runs the WeCom sandbox alone:
 *   npx tsx wecom-adapter/src/sandbox/main.ts --port 4100 --employees 50 --customers 100000 --seed 42 \
 *     --callback-url http://127.0.0.1:3000/wecom/callback --token TOKEN --aes-key 43-CHAR-KEY
 * Every flag also reads an env var: WECOM_SANDBOX_PORT, _HOST, _CORP_ID, _AGENT_ID, _EMPLOYEES, _CUSTOMERS,
 * _DEPARTMENTS, _SEED, _CALLBACK_URL, _TOKEN, _AES_KEY, _CONTACT_SECRET, _CUSTOMER_SECRET, _AGENT_SECRET, _QUOTA.
 */
const flags = ['port', 'host', 'corp-id', 'agent-id', 'employees', 'customers', 'departments', 'seed', 'callback-url', 'token', 'aes-key', 'contact-secret', 'customer-secret', 'agent-secret', 'quota'] as const;

const { values } = parseArgs({ options: Object.fromEntries(flags.map((f) => [f, { type: 'string' }])), strict: true });
const read = (flag: (typeof flags)[number]) => (values[flag] as string | undefined) ?? process.env[`WECOM_SANDBOX_${flag.toUpperCase().replace(/-/g, '_')}`];

const schema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(4100),
    host: z.string().default('127.0.0.1'),
    corpId: z.string().default('ww_sandbox_demo'),
    agentId: z.coerce.number().int().default(1000002),
    employees: z.coerce.number().int().min(0).default(50),
    customers: z.coerce.number().int().min(0).default(1000),
    departments: z.coerce.number().int().min(1).optional(),
    seed: z.coerce.number().int().default(42),
    callbackUrl: z.url().optional(),
    token: z.string().min(1).optional(),
    aesKey: z.string().length(43).optional(),
    contactSecret: z.string().optional(),
    customerSecret: z.string().optional(),
    agentSecret: z.string().optional(),
    quota: z.coerce.number().int().min(1).optional(),
  })
  .refine((v) => !v.callbackUrl || (v.token && v.aesKey), { message: '--callback-url needs --token and --aes-key (43 characters)' });

const parsed = schema.safeParse({
  port: read('port'),
  host: read('host'),
  corpId: read('corp-id'),
  agentId: read('agent-id'),
  employees: read('employees'),
  customers: read('customers'),
  departments: read('departments'),
  seed: read('seed'),
  callbackUrl: read('callback-url'),
  token: read('token'),
  aesKey: read('aes-key'),
  contactSecret: read('contact-secret'),
  customerSecret: read('customer-secret'),
  agentSecret: read('agent-secret'),
  quota: read('quota'),
});
if (!parsed.success) {
  process.stderr.write(`${z.prettifyError(parsed.error)}\n`);
  process.exit(2);
}
const config = parsed.data;

async function main() {
  const started = Date.now();
  const secrets = {
    contact: config.contactSecret ?? `sandbox-contact-secret-${config.seed}`,
    customer: config.customerSecret ?? `sandbox-customer-secret-${config.seed}`,
    agent: config.agentSecret ?? `sandbox-agent-secret-${config.seed}`,
  };
  const sandbox = createSandbox({
    corpId: config.corpId,
    agentId: config.agentId,
    secrets,
    quotaPerMinute: config.quota,
    callback: config.callbackUrl && config.token && config.aesKey ? { url: config.callbackUrl, token: config.token, encodingAesKey: config.aesKey } : undefined,
    seed: { employees: config.employees, customers: config.customers, departments: config.departments, seed: config.seed },
  });
  const { url } = await sandbox.listen(config.port, config.host);
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  process.stdout.write(
    [
      `WeCom sandbox listening on ${url}  (seeded in ${Date.now() - started} ms, heap ${heapMb} MB)`,
      `  API base     ${url}/cgi-bin`,
      `  control page ${url}/__sandbox/`,
      `  corp id      ${config.corpId}`,
      `  agent id     ${config.agentId}`,
      `  secrets      contact=${secrets.contact} customer=${secrets.customer} agent=${secrets.agent}`,
      `  callback     ${config.callbackUrl ?? '(none: set with POST /__sandbox/callback)'}`,
      `  seeded       ${JSON.stringify(sandbox.state.summary())}`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
