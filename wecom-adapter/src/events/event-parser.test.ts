import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEventXml } from './event-parser';
import { buildEventXml } from './event-xml';

/** The event samples of PROTOCOL.md §3, copied verbatim (whitespace included). */
const addExternalContact = `<xml>
	<ToUserName><![CDATA[toUser]]></ToUserName>
	<FromUserName><![CDATA[sys]]></FromUserName> 
	<CreateTime>1403610513</CreateTime>
	<MsgType><![CDATA[event]]></MsgType>
	<Event><![CDATA[change_external_contact]]></Event>
	<ChangeType><![CDATA[add_external_contact]]></ChangeType>
	<UserID><![CDATA[zhangsan]]></UserID>
	<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>
	<State><![CDATA[teststate]]></State>
	<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>
</xml>`;
const transferFailSuite = `<xml>
  <SuiteId><![CDATA[ww4asffe99e54c0f4c]]></SuiteId>
  <AuthCorpId><![CDATA[wxf8b4f85f3a794e77]]></AuthCorpId>
  <InfoType><![CDATA[change_external_contact]]></InfoType>
  <TimeStamp>1403610513</TimeStamp>
  <ChangeType><![CDATA[transfer_fail]]></ChangeType>
  <FailReason><![CDATA[customer_refused]]></FailReason>
  <UserID><![CDATA[zhangsan]]></UserID>
  <ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACH71w]]></ExternalUserID>
</xml>`;
const delExternalContact = `<xml><ToUserName><![CDATA[ww_corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[del_external_contact]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACH71w]]></ExternalUserID><Source><![CDATA[DELETE_BY_TRANSFER]]></Source></xml>`;
const externalChatUpdateSuite = `<xml>
  <SuiteId><![CDATA[ww4asffe99e54c0f4c]]></SuiteId>
  <AuthCorpId><![CDATA[wxf8b4f85f3a794e77]]></AuthCorpId>
  <InfoType><![CDATA[change_external_chat]]></InfoType>
  <TimeStamp>1403610513</TimeStamp>
  <ChatId><![CDATA[CHAT_ID]]></ChatId>
  <ChangeType><![CDATA[update]]></ChangeType>
  <UpdateDetail><![CDATA[add_member]]></UpdateDetail>
  <JoinScene>1</JoinScene>
  <QuitScene>0</QuitScene>
  <MemChangeCnt>10</MemChangeCnt>
</xml>`;
const externalTagCreateSuite = `<xml>
  <SuiteId><![CDATA[ww4asffe99e54c0f4c]]></SuiteId>
  <AuthCorpId><![CDATA[wxf8b4f85f3a794e77]]></AuthCorpId>
  <InfoType><![CDATA[change_external_tag]]></InfoType>
  <TimeStamp>1403610513</TimeStamp>
  <Id><![CDATA[TAG_ID]]></Id>
  <TagType><![CDATA[tag]]></TagType>
  <ChangeType><![CDATA[create]]></ChangeType>
</xml>`;
const contactCreateParty = `<xml>
  <ToUserName><![CDATA[toUser]]></ToUserName>
  <FromUserName><![CDATA[sys]]></FromUserName>
  <CreateTime>1403610513</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[change_contact]]></Event>
  <ChangeType>create_party</ChangeType>
  <Id>2</Id>
  <Name><![CDATA[张三]]></Name>
  <ParentId>1</ParentId>
  <Order>1</Order>
</xml>`;
const msgauditNotify = `<xml>
   <ToUserName><![CDATA[CorpID]]></ToUserName>
   <FromUserName><![CDATA[sys]]></FromUserName> 
   <CreateTime>1629101687</CreateTime>
   <MsgType><![CDATA[event]]></MsgType>
   <AgentID>2000004</AgentID>
   <Event><![CDATA[msgaudit_notify]]></Event>
</xml>`;

const internal = (event: string, fields: Record<string, string | number>) =>
  buildEventXml({ ToUserName: 'ww_corp', FromUserName: 'sys', CreateTime: 1700000000, MsgType: 'event', Event: event, ...fields });

