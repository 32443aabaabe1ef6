import { digestOf } from './engine';

/** A stored job line as its job row records it: the line's id and a short hash of its canonical text. */
export interface LineKey {
  id: number;
  hash: string;
}

/** 16 hex of the text's sha256: enough to tell a job's few lines apart. */
export const lineHashOf = (text: string): string => digestOf(text).slice(0, 16);

export const packLineKeys = (keys: LineKey[]): string => keys.map((k) => `${k.id}:${k.hash}`).join(',');

export const unpackLineKeys = (packed: string | null): LineKey[] =>
  packed
    ? packed.split(',').map((entry) => {
        const [id, hash] = entry.split(':');
        return { id: Number(id), hash: hash ?? '' };
      })
    : [];

/** Packs the keys of lines just written, `ids[i]` being the id of the line whose text is `texts[i]`. */
export const keysOfWritten = (ids: number[], texts: string[]): string => packLineKeys(ids.map((id, i) => ({ id, hash: lineHashOf(texts[i] ?? '') })));

export interface LinePlan {
  /** Per recomputed line: the id of the stored line it keeps, or null when it must be inserted. */
  ids: Array<number | null>;
  hashes: string[];
  /** Stored lines no recomputed line matches. */
  deleted: number[];
}

/** Matches a job's recomputed lines to its stored ones by hash (as a multiset): equal lines stay, with their ids and disputes. */
export function planLines(stored: LineKey[], texts: string[]): LinePlan {
  const byHash = new Map<string, number[]>();
  for (const key of stored) {
    const ids = byHash.get(key.hash);
    if (ids) ids.push(key.id);
    else byHash.set(key.hash, [key.id]);
  }
  const hashes = texts.map(lineHashOf);
  const ids = hashes.map((hash) => byHash.get(hash)?.shift() ?? null);
  return { ids, hashes, deleted: [...byHash.values()].flat() };
}
