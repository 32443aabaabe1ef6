import { randomBytes } from 'node:crypto';
import { callbackEnvelopeXml, createCallbackCrypto, type CallbackCrypto } from '@scrm/wecom-adapter';

/** WeCom settings for a test corp, as environment variables. */
export function testWecomEnv(corpId = 'ww_test_corp') {
  return {
    WECOM_CORP_ID: corpId,
    WECOM_CALLBACK_TOKEN: 'test-callback-token',
    WECOM_CALLBACK_AES_KEY: randomBytes(32).toString('base64').slice(0, 43),
  };
}

export const cryptoFor = (env: ReturnType<typeof testWecomEnv>): CallbackCrypto =>
  createCallbackCrypto({ token: env.WECOM_CALLBACK_TOKEN, encodingAesKey: env.WECOM_CALLBACK_AES_KEY, receiveId: env.WECOM_CORP_ID });

/** The request WeCom would send for this plaintext event: signed query string and encrypted envelope. */
export function sealedCallback(crypto: CallbackCrypto, corpId: string, plaintext: string) {
  const sealed = crypto.seal(plaintext);
  const query = new URLSearchParams({ msg_signature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce }).toString();
  return { path: `/wecom/callback?${query}`, body: callbackEnvelopeXml(corpId, sealed.encrypt) };
}

/** A change_external_contact event in WeCom's internal-app format. */
export const externalContactXml = (corpId: string, fields: { changeType: string; userId: string; externalUserId: string; createTime: number; extra?: string }) =>
  `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${fields.createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[${fields.changeType}]]></ChangeType><UserID><![CDATA[${fields.userId}]]></UserID><ExternalUserID><![CDATA[${fields.externalUserId}]]></ExternalUserID>${fields.extra ?? ''}</xml>`;
