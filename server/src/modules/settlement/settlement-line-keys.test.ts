import { lineHashOf, packLineKeys, planLines, unpackLineKeys } from './settlement-line-keys';

describe('job line keys', () => {
  const stored = [
    { id: 11, hash: lineHashOf('base\n') },
    { id: 12, hash: lineHashOf('split\n') },
    { id: 13, hash: lineHashOf('split\n') },
    { id: 14, hash: lineHashOf('altitude v1\n') },
  ];

  it('packs and unpacks ids with their hashes, and an unpriced job has none', () => {
    expect(unpackLineKeys(packLineKeys(stored))).toEqual(stored);
    expect(unpackLineKeys(null)).toEqual([]);
    expect(unpackLineKeys('')).toEqual([]);
  });

  it('keeps equal lines (duplicates one for one), deletes the changed ones and inserts their recomputation', () => {
    const plan = planLines(stored, ['split\n', 'base\n', 'altitude v2\n', 'split\n']);
    expect(plan.ids).toEqual([12, 11, null, 13]);
    expect(plan.deleted).toEqual([14]);
    expect(plan.hashes[2]).toBe(lineHashOf('altitude v2\n'));
  });

  it('deletes every stored line of a job that now has fewer, and inserts all of a job never written', () => {
    expect(planLines(stored, ['split\n'])).toMatchObject({ ids: [12], deleted: [11, 13, 14] });
    expect(planLines([], ['base\n', 'base\n'])).toMatchObject({ ids: [null, null], deleted: [] });
  });
});
