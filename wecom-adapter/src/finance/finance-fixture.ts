import { constants, createHash, publicEncrypt, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EncryptedChatItem } from './finance-sdk';

/** The stand-in's symmetric scheme (see finance-standin.c): XOR with a mulberry32 stream seeded by FNV-1a of the key. */
export function standinCipher(key: string, data: Buffer): Buffer {
  let state = 2166136261;
  for (const byte of Buffer.from(key, 'utf8')) state = Math.imul(state ^ byte, 16777619) >>> 0;
  const out = Buffer.from(data);
  for (let i = 0; i < out.length; i += 4) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0;
    t = (t ^ (t + Math.imul(t ^ (t >>> 7), t | 61))) >>> 0;
    t = (t ^ (t >>> 14)) >>> 0;
    for (let j = 0; j < 4 && i + j < out.length; j++) out[i + j] = out[i + j]! ^ ((t >>> (8 * j)) & 0xff);
  }
  return out;
}

/** A message encrypted the way WeCom delivers it: RSA-2048 PKCS#1 v1.5 random key, then the stand-in's DecryptData scheme. */
export function encryptChatItem(seq: number, message: { msgid: string } & Record<string, unknown>, key: { version: number; publicKeyPem: string }): EncryptedChatItem {
  const randomKey = randomBytes(16).toString('hex');
  const sealedKey = publicEncrypt({ key: key.publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(randomKey, 'ascii'));
  const body = standinCipher(randomKey, Buffer.concat([Buffer.from('SCRM'), Buffer.from(JSON.stringify(message), 'utf8')]));
  return { seq, msgid: message.msgid, publickey_ver: key.version, encrypt_random_key: sealedKey.toString('base64'), encrypt_chat_msg: body.toString('base64') };
}

/** Writes what the stand-in serves: archived messages (appended in seq order), media files, a one-shot crash. */
export function createFinanceFixture(dir: string) {
  mkdirSync(join(dir, 'media'), { recursive: true });
  const chatFile = join(dir, 'chatdata.jsonl');
  writeFileSync(chatFile, '', { flag: 'a' });
  let lastSeq = 0;
  return {
    dir,
    get lastSeq() {
      return lastSeq;
    },
    /** Appends messages; each gets the next seq. */
    append(messages: Array<{ message: { msgid: string } & Record<string, unknown>; key: { version: number; publicKeyPem: string } }>): EncryptedChatItem[] {
      const items = messages.map(({ message, key }) => encryptChatItem(++lastSeq, message, key));
      appendFileSync(chatFile, items.map((item) => `${JSON.stringify(item)}\n`).join(''));
      return items;
    },
    /** Stores a media file; returns its md5 as WeCom reports it. */
    writeMedia(sdkFileId: string, bytes: Buffer): string {
      writeFileSync(join(dir, 'media', sdkFileId), bytes);
      return createHash('md5').update(bytes).digest('hex');
    },
    /** The next GetChatData call crashes the calling process (SIGSEGV), once. */
    armCrash(): void {
      writeFileSync(join(dir, 'crash'), '');
    },
  };
}

export type FinanceFixture = ReturnType<typeof createFinanceFixture>;
