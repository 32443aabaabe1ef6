import { ruleSetDefinition } from '../settlement-rules';
import { demoRules } from './engine-test-kit';
import { ruleSetProblems } from './rule-set-validation';

const problemsOf = (rules: unknown[]) => ruleSetProblems(ruleSetDefinition.parse({ rules }));

describe('rule-set validation', () => {
  it('accepts the demo rule sets', () => {
    expect(problemsOf([...demoRules.technicianFees, ...demoRules.dealerRebates, ...demoRules.channelSplit])).toEqual([]);
  });

  it('rejects a repeated rule key, pointing at the second one', () => {
    const bonus = { key: 'bonus', name: '奖励', kind: 'bonus', amount: { fixedFen: 100 } };
    expect(problemsOf([bonus, { ...bonus, name: '又一个' }])).toEqual([{ path: 'rules[1].key', message: 'rule key "bonus" is already used by rules[0]' }]);
  });

  it('reports an invalid condition at its exact path', () => {
    const rules = [{ key: 'a', name: 'A', kind: 'bonus', amount: { fixedFen: 100 } }, { key: 'b', name: 'B', kind: 'bonus', amount: { fixedFen: 100 } }, { key: 'c', name: 'C', kind: 'bonus', condition: { all: [{ fact: 'rating', operator: 'equal', value: 5 }, { fact: 'weather', operator: 'equal', value: 'sunny' }] }, amount: { fixedFen: 100 } }];
    expect(problemsOf(rules)).toEqual([{ path: 'rules[2].condition.all[1].fact', message: expect.stringContaining('unknown fact "weather"') }]);
  });

  it('rejects an unknown unit fact', () => {
    expect(problemsOf([{ key: 'u', name: 'U', kind: 'subsidy', amount: { perUnitFen: 100, unitFact: 'weather' } }])).toEqual([{ path: 'rules[0].amount.unitFact', message: expect.stringContaining('unknown unit fact "weather"') }]);
  });

  it('rejects tiers that overlap, leave gaps, are open-ended before the last, end below their start, or pay per unit on an amount basis', () => {
    const rebate = (basis: string, tiers: unknown[]) => [{ key: 'r', name: 'R', kind: 'tiered_rebate', basis, mode: 'graduated', tiers }];
    expect(problemsOf(rebate('volume', [{ from: 0, to: 100, rateBp: 1 }, { from: 90, to: 200, rateBp: 2 }, { from: 250, rateBp: 3 }]))).toEqual([
      { path: 'rules[0].tiers[1].from', message: 'overlaps the tier before (which ends at 100)' },
      { path: 'rules[0].tiers[2].from', message: 'leaves a gap after the tier before (which ends at 200)' },
    ]);
    expect(problemsOf(rebate('volume', [{ from: 0, rateBp: 1 }, { from: 100, to: 50, rateBp: 2 }]))).toEqual([
      { path: 'rules[0].tiers[0].to', message: 'only the last tier may be open-ended' },
      { path: 'rules[0].tiers[1].to', message: 'must be above from (100)' },
    ]);
    expect(problemsOf(rebate('amount', [{ from: 0, perUnitFen: 5 }]))).toEqual([{ path: 'rules[0].tiers[0].perUnitFen', message: 'an amount basis pays a percentage (rateBp), not per unit' }]);
  });

  it('rejects a rate card that prices the same item and tier twice', () => {
    const card = [{ serviceItem: 'ac', amountFen: 1 }, { serviceItem: 'ac', regionTier: 'A', amountFen: 2 }, { serviceItem: 'ac', regionTier: 'A', amountFen: 3 }, { serviceItem: 'ac', amountFen: 4 }];
    expect(problemsOf([{ key: 'f', name: 'F', kind: 'base_fee', rateCard: card }])).toEqual([
      { path: 'rules[0].rateCard[2]', message: 'item "ac" for region tier "A" is already priced by rateCard[1]' },
      { path: 'rules[0].rateCard[3]', message: 'item "ac" is already priced by rateCard[0]' },
    ]);
  });

  it('rejects split shares that list a payee kind twice, and the schema rejects empty shares', () => {
    const split = (channels: unknown, defaultShares: unknown) => [{ key: 's', name: 'S', kind: 'split', channels, defaultShares }];
    expect(problemsOf(split({ douyin: [{ payee: 'store', weight: 1 }, { payee: 'store', weight: 2 }] }, [{ payee: 'company', weight: 1 }]))).toEqual([{ path: 'rules[0].channels.douyin[1].payee', message: 'payee kind "store" is listed twice' }]);
    expect(ruleSetDefinition.safeParse({ rules: split({ douyin: [] }, [{ payee: 'company', weight: 1 }]) }).success).toBe(false);
  });
});
