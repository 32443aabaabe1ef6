import { XmlRejectedError } from './xml-rejected-error';

/** WeCom payloads nest three levels at most (`xml > ExtAttr > Item`); anything far deeper is hostile. */
export const maxXmlDepth = 16;

const malformed = (message: string) => new XmlRejectedError('malformed', message);

function indexAfter(xml: string, terminator: string, from: number, what: string): number {
  const end = xml.indexOf(terminator, from);
  if (end === -1) throw malformed(`unterminated ${what}`);
  return end + terminator.length;
}

/** Index of the `>` closing the tag that opens at `lt`, skipping quoted attribute values. */
function tagEnd(xml: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < xml.length; i += 1) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  throw malformed('unterminated tag');
}

/**
 * Refuses DTD markup (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, … in any case) wherever it appears, also after
 * whitespace, comments or processing instructions. Only comments and CDATA sections (spelled exactly
 * `<![CDATA[`) may start with `<!`; text quoted inside a CDATA section is content, not markup.
 */
export function assertNoDtd(xml: string): void {
  let at = xml.indexOf('<');
  while (at !== -1) {
    let next = at + 1;
    if (xml.startsWith('<!--', at)) next = indexAfter(xml, '-->', at + 4, 'comment');
    else if (xml.startsWith('<![CDATA[', at)) next = indexAfter(xml, ']]>', at + 9, 'CDATA section');
    else if (xml.startsWith('<!', at)) throw new XmlRejectedError('dtd', 'DTD declarations (<!DOCTYPE, <!ENTITY, …) are not accepted');
    else if (xml.startsWith('<?', at)) next = indexAfter(xml, '?>', at + 2, 'processing instruction');
    at = xml.indexOf('<', next);
  }
}

/**
 * Checks the element structure without building anything: exactly one root element named `xml`, no
 * text outside it, and no nesting deeper than {@link maxXmlDepth}. Well-formedness is left to the parser.
 */
export function assertSingleXmlRoot(xml: string): void {
  let depth = 0;
  let sawRoot = false;
  let closedRoot = false;
  let at = 0;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const textEnd = lt === -1 ? xml.length : lt;
    if ((!sawRoot || closedRoot) && /\S/.test(xml.slice(at, textEnd))) throw malformed('text outside the root element');
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) at = indexAfter(xml, '-->', lt + 4, 'comment');
    else if (xml.startsWith('<![CDATA[', lt)) {
      if (depth === 0) throw malformed('CDATA outside the root element');
      at = indexAfter(xml, ']]>', lt + 9, 'CDATA section');
    } else if (xml.startsWith('<!', lt)) throw new XmlRejectedError('dtd', 'DTD declarations are not accepted');
    else if (xml.startsWith('<?', lt)) at = indexAfter(xml, '?>', lt + 2, 'processing instruction');
    else {
      const gt = tagEnd(xml, lt);
      const tag = xml.slice(lt + 1, gt);
      const name = /^\/?([^\s/>]+)/.exec(tag)?.[1];
      if (!name) throw malformed('tag without a name');
      if (tag.startsWith('/')) {
        depth -= 1;
        if (depth < 0) throw malformed(`unexpected closing tag </${name}>`);
        if (depth === 0) closedRoot = true;
      } else {
        if (closedRoot) throw malformed('more than one root element');
        if (!sawRoot && name !== 'xml') throw new XmlRejectedError('not_xml_root', 'the root element must be <xml>');
        sawRoot = true;
        if (!tag.endsWith('/')) depth += 1;
        else if (depth === 0) closedRoot = true;
        if (depth > maxXmlDepth) throw new XmlRejectedError('too_large', `elements nested deeper than ${maxXmlDepth} levels`);
      }
      at = gt + 1;
    }
  }
  if (!sawRoot) throw malformed('no root element');
  if (!closedRoot) throw malformed('unclosed root element');
}
