import { Parser } from 'xml2js';
import { assertNoDtd, assertSingleXmlRoot, maxXmlDepth } from './xml-prescan';
import { XmlRejectedError } from './xml-rejected-error';

/** A parsed element: its text, its children, or a list when the element repeats. */
export type XmlValue = string | XmlValue[] | XmlFields;
export interface XmlFields {
  [name: string]: XmlValue;
}

export const defaultMaxXmlBytes = 64 * 1024;

const parserOptions = { explicitArray: false, trim: true, ignoreAttrs: true, explicitRoot: true, strict: true } as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Names that xml2js would merge with `Object.prototype` members (`__proto__`, `constructor`, …). */
const isPrototypeName = (name: string) => name === '__proto__' || Object.prototype.hasOwnProperty.call(Object.prototype, name);

function isXmlValue(value: unknown, depth: number): value is XmlValue {
  if (typeof value === 'string') return true;
  if (depth > maxXmlDepth) return false;
  if (Array.isArray(value)) return value.every((item) => isXmlValue(item, depth));
  return isXmlFields(value, depth);
}

function isXmlFields(value: unknown, depth: number): value is XmlFields {
  if (!isRecord(value)) return false;
  return Object.keys(value).every((key) => !isPrototypeName(key) && isXmlValue(value[key], depth + 1));
}

function rootFields(parsed: unknown): XmlFields {
  if (!isRecord(parsed) || !('xml' in parsed)) throw new XmlRejectedError('not_xml_root', 'the root element must be <xml>');
  const root = parsed.xml;
  if (root === '') return {};
  if (typeof root === 'string') throw new XmlRejectedError('malformed', '<xml> holds text instead of fields');
  if (!isXmlFields(root, 1)) throw new XmlRejectedError('malformed', 'element names clash with object built-ins');
  return root;
}

/**
 * Parses a WeCom XML document into its fields (CDATA unwrapped, text trimmed, attributes ignored, a
 * repeated element becoming a list). Refuses, with an {@link XmlRejectedError}, anything over `maxBytes`
 * (UTF-8), any DTD markup, a root other than `<xml>`, and malformed XML. Entities are never expanded.
 */
export async function parseXml(xml: string, opts: { maxBytes?: number } = {}): Promise<XmlFields> {
  const maxBytes = opts.maxBytes ?? defaultMaxXmlBytes;
  if (typeof xml !== 'string') throw new XmlRejectedError('malformed', 'the body is not text');
  // A string never has more UTF-16 units than UTF-8 bytes, so the cheap length test comes first.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    throw new XmlRejectedError('too_large', `XML over ${maxBytes} bytes`);
  }
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  assertNoDtd(text);
  assertSingleXmlRoot(text);
  let parsed: unknown;
  try {
    parsed = await new Parser(parserOptions).parseStringPromise(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : 'parse error';
    throw new XmlRejectedError('malformed', `malformed XML: ${detail}`);
  }
  return rootFields(parsed);
}