describe('PROTOCOL.md §3 samples', () => {
  it('reads the internal-format add_external_contact with state and welcome code', async () => {
    const event = await parseEventXml(addExternalContact);
    expect(event).toEqual({
      kind: 'external_contact',
      changeType: 'add_external_contact',
      format: 'internal',
      corpId: 'toUser',
      createTime: 1403610513,
      userId: 'zhangsan',
      externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
      state: 'teststate',
      welcomeCode: 'WELCOMECODE',
      raw: expect.objectContaining({ FromUserName: 'sys', Event: 'change_external_contact', State: 'teststate' }),
    });
  });

  it('reads the suite-format transfer_fail into the same shape, corp from AuthCorpId', async () => {
    expect(await parseEventXml(transferFailSuite)).toEqual({
      kind: 'external_contact',
      changeType: 'transfer_fail',
      format: 'suite',
      suiteId: 'ww4asffe99e54c0f4c',
      corpId: 'wxf8b4f85f3a794e77',
      createTime: 1403610513,
      userId: 'zhangsan',
      externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mACH71w',
      failReason: 'customer_refused',
      raw: expect.objectContaining({ InfoType: 'change_external_contact', TimeStamp: '1403610513' }),
    });
  });

  it('reads del_external_contact with its source', async () => {
    expect(await parseEventXml(delExternalContact)).toMatchObject({ kind: 'external_contact', changeType: 'del_external_contact', corpId: 'ww_corp', source: 'DELETE_BY_TRANSFER' });
  });

  it('reads the chat update with its detail, scenes and member count as numbers', async () => {
    expect(await parseEventXml(externalChatUpdateSuite)).toMatchObject({
      kind: 'external_chat',
      changeType: 'update',
      corpId: 'wxf8b4f85f3a794e77',
      chatId: 'CHAT_ID',
      updateDetail: 'add_member',
      joinScene: 1,
      quitScene: 0,
      memChangeCnt: 10,
    });
  });

  it('reads the external tag create', async () => {
    expect(await parseEventXml(externalTagCreateSuite)).toMatchObject({ kind: 'external_tag', changeType: 'create', id: 'TAG_ID', tagType: 'tag', createTime: 1403610513 });
  });

  it('reads change_contact create_party whose ChangeType is not in CDATA', async () => {
    expect(await parseEventXml(contactCreateParty)).toMatchObject({ kind: 'contact', changeType: 'create_party', id: '2', name: '张三', parentId: '1', order: 1 });
  });

  it('reads msgaudit_notify with its agent id', async () => {
    expect(await parseEventXml(msgauditNotify)).toEqual({ kind: 'msgaudit_notify', format: 'internal', corpId: 'CorpID', createTime: 1629101687, agentId: '2000004', raw: expect.any(Object) });
  });
});

describe('the rest of the §3 field sets', () => {
  const customer = { UserID: 'zhangsan', ExternalUserID: 'wmA' };

  it.each([
    ['edit_external_contact', {}, {}],
    ['add_half_external_contact', { State: 's', WelcomeCode: 'W' }, { state: 's', welcomeCode: 'W' }],
    ['del_follow_user', {}, {}],
    ['msg_audit_approved', { WelcomeCode: 'W' }, { welcomeCode: 'W' }],
  ])('reads %s', async (changeType, extra, expected) => {
    const event = await parseEventXml(internal('change_external_contact', { ChangeType: changeType, ...customer, ...extra }));
    expect(event).toMatchObject({ kind: 'external_contact', changeType, userId: 'zhangsan', externalUserId: 'wmA', ...expected });
  });

  it.each([
    ['create_user', { UserID: 'zs', Name: '张三', Department: '1,2,3', Mobile: '13800000000' }, { userId: 'zs', department: ['1', '2', '3'], mobile: '13800000000' }],
    ['update_user', { UserID: 'zs', NewUserID: 'zs2' }, { userId: 'zs', newUserId: 'zs2' }],
    ['delete_user', { UserID: 'zs' }, { userId: 'zs' }],
    ['update_party', { Id: '2', Name: 'Sales', ParentId: '1' }, { id: '2', name: 'Sales', parentId: '1' }],
    ['delete_party', { Id: '2' }, { id: '2' }],
    ['update_tag', { TagId: '7', AddUserItems: 'zhangsan,lisi', DelPartyItems: '1,2' }, { tagId: '7', addUserItems: ['zhangsan', 'lisi'], delUserItems: [], addPartyItems: [], delPartyItems: ['1', '2'] }],
  ])('reads change_contact %s', async (changeType, fields, expected) => {
    expect(await parseEventXml(internal('change_contact', { ChangeType: changeType, ...fields }))).toMatchObject({ kind: 'contact', changeType, ...expected });
  });

  it('leaves update_user fields that did not change absent', async () => {
    const event = await parseEventXml(internal('change_contact', { ChangeType: 'update_user', UserID: 'zs', Position: 'boss' }));
    expect(event).not.toHaveProperty('department');
    expect(event).not.toHaveProperty('name');
  });

  it.each(['create', 'dismiss'])('reads an internal-format chat %s', async (changeType) => {
    expect(await parseEventXml(internal('change_external_chat', { ChatId: 'wrC', ChangeType: changeType }))).toMatchObject({ kind: 'external_chat', changeType, chatId: 'wrC', corpId: 'ww_corp' });
  });

  it('reads a tag shuffle with or without an id (fields unverified)', async () => {
    expect(await parseEventXml(internal('change_external_tag', { ChangeType: 'shuffle' }))).toMatchObject({ kind: 'external_tag', changeType: 'shuffle' });
    expect(await parseEventXml(internal('change_external_tag', { ChangeType: 'shuffle', Id: 'G1' }))).toMatchObject({ kind: 'external_tag', id: 'G1' });
  });
});

