import { ruleSetDefinition, type JobFacts, type PayeeKind } from '../settlement-rules';
import type { VersionInForce } from './price-job';

type FactsOverrides = Partial<Omit<JobFacts, 'order' | 'region'>> & { order?: Partial<JobFacts['order']>; region?: Partial<JobFacts['region']> };

/** A completed job's facts: one air-conditioner installation, 100.00 from the store channel, unless overridden. */
export function jobFacts(overrides: FactsOverrides = {}): JobFacts {
  const { order, region, ...rest } = overrides;
  return {
    order: { id: 1, orderNo: 'WO-1', amountFen: 10_000, priority: 'normal', flowCode: 'installation', productCategories: ['ac'], ...order },
    workOrder: { completedAt: '2026-11-14T06:00:00.000Z', completedOn: '2026-11-14', breaches: 0, nodeCount: 3 },
    form: {},
    customer: { id: 7, tags: [], stage: null },
    store: { id: 1, code: 'SH01' },
    region: { id: 1, code: 'east', tier: null, ...region },
    source: 'store',
    rating: null,
    serviceItems: [{ code: 'ac_install', name: '空调安装', quantity: 1 }],
    complaints: 0,
    lateMinutes: 0,
    recycledUnits: 0,
    hours: '0',
    payees: { technicianUserId: 5, storeId: 1, regionId: 1 },
    ...rest,
  };
}

let nextVersionId = 1;

/** A published version holding `rules` (parsed by the real schema, so defaults apply). */
export function versionOf(ruleSetCode: string, payeeKind: PayeeKind, rules: unknown[]): VersionInForce {
  return { versionId: nextVersionId++, ruleSetCode, payeeKind, definition: ruleSetDefinition.parse({ rules }) };
}

/** The worked example's rule sets: technician fees, dealer rebates, the channel split. */
export const demoRules = {
  technicianFees: [
    { key: 'ac_install_fee', name: '安装费', kind: 'base_fee', rateCard: [{ serviceItem: 'ac_install', amountFen: 30_000 }] },
    { key: 'high_altitude', name: '高空作业', kind: 'surcharge', condition: { fact: 'form', path: '$.install.high_altitude', operator: 'equal', value: true }, amount: { fixedFen: 5_000 } },
    { key: 'good_rating', name: '好评奖励', kind: 'bonus', condition: { fact: 'rating', operator: 'greaterThanInclusive', value: 4 }, amount: { fixedFen: 2_000 } },
    { key: 'complaint', name: '投诉扣款', kind: 'deduction', condition: { fact: 'complaints', operator: 'greaterThanInclusive', value: 1 }, amount: { fixedFen: 3_000 } },
  ],
  dealerRebates: [
    {
      key: 'volume_rebate',
      name: '阶梯返利',
      kind: 'tiered_rebate',
      basis: 'volume',
      mode: 'graduated',
      tiers: [
        { from: 0, to: 100, rateBp: 200 },
        { from: 100, to: 300, rateBp: 300 },
        { from: 300, rateBp: 500 },
      ],
    },
    { key: 'recycling', name: '旧机回收', kind: 'subsidy', condition: { fact: 'recycledUnits', operator: 'greaterThan', value: 0 }, amount: { perUnitFen: 1_000, unitFact: 'recycledUnits' } },
  ],
  channelSplit: [
    {
      key: 'channel_split',
      name: '渠道分账',
      kind: 'split',
      channels: {
        douyin: [
          { payee: 'company', weight: 30 },
          { payee: 'store', weight: 50 },
          { payee: 'dealer', weight: 20 },
        ],
      },
      defaultShares: [{ payee: 'store', weight: 100 }],
    },
  ],
};
