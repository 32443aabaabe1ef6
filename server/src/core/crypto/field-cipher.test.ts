import { randomBytes } from 'node:crypto';
import { createFieldCipher } from './field-cipher';
import { deriveKeys } from './keys';
import { definePiiField, maskers } from './pii-field';

const keys = deriveKeys(randomBytes(32).toString('hex'));
const cipher = createFieldCipher(keys.fieldEncryption, keys.blindIndex);

describe('field encryption', () => {
  it('round-trips Chinese text and gives a different ciphertext each time', () => {
    const a = cipher.encrypt('上海市徐汇区 1 号');
    const b = cipher.encrypt('上海市徐汇区 1 号');
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a)).toBe('上海市徐汇区 1 号');
  });

  it('never reuses a nonce, across refills of its random pool', () => {
    const nonces = new Set(Array.from({ length: 2000 }, () => Buffer.from(cipher.encrypt('x').slice(3), 'base64').subarray(0, 12).toString('hex')));
    expect(nonces.size).toBe(2000);
  });

  it('refuses a ciphertext that was tampered with', () => {
    const sealed = cipher.encrypt('13800000001');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    expect(() => cipher.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
  });

  it('refuses a ciphertext made with another APP_SECRET', () => {
    const other = deriveKeys('another-secret-another-secret-another');
    const foreign = createFieldCipher(other.fieldEncryption, other.blindIndex).encrypt('13800000001');
    expect(() => cipher.decrypt(foreign)).toThrow();
  });

  it('derives independent keys per purpose', () => {
    expect(keys.fieldEncryption.equals(keys.blindIndex)).toBe(false);
    expect(keys.blindIndex.equals(keys.sessionToken)).toBe(false);
  });
});

describe('personal-data fields', () => {
  const phone = definePiiField(cipher, { column: 'phone', kind: 'phone' });

  it('masks phones as 138****0001 and addresses after six characters', () => {
    expect(maskers.phone('13800000001')).toBe('138****0001');
    expect(maskers.address('广东省深圳市南山区科技园')).toBe('广东省深圳市****');
  });

  it('hides at least four digits of a short number and half of a short address', () => {
    expect(maskers.phone('6212345')).toBe('****345');
    expect(maskers.phone('62123456')).toBe('****3456');
    expect(maskers.phone('021-6212')).toBe('****6212');
    expect(maskers.address('北京')).toBe('北****');
  });

  it('matches the same number however it is written', () => {
    const row = phone.seal('+86 138-0000-0001');
    expect(phone.open(row)).toBe('13800000001');
    expect(phone.matching('13800000001')).toEqual({ phone_bidx: row.phone_bidx });
  });

  it('clears both columns for an empty value', () => {
    expect(phone.seal(null)).toEqual({ phone_enc: null, phone_bidx: null });
    expect(phone.present({ phone_enc: null }, true)).toBeNull();
  });
});
