import { parseEventXml } from './event-parser';
import { buildEventXml } from './event-xml';
import { parseXml } from './safe-xml';

describe('buildEventXml', () => {
  it('writes strings in CDATA and numbers bare, in order', () => {
    expect(buildEventXml({ ToUserName: 'ww', CreateTime: 1403610513 })).toBe('<xml><ToUserName><![CDATA[ww]]></ToUserName><CreateTime>1403610513</CreateTime></xml>');
  });

  it('round-trips every field through parseXml, markup and "]]>" included', async () => {
    const fields = { ToUserName: 'ww_corp', Content: 'a <b> & ]]> c 中文 😀', Empty: '', Count: 42 };
    expect(await parseXml(buildEventXml(fields))).toEqual({ ToUserName: 'ww_corp', Content: 'a <b> & ]]> c 中文 😀', Empty: '', Count: '42' });
  });

  it('builds a callback that parses back to the event it describes', async () => {
    const xml = buildEventXml({
      ToUserName: 'ww_corp', FromUserName: 'sys', CreateTime: 1700000000, MsgType: 'event', Event: 'change_external_contact',
      ChangeType: 'add_external_contact', UserID: 'zhangsan', ExternalUserID: 'wmX', State: 'channel-7', WelcomeCode: 'WC',
    });
    expect(await parseEventXml(xml)).toMatchObject({ kind: 'external_contact', corpId: 'ww_corp', createTime: 1700000000, userId: 'zhangsan', externalUserId: 'wmX', state: 'channel-7', welcomeCode: 'WC' });
  });

  it('refuses names that are not XML names and numbers that are not finite', () => {
    expect(() => buildEventXml({ 'A><B': 'x' })).toThrow('not an XML element name');
    expect(() => buildEventXml({ N: Number.NaN })).toThrow('finite');
  });
});
