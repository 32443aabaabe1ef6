import type { FieldCipher } from './field-cipher';

export type PiiKind = 'phone' | 'address';

export interface PiiFieldDefinition {
  /** Column prefix: `phone` → `phone_enc` + `phone_bidx`. */
  column: string;
  kind: PiiKind;
}

const normalizers: Record<PiiKind, (value: string) => string> = {
  phone: (value) => value.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, ''),
  address: (value) => value.trim().replace(/\s+/g, ' '),
};

/** Masks always hide at least four characters (or half an address), however short the value. */
export const maskers: Record<PiiKind, (value: string) => string> = {
  phone: (value) => {
    const front = Math.min(3, Math.max(0, value.length - 8));
    const back = Math.min(4, Math.max(0, value.length - 4 - front));
    return `${value.slice(0, front)}****${back ? value.slice(-back) : ''}`;
  },
  address: (value) => {
    const characters = [...value];
    return `${characters.slice(0, Math.min(6, Math.floor(characters.length / 2))).join('')}****`;
  },
};

/**
 * A personal-data field stored encrypted with a blind index. Customers, users and work orders
 * declare theirs with `definePiiField` and never touch ciphertext themselves.
 */
export interface PiiField {
  readonly column: string;
  readonly kind: PiiKind;
  /** Column values to write for a plain value (null clears the field). */
  seal(value: string | null | undefined): Record<string, string | null>;
  /** The plain value of a stored row, or null. */
  open(row: Record<string, unknown>): string | null;
  /** What a caller sees: plain when allowed, masked otherwise. */
  present(row: Record<string, unknown>, reveal: boolean): string | null;
  /** A where-clause fragment matching an exact value. */
  matching(value: string): Record<string, string>;
  mask(value: string): string;
}

export function definePiiField(cipher: FieldCipher, definition: PiiFieldDefinition): PiiField {
  const { column, kind } = definition;
  const encColumn = `${column}_enc`;
  const indexColumn = `${column}_bidx`;
  const normalize = normalizers[kind];
  const mask = maskers[kind];
  const open = (row: Record<string, unknown>) => {
    const sealed = row[encColumn];
    return typeof sealed === 'string' && sealed ? cipher.decrypt(sealed) : null;
  };
  return {
    column,
    kind,
    seal(value) {
      if (value === null || value === undefined || value === '') return { [encColumn]: null, [indexColumn]: null };
      const normalized = normalize(value);
      return { [encColumn]: cipher.encrypt(normalized), [indexColumn]: cipher.blindIndex(normalized) };
    },
    open,
    present(row, reveal) {
      const plain = open(row);
      if (plain === null) return null;
      return reveal ? plain : mask(plain);
    },
    matching(value) {
      return { [indexColumn]: cipher.blindIndex(normalize(value)) };
    },
    mask,
  };
}
