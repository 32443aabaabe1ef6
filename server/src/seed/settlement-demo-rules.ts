import type { RuleSetDefinition } from '../modules/settlement/settlement-rules';

/** The worked example of the settlement issue, as the demo's rule sets. Form paths follow the seeded installation flow's acceptance node. */
export const demoRuleSets: Array<{ code: string; name: string; payeeKind: 'technician' | 'dealer' | 'store'; definition: RuleSetDefinition }> = [
  {
    code: 'technician_fees',
    name: '技师工费',
    payeeKind: 'technician',
    definition: {
      rules: [
        { key: 'base_fee', name: '基础安装费', kind: 'base_fee', rounding: 'HALF_UP', rateCard: [{ serviceItem: 'ac_install', amountFen: 30000 }] },
        { key: 'high_altitude', name: '高空作业', kind: 'surcharge', rounding: 'HALF_UP', condition: { all: [{ fact: 'form', path: '$.acceptance.high_altitude', operator: 'equal', value: true }] }, amount: { fixedFen: 5000 } },
        { key: 'good_rating', name: '好评', kind: 'bonus', rounding: 'HALF_UP', condition: { all: [{ fact: 'rating', operator: 'greaterThanInclusive', value: 4 }] }, amount: { fixedFen: 2000 } },
        { key: 'complaint', name: '投诉', kind: 'deduction', rounding: 'HALF_UP', condition: { all: [{ fact: 'complaints', operator: 'greaterThanInclusive', value: 1 }] }, amount: { fixedFen: 3000 } },
      ],
    },
  },
  {
    code: 'dealer_rebates',
    name: '经销商返点',
    payeeKind: 'dealer',
    definition: {
      rules: [
        {
          key: 'volume_rebate',
          name: '阶梯返点',
          kind: 'tiered_rebate',
          rounding: 'HALF_UP',
          basis: 'volume',
          mode: 'graduated',
          inclusive: 'lower',
          tiers: [
            { from: 0, to: 100, rateBp: 200 },
            { from: 100, to: 300, rateBp: 300 },
            { from: 300, rateBp: 500 },
          ],
        },
        { key: 'recycling', name: '旧机回收', kind: 'subsidy', rounding: 'HALF_UP', amount: { perUnitFen: 1000, unitFact: 'recycledUnits' } },
      ],
    },
  },
  {
    code: 'channel_split',
    name: '渠道分账',
    payeeKind: 'store',
    definition: {
      rules: [
        {
          key: 'channel_split',
          name: '渠道分账',
          kind: 'split',
          rounding: 'HALF_UP',
          channels: {
            douyin: [
              { payee: 'company', weight: 30 },
              { payee: 'store', weight: 50 },
              { payee: 'dealer', weight: 20 },
            ],
            pinduoduo: [
              { payee: 'company', weight: 40 },
              { payee: 'store', weight: 45 },
              { payee: 'dealer', weight: 15 },
            ],
            store: [
              { payee: 'company', weight: 10 },
              { payee: 'store', weight: 90 },
            ],
          },
          defaultShares: [
            { payee: 'company', weight: 20 },
            { payee: 'store', weight: 80 },
          ],
        },
      ],
    },
  },
];
