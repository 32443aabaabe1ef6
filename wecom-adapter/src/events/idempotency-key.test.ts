import { parseEventXml } from './event-parser';
import { buildEventXml } from './event-xml';
import { eventIdempotencyKey, maxIdempotencyKeyLength } from './idempotency-key';

const head = { ToUserName: 'ww_corp', FromUserName: 'sys', CreateTime: 1700000000, MsgType: 'event' };
const keyOf = async (fields: Record<string, string | number>) => eventIdempotencyKey(await parseEventXml(buildEventXml({ ...head, ...fields })));

const added = (userId: string, externalUserId: string) => ({ Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: userId, ExternalUserID: externalUserId });
const chatUpdate = (chatId: string, extra: Record<string, string | number> = {}) => ({ Event: 'change_external_chat', ChangeType: 'update', ChatId: chatId, UpdateDetail: 'add_member', JoinScene: 3, MemChangeCnt: 1, ...extra });

describe('eventIdempotencyKey', () => {
  it('keys a message by its MsgId', async () => {
    expect(await keyOf({ MsgType: 'text', FromUserName: 'zs', Content: 'hi', MsgId: '4561255354251345929' })).toBe('msg:4561255354251345929');
  });

  it('gives a retried change event the same key, whatever the field order or whitespace', async () => {
    const first = await keyOf(added('zhangsan', 'wmA'));
    const retry = eventIdempotencyKey(
      await parseEventXml(`<xml>\n  <ExternalUserID><![CDATA[wmA]]></ExternalUserID>\n  <UserID>zhangsan</UserID>\n  <ChangeType>add_external_contact</ChangeType>\n  <Event>change_external_contact</Event>\n  <MsgType>event</MsgType>\n  <CreateTime>1700000000</CreateTime>\n  <FromUserName>sys</FromUserName>\n  <ToUserName>ww_corp</ToUserName>\n</xml>`),
    );
    expect(retry).toBe(first);
    expect(first).toMatch(/^evt:ww_corp:change_external_contact:add_external_contact:1700000000:zhangsan:wmA:[0-9a-f]{16}$/);
  });

  it('gives the same key to the same event delivered to a suite and to an internal app', async () => {
    const suite = { SuiteId: 'ww_suite', AuthCorpId: 'ww_corp', InfoType: 'change_external_contact', TimeStamp: 1700000000, ChangeType: 'add_external_contact', UserID: 'zs', ExternalUserID: 'wmA' };
    expect(eventIdempotencyKey(await parseEventXml(buildEventXml(suite)))).toBe(await keyOf(added('zs', 'wmA')));
  });

  it('keeps apart two customers added in the same second', async () => {
    expect(await keyOf(added('zhangsan', 'wmA'))).not.toBe(await keyOf(added('zhangsan', 'wmB')));
  });

  it('keeps apart one customer added by two members in the same second', async () => {
    expect(await keyOf(added('zhangsan', 'wmA'))).not.toBe(await keyOf(added('lisi', 'wmA')));
  });

  it('keeps apart updates of two chats, and two different updates of one chat, in the same second', async () => {
    expect(await keyOf(chatUpdate('wrA'))).not.toBe(await keyOf(chatUpdate('wrB')));
    expect(await keyOf(chatUpdate('wrA'))).not.toBe(await keyOf(chatUpdate('wrA', { UpdateDetail: 'change_name' })));
    expect(await keyOf(chatUpdate('wrA', { MemChangeList: 'wmA' }))).not.toBe(await keyOf(chatUpdate('wrA', { MemChangeList: 'wmB' })));
  });

  it('keeps apart a tag and a tag group with the same id, and different change types', async () => {
    const tag = { Event: 'change_external_tag', ChangeType: 'update', Id: 'X1', TagType: 'tag' };
    expect(await keyOf(tag)).not.toBe(await keyOf({ ...tag, TagType: 'tag_group' }));
    expect(await keyOf(tag)).not.toBe(await keyOf({ ...tag, ChangeType: 'delete' }));
  });

  it('keeps apart the same event in another second and in another corp', async () => {
    expect(await keyOf(added('zs', 'wmA'))).not.toBe(await keyOf({ ...added('zs', 'wmA'), CreateTime: 1700000001 }));
    expect(await keyOf(added('zs', 'wmA'))).not.toBe(await keyOf({ ...added('zs', 'wmA'), ToUserName: 'ww_other' }));
  });

  it('hashes the canonical raw fields of an unknown event, independent of field order', async () => {
    const key = await keyOf({ Event: 'enter_agent', EventKey: 'k' });
    expect(key).toMatch(/^raw:[0-9a-f]{64}$/);
    const reordered = eventIdempotencyKey(
      await parseEventXml('<xml><EventKey>k</EventKey><Event>enter_agent</Event><MsgType>event</MsgType><CreateTime>1700000000</CreateTime><FromUserName>sys</FromUserName><ToUserName>ww_corp</ToUserName></xml>'),
    );
    expect(reordered).toBe(key);
    expect(await keyOf({ Event: 'enter_agent', EventKey: 'other' })).not.toBe(key);
  });

  it('keeps long keys within the limit and still distinct', async () => {
    const long = (suffix: string) => keyOf(added(`u${'x'.repeat(150)}${suffix}`, 'wmA'));
    const [a, b] = [await long('1'), await long('2')];
    expect(a.length).toBe(maxIdempotencyKeyLength);
    expect(a).not.toBe(b);
    expect(await keyOf({ MsgType: 'text', FromUserName: 'zs', MsgId: 'm'.repeat(300) })).toHaveLength(maxIdempotencyKeyLength);
  });
});
