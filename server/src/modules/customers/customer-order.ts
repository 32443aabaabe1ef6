import { validationFailed } from '../../core/errors';

/** A new order must name every existing item exactly once. */
export function assertOrder(existing: number[], ids: number[]): void {
  const known = new Set(existing);
  const given = new Set(ids);
  if (given.size !== ids.length || given.size !== known.size || ids.some((id) => !known.has(id))) {
    throw validationFailed([{ path: 'body.ids', message: `list every item exactly once (${existing.length} items)` }]);
  }
}
