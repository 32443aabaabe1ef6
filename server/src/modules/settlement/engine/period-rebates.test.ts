import fc from 'fast-check';
import { ruleSetDefinition } from '../settlement-rules';
import { demoRules, jobFacts, versionOf } from './engine-test-kit';
import { rebateBaseOf, rebateLines, tierRebate, type TieredRebateRule } from './period-rebates';
import { createJobPricer } from './price-job';

const rebateRule = (overrides: Partial<TieredRebateRule> & Pick<TieredRebateRule, 'tiers'>): TieredRebateRule =>
  ruleSetDefinition.parse({ rules: [{ key: 'rebate', name: '阶梯返利', kind: 'tiered_rebate', basis: 'volume', mode: 'graduated', ...overrides }] }).rules[0] as TieredRebateRule;

const percentTiers = [
  { from: 0, to: 100, rateBp: 200 },
  { from: 100, to: 300, rateBp: 300 },
  { from: 300, rateBp: 500 },
];

describe('tier rebates', () => {
  it('graduated: each slice earns its own tier’s rate; a total on a boundary earns the same with lower or upper inclusive', () => {
    for (const inclusive of ['lower', 'upper'] as const) {
      const rule = rebateRule({ tiers: percentTiers, inclusive });
      // 100 units, 1000.00: all in the first tier → 2% of 1000.00
      expect(tierRebate(rule, 100, 100_000).amountFen).toBe(2_000);
      // 101 units, 1010.00: 100 at 2% (of 1000.00) + 1 at 3% (of 10.00)
      expect(tierRebate(rule, 101, 101_000).amountFen).toBe(2_030);
      // 300 units, 3000.00: 100 × 2% + 200 × 3% of 10.00 each = 20.00 + 60.00
      expect(tierRebate(rule, 300, 300_000).amountFen).toBe(8_000);
    }
    expect(tierRebate(rebateRule({ tiers: percentTiers }), 150, 150_000).terms).toEqual(['1500.00 × 100/150 × 2%', '1500.00 × 50/150 × 3%']);
  });

  it('volume: the whole total earns the rate of its tier, and inclusive decides the tier of a boundary value', () => {
    const lower = rebateRule({ tiers: percentTiers, mode: 'volume', inclusive: 'lower' });
    const upper = rebateRule({ tiers: percentTiers, mode: 'volume', inclusive: 'upper' });
    expect(tierRebate(lower, 99, 100_000)).toMatchObject({ amountFen: 2_000, tierIndex: 0 });
    expect(tierRebate(lower, 100, 100_000)).toMatchObject({ amountFen: 3_000, tierIndex: 1 });
    expect(tierRebate(upper, 100, 100_000)).toMatchObject({ amountFen: 2_000, tierIndex: 0 });
    expect(tierRebate(upper, 101, 100_000)).toMatchObject({ amountFen: 3_000, tierIndex: 1 });
    expect(tierRebate(lower, 300, 100_000)).toMatchObject({ amountFen: 5_000, tierIndex: 2 });
    expect(tierRebate(upper, 300, 100_000)).toMatchObject({ amountFen: 3_000, tierIndex: 1 });
    expect(tierRebate(upper, 0, 100_000)).toMatchObject({ amountFen: 0, tierIndex: null });
  });

  it('on an amount basis applies the rates to the slices of the amount itself', () => {
    const tiers = [{ from: 0, to: 100_000, rateBp: 100 }, { from: 100_000, rateBp: 200 }];
    expect(tierRebate(rebateRule({ basis: 'amount', tiers }), 150_000, 150_000)).toMatchObject({ amountFen: 2_000, terms: ['1000.00 × 1%', '500.00 × 2%'] });
    expect(tierRebate(rebateRule({ basis: 'amount', mode: 'volume', tiers }), 150_000, 150_000).amountFen).toBe(3_000);
    expect(tierRebate(rebateRule({ basis: 'amount', mode: 'volume', inclusive: 'upper', tiers }), 100_000, 100_000).amountFen).toBe(1_000);
  });

  it('pays per unit in each tier, at the boundary per the inclusive setting in volume mode', () => {
    const tiers = [{ from: 0, to: 10, perUnitFen: 100 }, { from: 10, perUnitFen: 200 }];
    expect(tierRebate(rebateRule({ tiers }), 15, 0)).toMatchObject({ amountFen: 2_000, terms: ['10 × 1.00', '5 × 2.00'] });
    expect(tierRebate(rebateRule({ tiers, mode: 'volume', inclusive: 'lower' }), 10, 0).amountFen).toBe(2_000);
    expect(tierRebate(rebateRule({ tiers, mode: 'volume', inclusive: 'upper' }), 10, 0).amountFen).toBe(1_000);
  });

  it('rounds HALF_UP once over the whole rebate', () => {
    // 100.01 × 2% = 2.0002 → 2.00; 0.25 × 2% = 0.005 → 0.01
    expect(tierRebate(rebateRule({ tiers: percentTiers }), 3, 10_001)).toMatchObject({ amountFen: 200 });
    expect(tierRebate(rebateRule({ tiers: percentTiers }), 1, 25).amountFen).toBe(1);
  });

  it('is monotone in the total in graduated mode (property)', () => {
    const tiers = fc
      .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 0, maxLength: 5 })
      .chain((bounds) => {
        const sorted = [0, ...bounds.sort((a, b) => a - b)];
        return fc.tuple(...sorted.map(() => fc.record({ rateBp: fc.integer({ min: 0, max: 10_000 }), perUnitFen: fc.integer({ min: 0, max: 10_000 }) }))).map((rates) =>
          sorted.map((from, i) => ({ from, ...(sorted[i + 1] === undefined ? {} : { to: sorted[i + 1] }), ...rates[i] })),
        );
      });
    fc.assert(
      fc.property(tiers, fc.constantFrom('volume' as const, 'amount' as const), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 100_000 }), (t, basis, a, b, unitPriceFen) => {
        const rule = rebateRule({ basis, tiers: basis === 'amount' ? t.map(({ perUnitFen: _, ...tier }) => tier) : t });
        const [low, high] = a <= b ? [a, b] : [b, a];
        // On a volume basis the amount grows with the units (each unit sells at unitPriceFen).
        const rebate = (total: number) => tierRebate(rule, total, basis === 'volume' ? total * unitPriceFen : total).amountFen;
        expect(rebate(low)).toBeLessThanOrEqual(rebate(high));
      }),
    );
  });
});

