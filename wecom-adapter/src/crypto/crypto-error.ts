/** Failure codes of WeCom's callback crypto (official sample SDK's errorCode list). */
export const cryptoErrorCodes = {
  VALIDATE_SIGNATURE: -40001,
  PARSE_XML: -40002,
  ILLEGAL_AES_KEY: -40004,
  VALIDATE_RECEIVE_ID: -40005,
  ENCRYPT_AES: -40006,
  DECRYPT_AES: -40007,
  ILLEGAL_BUFFER: -40008,
  DECODE_BASE64: -40010,
} as const;

export type CryptoErrorName = keyof typeof cryptoErrorCodes;

export class WecomCryptoError extends Error {
  readonly code: number;

  constructor(
    readonly reason: CryptoErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'WecomCryptoError';
    this.code = cryptoErrorCodes[reason];
  }
}