describe('messages', () => {
  it('reads the official A2 vector plaintext as a text message', async () => {
    const vectors = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/vectors.json'), 'utf8')) as { callback: Array<{ plaintext: string }> };
    const plaintext = vectors.callback[1]?.plaintext ?? '';
    expect(await parseEventXml(plaintext)).toEqual({
      kind: 'message',
      format: 'internal',
      corpId: 'wx5823bf96d3bd56c7',
      createTime: 1409659813,
      agentId: '218',
      msgType: 'text',
      msgId: '4561255354251345929',
      fromUserId: 'mycreate',
      content: 'hello',
      raw: expect.objectContaining({ MsgId: '4561255354251345929' }),
    });
  });

  it('reads a location message with numeric coordinates', async () => {
    const xml = buildEventXml({ ToUserName: 'ww', FromUserName: 'zs', CreateTime: 1, MsgType: 'location', Location_X: '23.134521', Location_Y: '113.358803', Scale: 15, Label: 'here', MsgId: '9', AgentID: 1 });
    expect(await parseEventXml(xml)).toMatchObject({ kind: 'message', msgType: 'location', locationX: 23.134521, locationY: 113.358803, scale: 15, label: 'here' });
  });
});

describe('events kept raw', () => {
  it('keeps an event it does not know as unknown, with every field', async () => {
    const event = await parseEventXml(internal('enter_agent', { EventKey: '' }));
    expect(event).toEqual({ kind: 'unknown', corpId: 'ww_corp', createTime: 1700000000, event: 'enter_agent', raw: expect.objectContaining({ Event: 'enter_agent', EventKey: '' }) });
  });

  it('keeps a known event missing a required field as unknown, saying what was missing', async () => {
    const event = await parseEventXml(internal('change_external_contact', { ChangeType: 'add_external_contact', UserID: 'zs' }));
    expect(event).toMatchObject({ kind: 'unknown', event: 'change_external_contact', changeType: 'add_external_contact', issues: [expect.stringContaining('ExternalUserID')] });
  });

  it('keeps an unknown change type of a known event as unknown', async () => {
    expect(await parseEventXml(internal('change_external_contact', { ChangeType: 'brand_new', UserID: 'zs', ExternalUserID: 'wm' }))).toMatchObject({ kind: 'unknown', changeType: 'brand_new' });
  });

  it('keeps a suite callback without AuthCorpId (suite_ticket) as unknown', async () => {
    const xml = buildEventXml({ SuiteId: 'ww4', InfoType: 'suite_ticket', TimeStamp: 1403610513, SuiteTicket: 'T' });
    expect(await parseEventXml(xml)).toMatchObject({ kind: 'unknown', event: 'suite_ticket', createTime: 1403610513, raw: { SuiteTicket: 'T' } });
  });

  it('keeps a message without MsgId, or an id that repeats, as unknown', async () => {
    expect(await parseEventXml(buildEventXml({ ToUserName: 'ww', FromUserName: 'zs', CreateTime: 1, MsgType: 'text', Content: 'x' }))).toMatchObject({ kind: 'unknown' });
    const twice = '<xml><ToUserName>ww</ToUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>change_external_chat</Event><ChangeType>create</ChangeType><ChatId>a</ChatId><ChatId>b</ChatId></xml>';
    expect(await parseEventXml(twice)).toMatchObject({ kind: 'unknown', raw: { ChatId: ['a', 'b'] } });
  });

  it('keeps a callback with a non-numeric CreateTime as unknown', async () => {
    expect(await parseEventXml(internal('msgaudit_notify', { CreateTime: 'yesterday' }))).toMatchObject({ kind: 'unknown', event: 'msgaudit_notify' });
  });
});
