import { constants, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';

export class RsaDecryptError extends Error {
  constructor() {
    // One message for every failure: which padding check failed is not revealed.
    super('RSA decryption failed');
    this.name = 'RsaDecryptError';
  }
}

/** Parses a PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) PEM; throws on anything else. */
export function parseRsaPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA private key');
  return key;
}

/**
 * The message inside a PKCS#1 v1.5 type-2 block: 0x00 0x02, at least 8 non-zero padding bytes, a
 * 0x00 separator. Null for any malformed block, whichever check failed. Self-contained (no outside
 * references): the decryption threads run its source.
 */
export function pkcs1Type2Payload(block: Uint8Array): Uint8Array | null {
  let bad = (block[0] ?? 1) | ((block[1] ?? 0) ^ 2);
  let separator = 0;
  for (let i = 2; i < block.length; i++) {
    if (separator === 0 && block[i] === 0) separator = i;
  }
  bad |= separator < 10 ? 1 : 0;
  return bad === 0 ? block.subarray(separator + 1) : null;
}

/**
 * RSA PKCS#1 v1.5 decryption on Node 20, which refuses RSA_PKCS1_PADDING for private decryption
 * (CVE-2023-46809): raw RSA through OpenSSL (RSA_NO_PADDING), then the padding checked here.
 */
export function rsaPkcs1Decrypt(key: KeyObject, sealed: Buffer): Buffer {
  let payload: Uint8Array | null = null;
  try {
    payload = pkcs1Type2Payload(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, sealed));
  } catch {
    // the same error as a bad padding
  }
  if (!payload) throw new RsaDecryptError();
  return Buffer.from(payload.buffer, payload.byteOffset, payload.length);
}
