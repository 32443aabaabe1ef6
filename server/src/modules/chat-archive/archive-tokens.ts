/** Longest token kept (Latin words are cut; the text check after the index look-up keeps results exact). */
export const MAX_TOKEN_LENGTH = 32;

const han = /\p{Script=Han}/u;
const runs = /[\p{Script=Han}]+|[\p{L}\p{N}]+/gu;

const normalise = (text: string) => text.normalize('NFKC').toLowerCase();

/**
 * The tokens a text is indexed under: Chinese as overlapping character bigrams plus single
 * characters (so a one-character query finds them), other letters and digits as lower-cased words.
 */
export function indexTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const [run] of normalise(text).matchAll(runs)) {
    if (han.test(run[0] ?? '')) {
      const chars = [...run];
      for (let i = 0; i < chars.length; i++) {
        tokens.add(chars[i]!);
        if (i + 1 < chars.length) tokens.add(chars[i]! + chars[i + 1]!);
      }
    } else {
      tokens.add(run.slice(0, MAX_TOKEN_LENGTH));
    }
  }
  return [...tokens];
}

/**
 * The tokens every match must carry: bigrams for a Chinese run (its one character when it has one),
 * words otherwise. Empty when the query has no letters or digits.
 */
export function queryTokens(query: string): string[] {
  const tokens = new Set<string>();
  for (const [run] of normalise(query).matchAll(runs)) {
    if (han.test(run[0] ?? '')) {
      const chars = [...run];
      if (chars.length === 1) tokens.add(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
    } else {
      tokens.add(run.slice(0, MAX_TOKEN_LENGTH));
    }
  }
  return [...tokens];
}
