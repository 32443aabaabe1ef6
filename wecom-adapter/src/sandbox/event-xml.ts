/** Builds the decrypted XML of a callback in the internal-app format (PROTOCOL §3). */

export type EventFieldValue = string | number | undefined;

export interface SandboxEvent {
  event: string;
  changeType?: string;
  /** Fields after Event/ChangeType, in order; undefined values are left out. */
  fields?: Array<[string, EventFieldValue]>;
  /** Put the AgentID in the envelope (app-related callbacks such as msgaudit_notify). */
  agentId?: number;
}

const cdata = (value: string) => `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const element = (name: string, value: EventFieldValue) =>
  value === undefined ? '' : `<${name}>${typeof value === 'number' ? String(value) : cdata(value)}</${name}>`;

export function eventXml(corpId: string, createTime: number, event: SandboxEvent): string {
  const head: Array<[string, EventFieldValue]> = [
    ['ToUserName', corpId],
    ['FromUserName', 'sys'],
    ['CreateTime', createTime],
    ['MsgType', 'event'],
  ];
  if (event.agentId !== undefined) head.push(['AgentID', event.agentId]);
  head.push(['Event', event.event], ['ChangeType', event.changeType]);
  return `<xml>${[...head, ...(event.fields ?? [])].map(([n, v]) => element(n, v)).join('')}</xml>`;
}
