const xmlName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** CDATA cannot hold `]]>`: split it across two sections, as XML writers do. */
const cdata = (value: string) => `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;

/**
 * The decrypted plaintext WeCom would send for these fields: `<xml><Name><![CDATA[text]]></Name>
 * <CreateTime>1403610513</CreateTime></xml>`, strings in CDATA and numbers bare, in the given order.
 * Used by the sandbox and by tests. Leading and trailing spaces do not survive {@link parseXml}'s trim.
 */
export function buildEventXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields).map(([name, value]) => {
    if (!xmlName.test(name)) throw new Error(`not an XML element name: ${JSON.stringify(name)}`);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`${name}: numbers must be finite`);
      return `<${name}>${value}</${name}>`;
    }
    return `<${name}>${cdata(value)}</${name}>`;
  });
  return `<xml>${body.join('')}</xml>`;
}
