import { randomBytes } from 'node:crypto';
import { parseXml } from './safe-xml';
import { XmlRejectedError, type XmlRejectReason } from './xml-rejected-error';

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xml><Content>&lol3;</Content></xml>`;

async function reasonOf(xml: string, opts?: { maxBytes?: number }): Promise<XmlRejectReason | 'accepted'> {
  try {
    await parseXml(xml, opts);
    return 'accepted';
  } catch (error) {
    if (error instanceof XmlRejectedError) return error.reason;
    throw error;
  }
}

describe('parseXml', () => {
  it('unwraps CDATA, trims text, ignores attributes and lists repeated elements', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<xml><A><![CDATA[ x ]]></A><B id="1">1</B><B>2</B><C/><D><Item><Name>n</Name></Item></D></xml>';
    expect(await parseXml(xml)).toEqual({ A: 'x', B: ['1', '2'], C: '', D: { Item: { Name: 'n' } } });
  });

  it('accepts an empty <xml/>, a BOM and built-in entities', async () => {
    expect(await parseXml('<xml/>')).toEqual({});
    expect(await parseXml('\uFEFF<xml><A>&amp;&lt;&#x41;</A></xml>')).toEqual({ A: '&<A' });
  });

  it('keeps text that quotes <!DOCTYPE inside CDATA, which is content and not markup', async () => {
    expect(await parseXml('<xml><Content><![CDATA[<!DOCTYPE html><!ENTITY x>]]></Content></xml>')).toEqual({ Content: '<!DOCTYPE html><!ENTITY x>' });
  });

  it('refuses DTD markup anywhere, in any case, also after whitespace, comments or a declaration', async () => {
    const dtd = [
      billionLaughs,
      '<!DOCTYPE xml><xml/>',
      '  \n<!doctype xml><xml/>',
      '<!-- hello --><!DoCtYpE xml [<!ENTITY e "x">]><xml>&e;</xml>',
      '<?xml version="1.0"?><!-- <!-- --><!DOCTYPE xml><xml/>',
      '<xml><!ENTITY e "x"></xml>',
      '<xml/><!DOCTYPE xml>',
      '<xml><A>1</A><!ELEMENT A ANY></xml>',
      '<xml><![cdata[not exactly CDATA]]></xml>',
      '<?pi <!-- ?><!DOCTYPE xml [<!ENTITY e "x">]><xml>&e;</xml>-->',
    ];
    for (const xml of dtd) expect([xml, await reasonOf(xml)]).toEqual([xml, 'dtd']);
  });

  it('refuses a body over the limit, counted in UTF-8 bytes', async () => {
    expect(await reasonOf(`<xml><A>${'a'.repeat(1024 * 1024)}</A></xml>`)).toBe('too_large');
    expect(await reasonOf(`<xml><A>${'中'.repeat(30)}</A></xml>`, { maxBytes: 100 })).toBe('too_large');
    expect(await reasonOf(`<xml><A>${'a'.repeat(30)}</A></xml>`, { maxBytes: 100 })).toBe('accepted');
  });

  it('refuses nesting deeper than WeCom ever sends', async () => {
    const deep = `<xml>${'<a>'.repeat(15000)}${'</a>'.repeat(15000)}</xml>`;
    expect(await reasonOf(deep)).toBe('too_large');
    expect(await reasonOf(`<xml>${'<a>'.repeat(20000)}`)).toBe('too_large');
  });

  it('refuses a root other than <xml>', async () => {
    for (const xml of ['<foo><A>1</A></foo>', '<XML><A>1</A></XML>', '<xml:a/>', '<!-- c --><foo/>']) expect(await reasonOf(xml)).toBe('not_xml_root');
  });

  it('refuses malformed, truncated or empty documents', async () => {
    const malformed = [
      '',
      '   ',
      '<xml><A>1</A>',
      '<xml><A>1</A></xml',
      '<xml><A>1</B></xml>',
      '<xml><A>&lol;</A></xml>',
      '<xml>text only</xml>',
      'garbage<xml/>',
      '<xml/><xml/>',
      '<xml/> trailing',
      '<xml><A>1</A></xml></xml>',
      '<xml><!-- unterminated </xml>',
      '<xml><A x="1>2</A></xml>',
      '<xml><__proto__><polluted>1</polluted></__proto__></xml>',
      '<xml><constructor>x</constructor></xml>',
    ];
    for (const xml of malformed) expect([xml, await reasonOf(xml)]).toEqual([xml, 'malformed']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles a huge attribute without trouble', async () => {
    expect(await parseXml(`<xml><A b="${'x'.repeat(60000)}">1</A></xml>`)).toEqual({ A: '1' });
  });

  it('never crashes on binary garbage: every outcome is a result or an XmlRejectedError', async () => {
    const inputs = [randomBytes(2048).toString('latin1'), '\u0000\u0001\u0002', `<xml>${randomBytes(512).toString('binary')}</xml>`];
    for (let i = 0; i < 200; i += 1) inputs.push(`<xml><A>${randomBytes(64).toString('latin1')}</A></xml>`);
    for (const input of inputs) await expect(reasonOf(input)).resolves.toEqual(expect.any(String));
    expect(await reasonOf('\u0000\u0001\u0002')).toBe('malformed');
  });
});
