import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const IV_POOL_BYTES = IV_BYTES * 512;

/**
 * Random 96-bit GCM nonces, cut from a pool filled 512 at a time: one call into the CSPRNG per 512
 * encryptions instead of one each. Every nonce is still fresh random bytes, used once.
 */
function createNonceSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + IV_BYTES > pool.length) {
      pool = randomBytes(IV_POOL_BYTES);
      offset = 0;
    }
    offset += IV_BYTES;
    return pool.subarray(offset - IV_BYTES, offset);
  };
}

/** AES-256-GCM for values at rest; HMAC-SHA256 blind index for exact lookup without decrypting. */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  blindIndex(normalized: string): string;
}

export function createFieldCipher(encryptionKey: Buffer, indexKey: Buffer): FieldCipher {
  const nextIv = createNonceSource();
  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed) {
      const [version, data] = sealed.split(':');
      if (version !== VERSION || !data) throw new Error(`unknown field encryption version ${version ?? ''}`);
      const raw = Buffer.from(data, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(normalized) {
      return createHmac('sha256', indexKey).update(normalized, 'utf8').digest('hex');
    },
  };
}