describe('period rebate lines', () => {
  const dealerRebates = versionOf('dealer_rebates', 'dealer', demoRules.dealerRebates);
  const volumeRebate = dealerRebates.definition.rules[0] as TieredRebateRule;

  it('gives each payee with a rebate one self-explaining line, ordered by payee key; none for a zero rebate', () => {
    const lines = rebateLines(dealerRebates, volumeRebate, [
      { payeeKey: 'dealer:9', payeeKind: 'dealer', volume: 150, amountFen: 150_000 },
      { payeeKey: 'dealer:10', payeeKind: 'dealer', volume: 0, amountFen: 0 },
      { payeeKey: 'dealer:1', payeeKind: 'dealer', volume: 50, amountFen: 40_000 },
    ]);
    expect(lines).toEqual([
      { payeeKey: 'dealer:1', payeeKind: 'dealer', ruleKey: 'volume_rebate', ruleKind: 'tiered_rebate', amountFen: 800, formula: '阶梯返利（累进·按数量 50，金额 400.00） 400.00 × 50/50 × 2% = 8.00', factsUsed: { 'period.volume': 50, 'period.amountFen': 40_000 }, rounding: 'HALF_UP', ruleSetVersionId: dealerRebates.versionId },
      expect.objectContaining({ payeeKey: 'dealer:9', amountFen: 3_500, formula: '阶梯返利（累进·按数量 150，金额 1500.00） 1500.00 × 100/150 × 2% + 1500.00 × 50/150 × 3% = 35.00' }),
    ]);
  });

  it('names the tier in volume mode', () => {
    const rule = rebateRule({ tiers: percentTiers, mode: 'volume' });
    const [line] = rebateLines(dealerRebates, rule, [{ payeeKey: 'd', payeeKind: 'dealer', volume: 120, amountFen: 120_000 }]);
    expect(line?.formula).toBe('阶梯返利（全额·按数量 120，金额 1200.00，落在 100–300 档） 1200.00 × 3% = 36.00');
  });

  it('prices the dealer example: graduated volume rebate on the period plus a recycling subsidy per job', async () => {
    const pricer = createJobPricer();
    const jobs = Array.from({ length: 120 }, (_, i) => jobFacts({ order: { id: i, amountFen: 100_000 }, recycledUnits: i % 2 }));
    let subsidyFen = 0;
    const base = { volume: 0, amountFen: 0 };
    for (const facts of jobs) {
      for (const line of await pricer.price(facts, [dealerRebates])) subsidyFen += line.amountFen;
      const contribution = rebateBaseOf(volumeRebate, facts);
      base.volume += contribution.volume;
      base.amountFen += contribution.amountFen;
    }
    expect(base).toEqual({ volume: 120, amountFen: 12_000_000 });
    // 60 jobs with one old unit each × 10.00
    expect(subsidyFen).toBe(60_000);
    const [rebate] = rebateLines(dealerRebates, volumeRebate, [{ payeeKey: 'dealer:1', payeeKind: 'dealer', ...base }]);
    // 120000.00 × 100/120 × 2% + 120000.00 × 20/120 × 3% = 2000.00 + 600.00
    expect(rebate?.amountFen).toBe(260_000);
    expect(subsidyFen + (rebate?.amountFen ?? 0)).toBe(320_000);
  });

  it('counts a job’s rebate base as its service item quantities and its order amount', () => {
    const facts = jobFacts({ order: { amountFen: 8_800 }, serviceItems: [{ code: 'a', name: 'A', quantity: 2 }, { code: 'b', name: 'B', quantity: 0.5 }] });
    expect(rebateBaseOf(volumeRebate, facts)).toEqual({ volume: 2.5, amountFen: 8_800 });
  });
});
