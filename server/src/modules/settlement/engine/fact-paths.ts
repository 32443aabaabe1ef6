/**
 * The JSONPath subset conditions may use: `$` followed by `.name` and `[index]` steps, e.g.
 * `$.install.high_altitude` or `$[0].code`. Small enough to resolve exactly and cheaply, which lets
 * the condition cache key on the very values the rules engine compares.
 */
export type PathStep = string | number;

const pathPattern = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d{1,4}\])*$/;
const stepPattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d{1,4})\]/g;
const maxSteps = 8;

/** The steps of a path, or null when it is not in the supported subset. */
export function parsePath(path: string): PathStep[] | null {
  if (path.length > 128 || !pathPattern.test(path)) return null;
  const steps: PathStep[] = [];
  for (const [, name, index] of path.matchAll(stepPattern)) steps.push(name ?? Number(index));
  return steps.length <= maxSteps ? steps : null;
}

/** The value at `steps` inside `value` (own properties only), or undefined. */
export function resolvePath(value: unknown, steps: readonly PathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, step)) return undefined;
    current = (current as Record<PathStep, unknown>)[step];
  }
  return current;
}

/** How a fact reference is named in a line's `factsUsed`: `form.install.high_altitude`, `serviceItems[0].code`. */
export const factLabel = (fact: string, path: string | undefined): string => (path ? `${fact}${path.slice(1)}` : fact);
