import { createSandbox } from './sandbox';
import { TEST_SECRETS } from './sandbox-test-kit';

const build = (seed: number) => createSandbox({ corpId: 'wwseed', agentId: 1, secrets: TEST_SECRETS, seed: { employees: 20, customers: 500, seed } });
const firstCustomers = (sandbox: ReturnType<typeof build>) => [...sandbox.state.customers.customers.values()].slice(0, 5).map((c) => JSON.stringify(c));

describe('sandbox seeding', () => {
  it('builds the same corp from the same seed', () => {
    const a = build(42);
    const b = build(42);
    expect(firstCustomers(a)).toEqual(firstCustomers(b));
    expect([...a.state.directory.employees.keys()]).toEqual([...b.state.directory.employees.keys()]);
    expect(a.state.summary()).toEqual(b.state.summary());
  });

  it('builds a different corp from another seed', () => {
    expect(firstCustomers(build(1))).not.toEqual(firstCustomers(build(2)));
  });

  // How fast is for the sync benchmark to show; here only that a corp of this size is built whole.
  it('seeds a corp of 100k customers, each followed by one of its employees', () => {
    const big = createSandbox({ corpId: 'wwbig', agentId: 1, secrets: TEST_SECRETS, seed: { employees: 50, customers: 100_000, seed: 42 } });
    expect(big.state.customers.customers.size).toBe(100_000);
    const employees = new Set(big.state.directory.activeEmployees().map((e) => e.userid));
    expect(employees.size).toBe(50);
    const unfollowed = [...big.state.customers.customers.values()].filter((c) => !c.follows.some((f) => employees.has(f.userid)));
    expect(unfollowed).toHaveLength(0);
  });
});
