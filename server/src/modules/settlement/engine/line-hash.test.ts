import fc from 'fast-check';
import { demoRules, jobFacts, versionOf } from './engine-test-kit';
import { createTextDigest, digestOf, lineText, type CanonicalLine } from './line-hash';
import { createJobPricer, type PricedLine } from './price-job';

const hashOf = (lines: CanonicalLine[]) => {
  const digest = createTextDigest();
  for (const line of lines) digest.add(lineText(line));
  return digest.digest();
};

const canonical = (payeeId: number, workOrderId: number, lines: PricedLine[]): CanonicalLine[] =>
  lines.map((l) => ({ payeeId, workOrderId, ruleSetVersionId: l.ruleSetVersionId, ruleKey: l.ruleKey, ruleKind: l.ruleKind, lineType: 'job', amountFen: l.amountFen, formula: l.formula, rounding: l.rounding, factsUsedJson: JSON.stringify(l.factsUsed) }));

const line = fc.record({
  payeeId: fc.nat(),
  workOrderId: fc.option(fc.nat()),
  ruleSetVersionId: fc.option(fc.nat()),
  ruleKey: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
  ruleKind: fc.constantFrom('base_fee', 'bonus', 'split', 'adjustment'),
  lineType: fc.constantFrom('job', 'rebate', 'adjustment', 'reversal'),
  amountFen: fc.integer({ min: -1e12, max: 1e12 }),
  formula: fc.string(),
  rounding: fc.constant('HALF_UP'),
  factsUsedJson: fc.dictionary(fc.string(), fc.jsonValue()).map((v) => JSON.stringify(v)),
});

describe('line hashing', () => {
  it('writes one line of text per line, fields in a fixed order, whatever the formula holds', () => {
    const text = lineText({ payeeId: 5, workOrderId: null, ruleSetVersionId: 3, ruleKey: 'fee', ruleKind: 'base_fee', lineType: 'job', amountFen: -30, formula: 'a|b\nc', rounding: 'HALF_UP', factsUsedJson: '{"x":1}' });
    expect(text).toBe('5||3|fee|base_fee|job|-30|HALF_UP|"a|b\\nc"|{"x":1}\n');
  });

  it('gives different texts to different lines (property)', () => {
    fc.assert(
      fc.property(line, line, (a, b) => {
        const same = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect(lineText(a) === lineText(b)).toBe(same);
        expect(lineText(a).indexOf('\n')).toBe(lineText(a).length - 1);
      }),
    );
  });

  it('changes when an amount changes or the order of lines changes', () => {
    const a: CanonicalLine = { payeeId: 5, workOrderId: 1, ruleSetVersionId: 3, ruleKey: 'fee', ruleKind: 'base_fee', lineType: 'job', amountFen: 30_000, formula: '空调安装 300.00 × 1 = 300.00', rounding: 'HALF_UP', factsUsedJson: '{"serviceItems.ac_install":1}' };
    const b: CanonicalLine = { ...a, ruleKey: 'bonus', ruleKind: 'bonus', amountFen: 2_000, formula: '好评奖励 +20.00', factsUsedJson: '{"rating":5}' };
    expect(hashOf([a, b])).not.toBe(hashOf([{ ...a, amountFen: 30_001 }, b]));
    expect(hashOf([a, b])).not.toBe(hashOf([b, a]));
  });

  it('can be read part-way and keeps streaming, buffered or not', () => {
    const digest = createTextDigest();
    const first: CanonicalLine = { payeeId: 1, workOrderId: null, ruleSetVersionId: null, ruleKey: 'r', ruleKind: 'tiered_rebate', lineType: 'rebate', amountFen: 1, formula: 'f', rounding: 'HALF_UP', factsUsedJson: '{}' };
    digest.add(lineText(first));
    expect(digest.digest()).toBe(hashOf([first]));
    digest.add(lineText(first));
    expect(digest.digest()).toBe(hashOf([first, first]));
    const many = Array.from({ length: 2000 }, (_, i) => ({ ...first, amountFen: i }));
    expect(hashOf(many)).toBe(digestOf(many.map(lineText).join('')));
  });

  it('gives the same hash after re-pricing the same facts with a fresh pricer (property)', async () => {
    const versions = [versionOf('technician_fees', 'technician', demoRules.technicianFees), versionOf('channel_split', 'store', demoRules.channelSplit), versionOf('dealer_rebates', 'dealer', demoRules.dealerRebates)];
    const job = fc.record({
      rating: fc.option(fc.integer({ min: 1, max: 5 })),
      complaints: fc.integer({ min: 0, max: 2 }),
      recycledUnits: fc.integer({ min: 0, max: 3 }),
      source: fc.constantFrom('douyin', 'store', 'jd'),
      amountFen: fc.integer({ min: 0, max: 1_000_000 }),
      highAltitude: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(job, { minLength: 1, maxLength: 30 }), async (jobs) => {
        const run = async () => {
          const pricer = createJobPricer();
          const lines: CanonicalLine[] = [];
          for (const [i, j] of jobs.entries()) {
            const facts = jobFacts({ order: { id: i, amountFen: j.amountFen }, rating: j.rating, complaints: j.complaints, recycledUnits: j.recycledUnits, source: j.source, form: { install: { high_altitude: j.highAltitude } } });
            lines.push(...canonical(i, i, await pricer.price(facts, versions)));
          }
          return hashOf(lines);
        };
        expect(await run()).toBe(await run());
      }),
      { numRuns: 50 },
    );
  });
});
