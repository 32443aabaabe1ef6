/** SDK return codes (PROTOCOL §5.3). */
const meanings: Record<number, string> = {
  10000: 'bad parameter',
  10001: 'network error',
  10002: 'data parse failure',
  10003: 'system failure',
  10004: 'encryption failed because of a wrong key',
  10005: 'bad fileid',
  10006: 'decryption failed',
  10007: 'no private key for the message encryption version',
  10008: 'could not parse encrypt_key',
  10009: 'IP not allowed',
  10010: 'data expired',
  10011: 'certificate error',
};

export class FinanceSdkError extends Error {
  constructor(
    readonly call: string,
    readonly sdkCode: number,
    detail?: string,
  ) {
    super(`${call} failed with ${sdkCode} (${detail ?? meanings[sdkCode] ?? 'unknown error'})`);
    this.name = 'FinanceSdkError';
  }
}
