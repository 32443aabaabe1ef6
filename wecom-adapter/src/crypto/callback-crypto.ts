import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt as wecomDecrypt, encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import { WecomCryptoError } from './crypto-error';

export interface CallbackCryptoOptions {
  /** The callback Token configured in the WeCom admin. */
  token: string;
  /** The 43-character EncodingAESKey. */
  encodingAesKey: string;
  /** Expected receive id: the corp id for internal apps, the suite id for suite callbacks. */
  receiveId: string;
}

export interface SignedQuery {
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export interface SealedMessage extends SignedQuery {
  encrypt: string;
}

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * WeCom's callback crypto (WXBizMsgCrypt): SHA-1 signature over the sorted token, timestamp, nonce
 * and ciphertext; AES-256-CBC with 32-byte PKCS#7 padding; and the receive id appended to every
 * plaintext, which we check so that a message sealed for another corp is refused.
 */
export function createCallbackCrypto(options: CallbackCryptoOptions) {
  const { token, encodingAesKey, receiveId } = options;
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey) || Buffer.from(`${encodingAesKey}=`, 'base64').length !== 32) {
    throw new WecomCryptoError('ILLEGAL_AES_KEY', 'EncodingAESKey must be 43 base64 characters (32 bytes)');
  }

  const signature = (timestamp: string, nonce: string, encrypt: string) => getSignature(token, timestamp, nonce, encrypt);

  function verify(query: SignedQuery, encrypt: string): void {
    const expected = Buffer.from(signature(query.timestamp, query.nonce, encrypt));
    const given = Buffer.from(query.msgSignature.toLowerCase());
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new WecomCryptoError('VALIDATE_SIGNATURE', 'msg_signature does not match');
    }
  }

  function decrypt(encrypt: string): string {
    if (!base64.test(encrypt) || encrypt.length % 4 !== 0) throw new WecomCryptoError('DECODE_BASE64', 'ciphertext is not base64');
    const raw = Buffer.from(encrypt, 'base64');
    if (raw.length === 0 || raw.length % 32 !== 0) throw new WecomCryptoError('ILLEGAL_BUFFER', 'ciphertext is not a whole number of 32-byte blocks');
    let opened: { message: string; id: string };
    try {
      opened = wecomDecrypt(encodingAesKey, encrypt);
    } catch {
      throw new WecomCryptoError('DECRYPT_AES', 'ciphertext does not decrypt with this EncodingAESKey');
    }
    if (opened.id !== receiveId) throw new WecomCryptoError('VALIDATE_RECEIVE_ID', 'message was sealed for another receive id');
    return opened.message;
  }

  function encrypt(message: string, random: Buffer = randomBytes(16)): string {
    if (random.length !== 16) throw new WecomCryptoError('ENCRYPT_AES', 'random prefix must be 16 bytes');
    return wecomEncrypt(encodingAesKey, message, receiveId, random);
  }

  return {
    signature,
    /** Verifies the signature, then decrypts and checks the receive id. */
    open(query: SignedQuery, encrypt: string): string {
      verify(query, encrypt);
      return decrypt(encrypt);
    },
    decrypt,
    encrypt,
    /** Encrypts and signs a message, as WeCom does for callbacks and as we do for passive replies. */
    seal(message: string, at: { timestamp?: string; nonce?: string; random?: Buffer } = {}): SealedMessage {
      const timestamp = at.timestamp ?? String(Math.floor(Date.now() / 1000));
      const nonce = at.nonce ?? String(randomBytes(4).readUInt32BE());
      const sealed = encrypt(message, at.random);
      return { encrypt: sealed, msgSignature: signature(timestamp, nonce, sealed), timestamp, nonce };
    },
  };
}

export type CallbackCrypto = ReturnType<typeof createCallbackCrypto>;

/** The XML of an encrypted passive reply (or of a callback WeCom pushes). */
export const sealedReplyXml = (sealed: SealedMessage) =>
  `<xml><Encrypt><![CDATA[${sealed.encrypt}]]></Encrypt><MsgSignature><![CDATA[${sealed.msgSignature}]]></MsgSignature><TimeStamp>${sealed.timestamp}</TimeStamp><Nonce><![CDATA[${sealed.nonce}]]></Nonce></xml>`;

/** The XML envelope WeCom POSTs to a callback URL. */
export const callbackEnvelopeXml = (toUserName: string, encrypt: string, agentId?: string) =>
  `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt>${agentId ? `<AgentID><![CDATA[${agentId}]]></AgentID>` : ''}</xml>`;
