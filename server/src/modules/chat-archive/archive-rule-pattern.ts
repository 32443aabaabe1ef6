/** Compliance rule patterns: plain sensitive words or guarded regular expressions. */

export const MAX_PATTERN_LENGTH = 200;
/** Text beyond this is not checked: keeps one message's cost bounded whatever the rule. */
export const MAX_CHECKED_TEXT = 4000;
/** Time one message may spend across all rules; the rest are skipped and the message is flagged as unchecked. */
export const MESSAGE_BUDGET_MS = 20;

export type RuleKind = 'word' | 'regex';

/**
 * Why a regex is refused, or null when it is accepted. Refused: too long, not compiling, back
 * references, and quantified groups that contain a quantifier themselves (`(a+)+`, `(\w*x)*`,
 * `(a|a?)+`): the shapes behind catastrophic backtracking.
 */
export function patternProblem(kind: RuleKind, pattern: string): string | null {
  if (!pattern.trim()) return 'must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `at most ${MAX_PATTERN_LENGTH} characters`;
  if (kind === 'word') return null;
  try {
    new RegExp(pattern, 'u');
  } catch {
    return 'not a valid regular expression';
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'back references are not allowed';
  if (hasNestedQuantifier(pattern)) return 'nested quantifiers (like (a+)+) are not allowed';
  return null;
}

const isQuantifierAt = (source: string, at: number) => /^(?:[*+?]|\{\d+(?:,\d*)?\})/.test(source.slice(at));

/** Whether a group that is itself quantified contains a quantifier or an alternation. */
function hasNestedQuantifier(source: string): boolean {
  const open: Array<{ inner: boolean }> = [];
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') open.push({ inner: false });
    else if (ch === ')') {
      const group = open.pop();
      const quantified = isQuantifierAt(source, i + 1);
      if (group?.inner && quantified) return true;
      const parent = open.at(-1);
      if (parent && (group?.inner || quantified)) parent.inner = true;
    } else if (isQuantifierAt(source, i) || ch === '|') {
      const current = open.at(-1);
      if (current) current.inner = true;
    }
  }
  return false;
}

export interface CompiledRule {
  id: number;
  kind: RuleKind;
  pattern: string;
}

/** The rules a message's text hits, within the per-message budget (`unchecked` when it ran out). */
export function matchRules(rules: CompiledRule[], text: string, budgetMs = MESSAGE_BUDGET_MS): { hits: number[]; unchecked: boolean } {
  const checked = text.slice(0, MAX_CHECKED_TEXT);
  const lower = checked.toLowerCase();
  const started = performance.now();
  const hits: number[] = [];
  for (const rule of rules) {
    if (performance.now() - started > budgetMs) return { hits, unchecked: true };
    const hit = rule.kind === 'word' ? lower.includes(rule.pattern.toLowerCase()) : new RegExp(rule.pattern, 'iu').test(checked);
    if (hit) hits.push(rule.id);
  }
  return { hits, unchecked: false };
}
