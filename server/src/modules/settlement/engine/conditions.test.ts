import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import type { RuleCondition } from '../settlement-rules';
import { createConditionEvaluator, ruleConditionProblem } from './conditions';
import { jobFacts } from './engine-test-kit';

describe('checking conditions', () => {
  const problem = (value: unknown) => ruleConditionProblem(value, 'rules[2].condition');

  it('accepts leaves on every kind of fact, groups, not, decorated operators and no-path scalars', () => {
    expect(problem({ fact: 'rating', operator: 'greaterThanInclusive', value: 4 })).toBeNull();
    expect(problem({ all: [{ fact: 'form', path: '$.install.high_altitude', operator: 'equal', value: true }, { not: { fact: 'source', operator: 'in', value: ['douyin', 'jd'] } }] })).toBeNull();
    expect(problem({ any: [{ fact: 'customer', path: '$.tags', operator: 'contains', value: 'vip' }, { fact: 'serviceItems', path: '$[0].quantity', operator: 'not:lessThan', value: 2 }] })).toBeNull();
    expect(problem({ fact: 'order', path: '$.productCategories', operator: 'someFact:equal', value: 'ac' })).toBeNull();
  });

  it('names the path of an unknown fact', () => {
    expect(problem({ all: [{ fact: 'rating', operator: 'equal', value: 5 }, { fact: 'salary', operator: 'equal', value: 1 }] })).toMatch(/^rules\[2\]\.condition\.all\[1\]\.fact: unknown fact "salary"/);
  });

  it('rejects unknown operators, insane paths and paths into single-value facts', () => {
    expect(problem({ fact: 'rating', operator: 'approximately', value: 4 })).toMatch(/^rules\[2\]\.condition\.operator: unknown operator/);
    expect(problem({ fact: 'rating', operator: 'bogus:equal', value: 4 })).toMatch(/\.operator: unknown operator/);
    expect(problem({ fact: 'form', path: '$..*', operator: 'equal', value: 1 })).toMatch(/^rules\[2\]\.condition\.path: must look like/);
    expect(problem({ fact: 'form', path: '$[?(@.x)]', operator: 'equal', value: 1 })).toMatch(/\.path: must look like/);
    expect(problem({ fact: 'form', path: 'install.height', operator: 'equal', value: 1 })).toMatch(/\.path: must look like/);
    expect(problem({ fact: 'rating', path: '$.x', operator: 'equal', value: 1 })).toMatch(/\.path: fact "rating" is a single value/);
  });

  it('rejects values that do not suit the operator, missing values and references to other facts', () => {
    expect(problem({ fact: 'source', operator: 'in', value: 'douyin' })).toMatch(/\.value: operator in needs a list/);
    expect(problem({ fact: 'rating', operator: 'greaterThan', value: '4' })).toMatch(/\.value: operator greaterThan compares numbers/);
    expect(problem({ fact: 'rating', operator: 'equal' })).toMatch(/\.value: required/);
    expect(problem({ fact: 'rating', operator: 'equal', value: { fact: 'complaints' } })).toMatch(/\.value: comparing with another fact/);
  });

  it('rejects empty or oversized groups, mixed groups, extra keys and nesting beyond the depth limit', () => {
    expect(problem({ all: [] })).toMatch(/^rules\[2\]\.condition\.all: 1 to 50/);
    expect(problem({ any: Array.from({ length: 51 }, () => ({ fact: 'rating', operator: 'equal', value: 1 })) })).toMatch(/\.any: 1 to 50/);
    expect(problem({ all: [{ fact: 'rating', operator: 'equal', value: 1 }], any: [] })).toMatch(/^rules\[2\]\.condition: a "all" group has no other keys/);
    expect(problem({ fact: 'rating', operator: 'equal', value: 1, params: {} })).toMatch(/\.params: not allowed/);
    let deep: unknown = { fact: 'rating', operator: 'equal', value: 1 };
    for (let i = 0; i < 12; i++) deep = { not: deep };
    expect(problem(deep)).toMatch(/nested more than 10 levels deep/);
    expect(problem([])).toMatch(/must be an object/);
  });
});

