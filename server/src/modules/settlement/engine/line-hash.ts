import { createHash } from 'node:crypto';

/** The fields of a line that its hash covers; `factsUsedJson` is the facts-used object as stored (JSON text). */
export interface CanonicalLine {
  payeeId: number;
  workOrderId: number | null;
  ruleSetVersionId: number | null;
  ruleKey: string;
  ruleKind: string;
  lineType: string;
  amountFen: number;
  formula: string;
  rounding: string;
  factsUsedJson: string;
}

/**
 * A line as one line of text, fields in a fixed order. Rule keys, kinds, types and rounding cannot
 * hold `|`; the formula is JSON-quoted and the facts JSON comes last, so the text is unambiguous and
 * never holds a raw newline. Building it is cheap, which matters for millions of lines.
 */
export const lineText = (l: CanonicalLine): string =>
  `${l.payeeId}|${l.workOrderId ?? ''}|${l.ruleSetVersionId ?? ''}|${l.ruleKey}|${l.ruleKind}|${l.lineType}|${l.amountFen}|${l.rounding}|${JSON.stringify(l.formula)}|${l.factsUsedJson}\n`;

/** Hex sha256 of a text. */
export const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface TextDigest {
  add(text: string): void;
  /** Hex sha256 over everything added so far (adding may go on). */
  digest(): string;
}

/** Streaming sha256; small texts are buffered so that hashing a million lines makes few native calls. */
export function createTextDigest(): TextDigest {
  const hash = createHash('sha256');
  let pending = '';
  const flush = () => {
    if (pending) hash.update(pending);
    pending = '';
  };
  return {
    add(text) {
      pending += text;
      if (pending.length > 65_536) flush();
    },
    digest() {
      flush();
      return hash.copy().digest('hex');
    },
  };
}
