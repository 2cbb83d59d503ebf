// Hostile inputs, by family. Every parameter of every endpoint receives each of them.

/** Strings that try to break out of an OData filter, a SQL/NoSQL query, a path or a header. */
export const INJECTIONS = [
  "x' or PartitionKey ne '",
  "' or 1 eq 1 or '",
  "') or (PartitionKey ne '",
  "x'' or ''='",
  "PartitionKey ne '' or RowKey ne ''",
  '$filter=PartitionKey ne null',
  "' OR '1'='1' --",
  '1; DROP TABLE Integrations;--',
  '{"$ne": null}',
  '{"$gt": ""}',
  '../../../etc/passwd',
  '..%2f..%2fintegrations',
  '%2e%2e%2f',
  'a\r\nX-Injected: 1',
  'a%0d%0aSet-Cookie: injected=1',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '%s%s%s%n',
];

/** Unicode edge cases: lone surrogates, bidi and zero-width controls, NUL, emoji, combining marks. */
export const UNICODE = [
  '\ud800',
  'a\udfffb',
  '\u202egnp.exe',
  'zero\u200bwidth\u200d\ufeff',
  'nul\u0000byte',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0327\u0308',
  'Z\u0324\u0354\u0367\u0311\u0313',
  'ｘ＇ ｏｒ ＰａｒｔｉｔｉｏｎＫｅｙ',
  'İstanbul ß ǅ',
  '\u0085\u2028\u2029',
  'x'.repeat(5_000),
];

export const HOSTILE_STRINGS = [...INJECTIONS, ...UNICODE];

/** JSON values of the wrong type for a string field. */
// Number('1e309') overflows a double to Infinity (what the literal 1e309 always evaluated to); JSON.stringify sends it as null.
export const WRONG_TYPES: unknown[] = [
  null,
  0,
  -1,
  Number('1e309'),
  true,
  [],
  ['microsoft_calendar'],
  {},
  { $ne: null },
  { toString: 'x' },
];

/** Bodies that are not JSON, sent as application/json (a leading BOM is not here: RFC 8259 lets a parser skip it). */
export const MALFORMED_JSON: (string | Buffer)[] = [
  '',
  '{',
  '{"provider":',
  '{"provider":"microsoft_calendar",}',
  "{'provider':'microsoft_calendar'}",
  '{"provider":"microsoft_calendar"}garbage',
  '{"provider":"microsoft_calendar" /* comment */}',
  'NaN',
  Buffer.from([0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"p":"<invalid UTF-8>"}
  Buffer.from('{"provider":"microsoft_calendar"}', 'utf16le'),
];

/** Well-formed but 30,000 levels deep (a recursive parser or validator would overflow its stack). */
export const DEEP_JSON = '['.repeat(30_000) + ']'.repeat(30_000);

/** Well-formed JSON that is not the object an endpoint takes. */
export const WRONG_SHAPES: unknown[] = [null, 1, 'microsoft_calendar', true, [], [{ provider: 'microsoft_calendar' }]];

/** Content types an endpoint taking JSON must refuse (415). */
export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonx',
  'json',
];

/** Query parameter names that are not parameters (and some that are dangerous as object keys). */
export const FOREIGN_PARAMS = ['__proto__', 'constructor', 'toString', '$filter', 'PartitionKey', 'user_id', 'userKey'];

/** Query-string values that are the wrong type or shape for typed parameters. */
export const WRONG_QUERY_VALUES = [
  '',
  ' ',
  'null',
  '[]',
  '{}',
  '-0',
  'NaN',
  'Infinity',
  '1e309',
  '0x10',
  '2024-02-30T00:00:00Z',
  '2024-01-01T00:00:00',
  '+275760-09-13T00:00:00Z',
  '2024-01-01T00:00:00+25:00',
  'true',
  'false',
  'TRUE',
];