describe('evaluating conditions', () => {
  const highAltitude: RuleCondition = { fact: 'form', path: '$.install.high_altitude', operator: 'equal', value: true };
  const goodRating: RuleCondition = { all: [{ fact: 'rating', operator: 'greaterThanInclusive', value: 4 }, { not: { fact: 'customer', path: '$.tags', operator: 'contains', value: 'blacklisted' } }] };

  it('evaluates leaves, groups and not; a missing form field is simply false', async () => {
    const evaluator = createConditionEvaluator();
    expect(await evaluator.holds(highAltitude, jobFacts({ form: { install: { high_altitude: true } } }))).toBe(true);
    expect(await evaluator.holds(highAltitude, jobFacts({ form: { install: { high_altitude: false } } }))).toBe(false);
    expect(await evaluator.holds(highAltitude, jobFacts({ form: {} }))).toBe(false);
    expect(await evaluator.holds(goodRating, jobFacts({ rating: 5 }))).toBe(true);
    expect(await evaluator.holds(goodRating, jobFacts({ rating: 5, customer: { id: 1, tags: ['blacklisted'], stage: null } }))).toBe(false);
    expect(await evaluator.holds(goodRating, jobFacts({ rating: null }))).toBe(false);
  });

  it('reports the facts a condition read, keyed by fact and path', () => {
    const evaluator = createConditionEvaluator();
    expect(evaluator.factsRead(goodRating, jobFacts({ rating: 4 }))).toEqual({ rating: 4, 'customer.tags': [] });
    expect(evaluator.factsRead(highAltitude, jobFacts({ form: {} }))).toEqual({ 'form.install.high_altitude': null });
  });

  it('runs the rules engine once per distinct value of the referenced facts, not once per job', async () => {
    const run = jest.spyOn(Engine.prototype, 'run');
    try {
      const evaluator = createConditionEvaluator();
      for (let i = 0; i < 300; i++) await evaluator.holds(goodRating, jobFacts({ rating: (i % 3) + 3, order: { id: i, amountFen: i * 100 } }));
      expect(run).toHaveBeenCalledTimes(3);
      // A structurally equal condition (say, a re-parsed rule set) shares the cached outcomes.
      await evaluator.holds(JSON.parse(JSON.stringify(goodRating)) as RuleCondition, jobFacts({ rating: 5 }));
      expect(run).toHaveBeenCalledTimes(3);
    } finally {
      run.mockRestore();
    }
  });

  it('keeps answering correctly once a condition’s cache is full', async () => {
    const evaluator = createConditionEvaluator({ maxOutcomesPerCondition: 2 });
    const big: RuleCondition = { fact: 'order', path: '$.amountFen', operator: 'greaterThan', value: 5 };
    const outcomes = [];
    for (const amountFen of [1, 9, 3, 10, 5, 6]) outcomes.push(await evaluator.holds(big, jobFacts({ order: { amountFen } })));
    expect(outcomes).toEqual([false, true, false, true, false, true]);
  });

  it('agrees with a fresh json-rules-engine run on every job (property: memoization never changes an outcome)', async () => {
    const condition: RuleCondition = {
      any: [
        { all: [{ fact: 'rating', operator: 'greaterThanInclusive', value: 4 }, { fact: 'source', operator: 'in', value: ['douyin', 'jd'] }] },
        { fact: 'form', path: '$.install.high_altitude', operator: 'equal', value: true },
        { fact: 'complaints', operator: 'not:equal', value: 0 },
      ],
    };
    const evaluator = createConditionEvaluator();
    const fresh = async (facts: ReturnType<typeof jobFacts>) => {
      const engine = new Engine([{ conditions: condition as never, event: { type: 'holds' } }], { allowUndefinedFacts: true });
      return (await engine.run(facts as unknown as Record<string, unknown>)).events.length > 0;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 1, max: 5 })),
        fc.constantFrom('douyin', 'jd', 'store'),
        fc.option(fc.oneof(fc.boolean(), fc.constant('yes'), fc.constant(1)), { nil: undefined }),
        fc.integer({ min: 0, max: 2 }),
        async (rating, source, altitude, complaints) => {
          const facts = jobFacts({ rating, source, complaints, form: altitude === undefined ? {} : { install: { high_altitude: altitude } } });
          expect(await evaluator.holds(condition, facts)).toBe(await fresh(facts));
        },
      ),
      { numRuns: 300 },
    );
  });
});
