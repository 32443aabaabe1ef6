/** A small deterministic PRNG (mulberry32): the same seed yields the same corp. */
export function createSeededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(next() * items.length)] as T;
  };
  const chance = (rate: number) => rate > 0 && next() < rate;
  const chars = (length: number, alphabet = ID_ALPHABET) => {
    // Written into a Buffer so that V8 stores one flat string, not a rope of `length` pieces (100k ids).
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i += 1) out[i] = alphabet.charCodeAt(Math.floor(next() * alphabet.length));
    return out.toString('latin1');
  };
  /** A WeCom-looking id: prefix + random characters, 32 characters in all by default. */
  const wecomId = (prefix: string, length = 32) => flat(prefix + chars(length - prefix.length));
  return { next, int, pick, chance, chars, wecomId };
}

/** Forces a flat string (concatenations create ropes that cost far more memory). */
export const flat = (s: string) => Buffer.from(s, 'latin1').toString('latin1');

export type SeededRandom = ReturnType<typeof createSeededRandom>;

export const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX_ALPHABET = '0123456789abcdef';
