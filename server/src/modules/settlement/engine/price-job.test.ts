import fc from 'fast-check';
import { demoRules, jobFacts, versionOf } from './engine-test-kit';
import { createJobPricer } from './price-job';

const pricer = createJobPricer();
const technicianFees = versionOf('technician_fees', 'technician', demoRules.technicianFees);
const channelSplit = versionOf('channel_split', 'store', demoRules.channelSplit);
const total = (lines: Array<{ amountFen: number }>) => lines.reduce((sum, l) => sum + l.amountFen, 0);

describe('pricing a job', () => {
  it('prices the worked example: AC install 300 + high altitude 50 + rating ≥ 4 bonus 20 = 370.00 for the technician', async () => {
    const facts = jobFacts({ rating: 5, form: { install: { high_altitude: true } } });
    const lines = await pricer.price(facts, [technicianFees]);
    expect(lines).toEqual([
      { payeeKind: 'technician', ruleKey: 'ac_install_fee', ruleKind: 'base_fee', amountFen: 30_000, formula: '空调安装 300.00 × 1 = 300.00', factsUsed: { 'serviceItems.ac_install': 1 }, rounding: 'HALF_UP', ruleSetVersionId: technicianFees.versionId },
      { payeeKind: 'technician', ruleKey: 'high_altitude', ruleKind: 'surcharge', amountFen: 5_000, formula: '高空作业 +50.00', factsUsed: { 'form.install.high_altitude': true }, rounding: 'HALF_UP', ruleSetVersionId: technicianFees.versionId },
      { payeeKind: 'technician', ruleKey: 'good_rating', ruleKind: 'bonus', amountFen: 2_000, formula: '好评奖励 +20.00', factsUsed: { rating: 5 }, rounding: 'HALF_UP', ruleSetVersionId: technicianFees.versionId },
    ]);
    expect(total(lines)).toBe(37_000);
  });

  it('produces no line for a rule whose condition does not hold, and a negative line for a deduction', async () => {
    const lines = await pricer.price(jobFacts({ rating: 3, complaints: 1, form: { install: { high_altitude: false } } }), [technicianFees]);
    expect(lines.map((l) => [l.ruleKey, l.amountFen, l.formula])).toEqual([
      ['ac_install_fee', 30_000, '空调安装 300.00 × 1 = 300.00'],
      ['complaint', -3_000, '投诉扣款 -30.00'],
    ]);
    expect(lines[1]?.factsUsed).toEqual({ complaints: 1 });
  });

  it('mixes per-unit and per-hour parts in one line, rounded once', async () => {
    const version = versionOf('visit', 'technician', [{ key: 'visit', name: '上门服务', kind: 'bonus', amount: { fixedFen: 1_000, perUnitFen: 1_550, unitFact: 'serviceItems.ac_install', perHourFen: 3_333, percentOfOrderBp: 150 } }]);
    const [line] = await pricer.price(jobFacts({ serviceItems: [{ code: 'ac_install', name: '空调安装', quantity: 2 }, { code: 'wash', name: '清洗', quantity: 1 }, { code: 'ac_install', name: '空调安装', quantity: 1 }], hours: '1.5', order: { amountFen: 12_345 } }), [version]);
    // 10.00 + 15.50 × 3 + 33.33 × 1.5 + 123.45 × 1.5% = 1000 + 4650 + 4999.5 + 185.175 = 10834.675 fen → 10835
    expect(line).toMatchObject({ amountFen: 10_835, formula: '上门服务 10.00 + 15.50 × 3 + 33.33 × 1.5小时 + 订单 123.45 × 1.5% ≈ +108.35' });
    expect(line?.factsUsed).toEqual({ 'serviceItems.ac_install': 3, hours: '1.5', 'order.amountFen': 12_345 });
  });

  it('negates a composite deduction and rounds its half fen away from zero', async () => {
    const version = versionOf('late', 'technician', [{ key: 'late', name: '迟到扣款', kind: 'deduction', amount: { perUnitFen: 50, unitFact: 'lateMinutes', percentOfOrderBp: 50 } }]);
    const [line] = await pricer.price(jobFacts({ lateMinutes: 7, order: { amountFen: 100 } }), [version]);
    // -(0.50 × 7 + 1.00 × 0.5%) = -(350 + 0.5) = -350.5 fen → -351
    expect(line).toMatchObject({ amountFen: -351, formula: '迟到扣款 -(0.50 × 7 + 订单 1.00 × 0.5%) ≈ -3.51' });
  });

  it('resolves unit facts: item quantities, counts, numeric form fields; unknown or absent counts as 0', async () => {
    const perUnit = (unitFact: string) => versionOf('u', 'technician', [{ key: 'u', name: '计件', kind: 'subsidy', amount: { perUnitFen: 100, unitFact } }]);
    const facts = jobFacts({ recycledUnits: 2, complaints: 1, form: { install: { pipes: '3.5', note: 'three' } } });
    const amount = async (unitFact: string) => total(await pricer.price(facts, [perUnit(unitFact)]));
    expect(await amount('recycledUnits')).toBe(200);
    expect(await amount('complaints')).toBe(100);
    expect(await amount('form.install.pipes')).toBe(350);
    expect(await amount('form.install.note')).toBe(0);
    expect(await amount('form.install.absent')).toBe(0);
    expect(await amount('serviceItems.ac_install')).toBe(100);
    expect(await amount('serviceItems.tv_mount')).toBe(0);
    expect(await amount('weather')).toBe(0);
  });

  it('uses the rate-card row of the job’s region tier over the generic row, one line per matched item in job order', async () => {
    const version = versionOf('fees', 'technician', [
      { key: 'fees', name: '基础费', kind: 'base_fee', rateCard: [{ serviceItem: 'ac_install', amountFen: 30_000 }, { serviceItem: 'ac_install', regionTier: 'A', amountFen: 32_000 }, { serviceItem: 'wash', amountFen: 8_000 }] },
    ]);
    const items = [{ code: 'wash', name: '清洗', quantity: 2 }, { code: 'tv_mount', name: '电视挂装', quantity: 1 }, { code: 'ac_install', name: '空调安装', quantity: 1 }];
    const inTierA = await pricer.price(jobFacts({ serviceItems: items, region: { tier: 'A' } }), [version]);
    expect(inTierA.map((l) => l.formula)).toEqual(['清洗 80.00 × 2 = 160.00', '空调安装（区域等级 A） 320.00 × 1 = 320.00']);
    expect(inTierA[1]?.factsUsed).toEqual({ 'serviceItems.ac_install': 1, 'region.tier': 'A' });
    const elsewhere = await pricer.price(jobFacts({ serviceItems: items, region: { tier: 'B' } }), [version]);
    expect(elsewhere.map((l) => l.amountFen)).toEqual([16_000, 30_000]);
  });

  it('splits a Douyin order 30/50/20 among company, store and dealer; other sources use the default shares', async () => {
    const douyin = await pricer.price(jobFacts({ source: 'douyin', order: { amountFen: 10_000 } }), [channelSplit]);
    expect(douyin.map((l) => [l.payeeKind, l.amountFen, l.formula])).toEqual([
      ['company', 3_000, '渠道分账·抖音 100.00 × 30/100 = 30.00'],
      ['store', 5_000, '渠道分账·抖音 100.00 × 50/100 = 50.00'],
      ['dealer', 2_000, '渠道分账·抖音 100.00 × 20/100 = 20.00'],
    ]);
    expect(douyin[0]?.factsUsed).toEqual({ source: 'douyin', 'order.amountFen': 10_000 });
    const odd = await pricer.price(jobFacts({ source: 'douyin', order: { amountFen: 9_999 } }), [channelSplit]);
    expect(total(odd)).toBe(9_999);
    expect(odd.map((l) => l.formula)).toContain('渠道分账·抖音 99.99 × 30/100 ≈ 30.00');
    const jd = await pricer.price(jobFacts({ source: 'jd', order: { amountFen: 10_000 } }), [channelSplit]);
    expect(jd.map((l) => [l.payeeKind, l.amountFen, l.formula])).toEqual([['store', 10_000, '渠道分账·默认（京东） 100.00 × 100/100 = 100.00']]);
  });

  it('treats a source named like an object property as an unlisted channel', async () => {
    const lines = await pricer.price(jobFacts({ source: 'constructor', order: { amountFen: 500 } }), [channelSplit]);
    expect(lines.map((l) => [l.payeeKind, l.amountFen])).toEqual([['store', 500]]);
  });

  it('leaves tiered rebates to the period close and drops zero amounts', async () => {
    const dealer = versionOf('dealer_rebates', 'dealer', demoRules.dealerRebates);
    expect(await pricer.price(jobFacts({ recycledUnits: 0 }), [dealer])).toEqual([]);
    const lines = await pricer.price(jobFacts({ recycledUnits: 2 }), [dealer]);
    expect(lines).toEqual([expect.objectContaining({ payeeKind: 'dealer', ruleKey: 'recycling', amountFen: 2_000, formula: '旧机回收 10.00 × 2 = +20.00', factsUsed: { recycledUnits: 2 } })]);
  });

  it('lists lines by version, then rule, then item, and gives the same lines every time', async () => {
    const facts = jobFacts({ source: 'douyin', rating: 4, complaints: 2 });
    const first = await pricer.price(facts, [channelSplit, technicianFees]);
    expect(first.map((l) => l.ruleKey)).toEqual(['channel_split', 'channel_split', 'channel_split', 'ac_install_fee', 'good_rating', 'complaint']);
    expect(await createJobPricer().price(facts, [channelSplit, technicianFees])).toEqual(first);
  });

  it('sums lines as an independent computation does (property over generated rule sets)', async () => {
    const amountRule = fc.record({
      kind: fc.constantFrom('surcharge', 'bonus', 'subsidy', 'deduction'),
      fixedFen: fc.integer({ min: 0, max: 100_000 }),
      perUnitFen: fc.integer({ min: 0, max: 10_000 }),
      minRating: fc.integer({ min: 1, max: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(amountRule, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (rules, feeFen, units, rating, orderFen) => {
          const version = versionOf('gen', 'technician', [
            { key: 'fee', name: '基础费', kind: 'base_fee', rateCard: [{ serviceItem: 'ac_install', amountFen: feeFen }] },
            ...rules.map((r, i) => ({ key: `r${i}`, name: `规则${i}`, kind: r.kind, condition: { fact: 'rating', operator: 'greaterThanInclusive', value: r.minRating }, amount: { fixedFen: r.fixedFen, perUnitFen: r.perUnitFen, unitFact: 'recycledUnits' } })),
            { key: 'split', name: '分账', kind: 'split', channels: {}, defaultShares: [{ payee: 'store', weight: 3 }, { payee: 'company', weight: 7 }] },
          ]);
          const expected =
            feeFen + rules.reduce((sum, r) => (rating >= r.minRating ? sum + (r.kind === 'deduction' ? -1 : 1) * (r.fixedFen + r.perUnitFen * units) : sum), 0) + orderFen;
          const lines = await pricer.price(jobFacts({ rating, recycledUnits: units, order: { amountFen: orderFen } }), [version]);
          expect(total(lines)).toBe(expected);
          expect(lines.every((l) => l.amountFen !== 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
