import { callbackEnvelopeXml } from '../crypto/callback-crypto';
import { EnvelopeRejectedError, parseEnvelope } from './envelope';

const reasonOf = (body: string) => parseEnvelope(body).then(
  () => 'accepted',
  (error: unknown) => (error instanceof EnvelopeRejectedError ? error.reason : 'other'),
);

describe('parseEnvelope', () => {
  it('reads the XML envelope of PROTOCOL.md §1.3 with its agent id', async () => {
    const body = `<xml>
   <ToUserName><![CDATA[toUser]]></ToUserName>
   <AgentID><![CDATA[toAgentID]]></AgentID>
   <Encrypt><![CDATA[msg_encrypt]]></Encrypt>
</xml>`;
    expect(await parseEnvelope(body)).toEqual({ toUserName: 'toUser', encrypt: 'msg_encrypt', agentId: 'toAgentID' });
  });

  it('reads the envelope our crypto module writes, without an agent id', async () => {
    expect(await parseEnvelope(callbackEnvelopeXml('ww_corp', 'abc+/='))).toEqual({ toUserName: 'ww_corp', encrypt: 'abc+/=' });
  });

  it('reads the JSON variant, numeric agent id included', async () => {
    expect(await parseEnvelope(' {"tousername":"ww_corp","encrypt":"xyz","agentid":1000002}')).toEqual({ toUserName: 'ww_corp', encrypt: 'xyz', agentId: '1000002' });
    expect(await parseEnvelope('{"tousername":"ww_corp","encrypt":"xyz","agentid":""}')).toEqual({ toUserName: 'ww_corp', encrypt: 'xyz' });
  });

  it('refuses an envelope without Encrypt, bad JSON, DTDs and oversized bodies with a reason', async () => {
    expect(await reasonOf('<xml><ToUserName>ww</ToUserName></xml>')).toBe('missing_encrypt');
    expect(await reasonOf('<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>')).toBe('missing_encrypt');
    expect(await reasonOf('{"tousername":"ww"}')).toBe('missing_encrypt');
    expect(await reasonOf('{"encrypt":')).toBe('invalid_json');
    expect(await reasonOf('<!DOCTYPE xml><xml><Encrypt>a</Encrypt></xml>')).toBe('dtd');
    expect(await reasonOf('<foo><Encrypt>a</Encrypt></foo>')).toBe('not_xml_root');
    expect(await reasonOf(`{"encrypt":"${'a'.repeat(70000)}"}`)).toBe('too_large');
  });
});
