import { hkdfSync } from 'node:crypto';

/** Independent keys derived from APP_SECRET, one per purpose, so that no key is used for two jobs. */
export interface AppKeys {
  fieldEncryption: Buffer;
  blindIndex: Buffer;
  sessionToken: Buffer;
}

const derive = (secret: string, purpose: string) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `weave-scrm:${purpose}`, 32));

export function deriveKeys(appSecret: string): AppKeys {
  return {
    fieldEncryption: derive(appSecret, 'field-encryption:v1'),
    blindIndex: derive(appSecret, 'blind-index:v1'),
    sessionToken: derive(appSecret, 'session-token:v1'),
  };
}
