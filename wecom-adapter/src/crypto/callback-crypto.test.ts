import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createCallbackCrypto } from './callback-crypto';
import { WecomCryptoError } from './crypto-error';
import { signJsApi } from './jsapi-signature';

interface CallbackVector {
  name: string;
  token: string;
  encodingAesKey: string;
  receiveId: string;
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  encrypt?: string;
  plaintext: string;
  random?: string;
}

const fixture = resolve(__dirname, '../../fixtures/vectors.json');
const vectors = JSON.parse(readFileSync(fixture, 'utf8')) as { callback: CallbackVector[]; jsapi: Record<string, string> };

describe('official WeCom crypto vectors', () => {
  it('keeps the repository copy identical to the shared protocol vectors, when those are present', () => {
    const shared = resolve(__dirname, '../../../../shared/wecom/vectors.json');
    if (existsSync(shared)) expect(JSON.parse(readFileSync(shared, 'utf8'))).toEqual(vectors);
  });

  describe.each(vectors.callback)('$name', (vector) => {
    const crypto = createCallbackCrypto(vector);
    const ciphertext = vector.echostr ?? vector.encrypt ?? '';

    it('decrypts to the official plaintext', () => {
      expect(crypto.decrypt(ciphertext)).toBe(vector.plaintext);
    });

    it('verifies the official signature', () => {
      if (!vector.msg_signature) return;
      const query = { msgSignature: vector.msg_signature, timestamp: vector.timestamp ?? '', nonce: vector.nonce ?? '' };
      expect(crypto.open(query, ciphertext)).toBe(vector.plaintext);
      expect(crypto.signature(query.timestamp, query.nonce, ciphertext)).toBe(vector.msg_signature);
    });

    it('re-encrypts to the official ciphertext with the same random prefix', () => {
      if (!vector.random) return;
      expect(crypto.encrypt(vector.plaintext, Buffer.from(vector.random, 'latin1'))).toBe(ciphertext);
    });

    it('refuses the message for another receive id', () => {
      const other = createCallbackCrypto({ ...vector, receiveId: 'ww_someone_else' });
      expect(() => other.decrypt(ciphertext)).toThrow(expect.objectContaining({ code: -40005 }));
    });

    it('refuses a wrong signature', () => {
      if (!vector.msg_signature) return;
      const query = { msgSignature: vector.msg_signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), timestamp: vector.timestamp ?? '', nonce: vector.nonce ?? '' };
      expect(() => crypto.open(query, ciphertext)).toThrow(expect.objectContaining({ code: -40001 }));
    });
  });

  it('signs the official JS-SDK example', () => {
    const { jsapi } = vectors;
    const signed = signJsApi({ ticket: jsapi.jsapi_ticket ?? '', url: jsapi.url ?? '', nonceStr: jsapi.noncestr, timestamp: Number(jsapi.timestamp) });
    expect(signed.signature).toBe(jsapi.signature);
    const withFragment = signJsApi({ ticket: jsapi.jsapi_ticket ?? '', url: `${jsapi.url}#section`, nonceStr: jsapi.noncestr, timestamp: Number(jsapi.timestamp) });
    expect(withFragment.signature).toBe(jsapi.signature);
  });
});

describe('callback crypto round trips', () => {
  const crypto = createCallbackCrypto({ token: 'tok', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43), receiveId: 'ww_round_trip' });

  it.each(Array.from({ length: 32 }, (_, i) => i + 1))('round-trips a message whose padding is exactly %i bytes', (pad) => {
    // plaintext = 16 random + 4 length + message + receive id, then padded up to a multiple of 32
    const fixed = 16 + 4 + 'ww_round_trip'.length;
    const length = 32 + ((64 - ((fixed + pad) % 32)) % 32);
    const message = 'm'.repeat(length);
    const sealed = crypto.encrypt(message);
    expect(Buffer.from(sealed, 'base64').length - (fixed + length)).toBe(pad);
    expect(crypto.decrypt(sealed)).toBe(message);
  });

  it('covers every pad length from 1 to 32 across message sizes', () => {
    const seen = new Set<number>();
    for (let size = 0; size < 64; size += 1) {
      const message = 'x'.repeat(size);
      const sealed = crypto.encrypt(message);
      seen.add(Buffer.from(sealed, 'base64').length - (16 + 4 + size + 'ww_round_trip'.length));
      expect(crypto.decrypt(sealed)).toBe(message);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  });

  it('round-trips UTF-8 content of random sizes', () => {
    const alphabet = ['a', '中', '文', '😀', 'é', '<', '&', '\n'];
    for (let i = 0; i < 200; i += 1) {
      const size = Math.floor(Math.random() * 300);
      const message = Array.from({ length: size }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
      const sealed = crypto.seal(message);
      expect(crypto.open(sealed, sealed.encrypt)).toBe(message);
    }
  });

  it('refuses garbage with a WeCom error code, never a crash', () => {
    for (const bad of ['', 'not base64!!', Buffer.from('short').toString('base64'), randomBytes(64).toString('base64')]) {
      expect(() => crypto.decrypt(bad)).toThrow(WecomCryptoError);
    }
  });

  it('refuses an EncodingAESKey that is not 43 base64 characters', () => {
    expect(() => createCallbackCrypto({ token: 't', encodingAesKey: 'short', receiveId: 'x' })).toThrow(expect.objectContaining({ code: -40004 }));
  });
});
