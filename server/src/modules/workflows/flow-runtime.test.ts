import { chooseNextNode } from './flow-runtime';
import { flowNode, type FlowNode } from './flow-definition';

const node = (raw: unknown): FlowNode => flowNode.parse(raw);

const branching = node({
  key: 'review',
  name: '审核',
  type: 'approval',
  assignee: { strategy: 'store_manager' },
  form: { fields: [{ key: 'approved', label: '同意', type: 'boolean' }] },
  edges: [
    { to: 'big', priority: 10, condition: { all: [{ fact: 'order', path: '$.amountFen', operator: 'greaterThanInclusive', value: 100000 }] } },
    { to: 'vip', priority: 20, condition: { any: [{ fact: 'order', path: '$.isVip', operator: 'equal', value: true }, { fact: 'form', path: '$.approved', operator: 'equal', value: true }] } },
    { to: 'normal', priority: 30, isDefault: true },
  ],
});

describe('choosing the next node', () => {
  it('takes exactly one edge at the amountFen >= 100000 boundary: 99999 falls through, 100000 takes the branch', async () => {
    expect(await chooseNextNode(branching, { order: { amountFen: 99_999 }, form: {} })).toBe('normal');
    expect(await chooseNextNode(branching, { order: { amountFen: 100_000 }, form: {} })).toBe('big');
    expect(await chooseNextNode(branching, { order: { amountFen: 100_001 }, form: {} })).toBe('big');
  });

  it('tries edges in ascending priority, whatever their order in the document', async () => {
    const reversed = { ...branching, edges: [...branching.edges].reverse() };
    // Both the amount and the VIP conditions hold: priority 10 wins.
    expect(await chooseNextNode(reversed, { order: { amountFen: 200_000, isVip: true }, form: {} })).toBe('big');
    expect(await chooseNextNode(reversed, { order: { amountFen: 10, isVip: true }, form: {} })).toBe('vip');
  });

  it('evaluates form facts and any-groups', async () => {
    expect(await chooseNextNode(branching, { order: { amountFen: 10 }, form: { approved: true } })).toBe('vip');
    expect(await chooseNextNode(branching, { order: { amountFen: 10 }, form: { approved: false } })).toBe('normal');
  });

  it('takes the default when a fact is missing rather than failing', async () => {
    expect(await chooseNextNode(branching, { order: {}, form: {} })).toBe('normal');
  });

  it('supports not-groups and list operators', async () => {
    const n = node({
      key: 'a',
      name: 'A',
      type: 'task',
      assignee: { strategy: 'store_manager' },
      edges: [
        { to: 'sh', priority: 1, condition: { all: [{ fact: 'order', path: '$.storeCode', operator: 'in', value: ['SH01', 'SH02'] }, { not: { fact: 'order', path: '$.priority', operator: 'equal', value: 'low' } }] } },
        { to: 'other', priority: 2, isDefault: true },
      ],
    });
    expect(await chooseNextNode(n, { order: { storeCode: 'SH02', priority: 'high' }, form: {} })).toBe('sh');
    expect(await chooseNextNode(n, { order: { storeCode: 'SH02', priority: 'low' }, form: {} })).toBe('other');
    expect(await chooseNextNode(n, { order: { storeCode: 'HZ01', priority: 'high' }, form: {} })).toBe('other');
  });

  it('follows a single unconditional edge and returns null at an end node', async () => {
    expect(await chooseNextNode(node({ key: 'a', name: 'A', type: 'task', edges: [{ to: 'b', priority: 0 }] }), { order: {}, form: {} })).toBe('b');
    expect(await chooseNextNode(node({ key: 'z', name: 'Z', type: 'end' }), { order: {}, form: {} })).toBeNull();
  });
});
