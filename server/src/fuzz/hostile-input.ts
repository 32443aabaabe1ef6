import fc from 'fast-check';

/** Strings that have broken servers before: injection, templates, traversal, control and odd unicode. */
export const hostileStrings = [
  "' OR '1'='1' --",
  '1; DROP TABLE customers; --',
  '" UNION SELECT password_hash FROM users --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${7*7}{{7*7}}<%= 7*7 %>',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '\u0000\u0001\u001f',
  '\ud800',
  '𠜎𠜱😀‮',
  '١٢٣',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x7fffffff',
  '99999999999999999999999999',
  '   ',
  '',
];

export const hostileNumbers = [-1, 0, -0.5, 1.5, -(2 ** 63), 2 ** 53 + 1, 1e308, Number.MAX_SAFE_INTEGER];

const hostileString = fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('长'.repeat(5000)));

/** A value of any type: what a field expecting something else receives. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom<unknown>(...hostileNumbers, null, true, false, [], {}, { __proto__: { admin: true } }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...hostileStrings), hostileString, { maxKeys: 3 }),
);

/** Path parameters that are not a row id: text, negatives, zero, fractions and numbers past any column. */
export const hostilePathValue = fc.oneof(
  fc.constantFrom(...hostileStrings.filter(Boolean)),
  fc.constantFrom('-1', '0', '1.5', '-9223372036854775809', '9223372036854775808', '1e3', '0x10', '1 OR 1=1'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);

/** A query-string value: text, or the same parameter repeated. */
export const hostileQueryValue = fc.oneof(hostilePathValue, fc.array(hostilePathValue, { minLength: 2, maxLength: 3 }));

/** JSON nested `depth` levels deep. */
export const deeplyNested = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

export interface RawBody {
  contentType: string;
  text: string;
  kind: string;
}

/** A request body that must be refused: bad JSON, wrong content types, deep nesting, oversized, hostile fields. */
export function hostileBody(fieldNames: string[], limitBytes: number): fc.Arbitrary<RawBody> {
  const json = (kind: string, value: unknown): RawBody => ({ kind, contentType: 'application/json', text: JSON.stringify(value) });
  const fields = fieldNames.length ? fieldNames : ['name'];
  return fc.oneof(
    fc.tuple(fc.subarray(fields, { minLength: 1 }), fc.array(hostileValue, { minLength: fields.length, maxLength: fields.length })).map(([names, values]) =>
      json('wrong types', Object.fromEntries(names.map((name, i) => [name, values[i]]))),
    ),
    fc.jsonValue({ maxDepth: 3 }).map((value) => json('any JSON', value)),
    fc.integer({ min: 2_000, max: 20_000 }).map((depth) => ({ kind: 'deep nesting', contentType: 'application/json', text: deeplyNested(depth) })),
    fc.constantFrom('{"name":', "{'name':1}", '{"a":1}}', 'NaN', '\u0000', '[1,]', '{"a":"\\ud800"}').map((text) => ({ kind: 'bad JSON', contentType: 'application/json', text })),
    fc.constant({ kind: 'oversized', contentType: 'application/json', text: JSON.stringify({ [fields[0] ?? 'name']: 'x'.repeat(limitBytes + 1024) }) }),
    fc.constantFrom(
      { kind: 'xml', contentType: 'application/xml', text: '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>' },
      { kind: 'form', contentType: 'application/x-www-form-urlencoded', text: 'name[$ne]=1&storeId[]=2&__proto__[admin]=true' },
      { kind: 'multipart without parts', contentType: 'multipart/form-data; boundary=zzz', text: '--zzz\r\nContent-Disposition: form-data; name="file"; filename="../../x.csv"\r\n\r\n' },
      { kind: 'multipart without boundary', contentType: 'multipart/form-data', text: 'garbage' },
      { kind: 'text', contentType: 'text/plain', text: 'DROP TABLE customers' },
      { kind: 'unknown type', contentType: 'application/x-evil', text: '\u0000\u0001' },
    ),
  );
}
