import { startTestServer, type TestServer } from '../../testing/test-server';
import { createOrder, orderOf, publishFlow, storeIdOf } from './work-order-test-kit';

const LIMIT = 10_000;
const above = (fact: 'order' | 'form', path: string) => ({ fact, path, operator: 'greaterThan', value: LIMIT });
const atMost = (fact: 'order' | 'form', path: string) => ({ fact, path, operator: 'lessThanInclusive', value: LIMIT });
const task = (key: string, edges: unknown[] = [{ to: 'done', priority: 0, isDefault: true }], form?: unknown) => ({ key, name: key, type: 'task', assignee: { strategy: 'role', roleCode: 'technician' }, form, escalations: [], edges });
const branches = (condition: (fact: 'order' | 'form', path: string) => unknown, fact: 'order' | 'form', path: string) => [
  // Listed out of priority order on purpose: priority decides, not position.
  { to: 'small', priority: 2, condition: atMost(fact, path) },
  { to: 'big', priority: 1, condition: condition(fact, path) },
  { to: 'review', priority: 3, isDefault: true },
];

/** On the order's amount when it is created (an automatic routing node), and on a quote entered in a form. */
const byAmount = {
  start: 'route',
  nodes: [{ key: 'route', name: 'route', type: 'auto', automation: { step: 'system.noop', settings: {} }, escalations: [], edges: branches(above, 'order', '$.amountFen') }, task('big'), task('small'), task('review'), { key: 'done', name: 'done', type: 'end', escalations: [], edges: [] }],
};
const byQuote = {
  start: 'quote',
  nodes: [task('quote', branches(above, 'form', '$.quote_fen'), { fields: [{ key: 'quote_fen', label: '报价（分）', type: 'number', required: true }] }), task('big'), task('small'), task('review'), { key: 'done', name: 'done', type: 'end', escalations: [], edges: [] }],
};

describe('edge choice at boundary values, through the order API', () => {
  let server: TestServer;
  let admin: string;
  let sh01: number;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    sh01 = await storeIdOf(server, 'SH01');
    await publishFlow(server, admin, 'wo_edges_amount', byAmount as never);
    await publishFlow(server, admin, 'wo_edges_quote', byQuote as never);
  });
  afterAll(() => server.stop());

  const cases = [
    [LIMIT - 1, 'small'],
    [LIMIT, 'small'],
    [LIMIT + 1, 'big'],
  ] as const;

  it.each(cases)('routes an order of %i fen on creation to exactly one node (%s)', async (amountFen, expected) => {
    const order = await createOrder(server, admin, { flowCode: 'wo_edges_amount', storeId: sh01, amountFen });
    expect(order.currentNodeKey).toBe(expected);
    const { history } = await orderOf(server, admin, order.id);
    expect(history.filter((e) => e.type === 'transitioned').map((e) => e.nodeKey)).toEqual([expected]);
    expect(history.filter((e) => e.type === 'node_entered').map((e) => e.nodeKey)).toEqual(['route', expected]);
  });

  it.each(cases)('moves a task completed with a quote of %i fen to exactly one node (%s)', async (quote_fen, expected) => {
    const order = await createOrder(server, admin, { flowCode: 'wo_edges_quote', storeId: sh01 });
    const done = await server.api<{ data: { currentNodeKey: string } }>('POST', `/api/work-orders/${order.id}/complete`, { token: admin, body: { lockVersion: order.lockVersion, form: { quote_fen } } });
    expect(done.status).toBe(200);
    expect(done.body.data.currentNodeKey).toBe(expected);
    const { history } = await orderOf(server, admin, order.id);
    expect(history.filter((e) => e.type === 'transitioned').map((e) => e.nodeKey)).toEqual([expected]);
    expect(history.filter((e) => e.type === 'node_entered').map((e) => e.nodeKey)).toEqual(['quote', expected]);
  });
});
