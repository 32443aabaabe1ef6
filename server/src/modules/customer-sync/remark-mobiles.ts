import type { PiiField } from '../../core/crypto/pii-field';

/** A follow's remark mobiles: the list encrypted as one JSON array, the blind index of the first number. */
export interface RemarkMobilesCodec {
  seal(mobiles: string[]): { remark_mobiles_enc: string | null; remark_mobiles_bidx: string | null };
  open(row: { remark_mobiles_enc?: string | null }): string[];
}

/**
 * Built from the phone field (for the blind index, so a lookup by phone finds remark mobiles too)
 * and a field whose normalisation leaves a JSON array as it is (for the list).
 */
export function createRemarkMobilesCodec(fields: { phone: PiiField; list: PiiField }): RemarkMobilesCodec {
  const encColumn = `${fields.list.column}_enc`;
  return {
    seal(mobiles) {
      if (!mobiles.length) return { remark_mobiles_enc: null, remark_mobiles_bidx: null };
      const sealedList = fields.list.seal(JSON.stringify(mobiles));
      const first = fields.phone.seal(mobiles[0]);
      return { remark_mobiles_enc: sealedList[encColumn] ?? null, remark_mobiles_bidx: first[`${fields.phone.column}_bidx`] ?? null };
    },
    open(row) {
      if (!row.remark_mobiles_enc) return [];
      const plain = fields.list.open({ [encColumn]: row.remark_mobiles_enc });
      if (!plain) return [];
      try {
        const parsed: unknown = JSON.parse(plain);
        return Array.isArray(parsed) ? parsed.map(String) : [plain];
      } catch {
        return [plain];
      }
    },
  };
}
