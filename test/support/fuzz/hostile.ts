/**
 * Values a careless integration or an attacker sends. None of them contains
 * a marker the leak check looks for (`SELECT `, ` FROM `, `/tmp/`…), so a
 * marker in a response always comes from the server, never from an echo.
 */

const LONG = 70_000;

/** Text that is hostile whatever the field. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '   ',
  '\u0000',
  'Jana\u0000Vogt',
  '\ud800',
  'Petkus \udc00 GmbH',
  '\udbff\udfff\ud800',
  '%',
  '%00',
  '%s%n%x',
  '%ED%A0%80',
  "'",
  '"',
  '\\',
  '\\u0000',
  ';--',
  "O'Brien'); drop table contacts;--",
  "' or '1'='1",
  '"; delete from trips where ""="',
  '$1',
  '::text',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-1',
  '1e309',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  'Ünïcödé Straße 12, Jena',
  'Алматы, улица Абая',
  '漢字かなカナ',
  'עברית ومصر',
  '🇰🇿👩‍🔬🚀',
  '😀',
  'e\u0301\u0301\u0301',
  '\u200b\u200d\u2060',
  '\u202eevil\u202c',
  '\ufeffBOM',
  '\uffff\ufffe',
  '\r\n\r\nX-Injected: 1',
  '\t\v\f\b',
  '\u001b[31mred',
  'a'.repeat(LONG),
  'ü'.repeat(LONG / 2),
  '😀'.repeat(LONG / 4),
  'x'.repeat(255),
  'x'.repeat(256),
  'x'.repeat(1025),
];

/** Values of the wrong kind, for any field. */
export const HOSTILE_SCALARS: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  1e21,
  -1e21,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  [],
  [null],
  [1, 'a', null],
  {},
  { a: 1 },
  [[[]]],
];

export const HOSTILE_DATES: readonly string[] = [
  '0000-01-01',
  '9999-12-31',
  '1899-12-31',
  '2200-01-01',
  '1900-01-01',
  '2199-12-31',
  '2026-02-30',
  '2027-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-09-00',
  '2026-9-1',
  '26-09-01',
  '20260901',
  '+002026-09-01',
  '-000001-01-01',
  '2026-09-01T00:00:00Z',
  '2026-09-01 ',
  '2026/09/01',
  '01.09.2026',
  'today',
];

export const HOSTILE_DATE_TIMES: readonly string[] = [
  '2026-09-01T08:00:00',
  '2026-09-01T08:00',
  '2026-09-01',
  '2026-09-01T08:00:00+14:00',
  '2026-09-01T08:00:00-12:00',
  '2026-09-01T08:00:00+99:99',
  '2026-09-01T08:00:00+0530',
  '2026-09-01T24:00:00Z',
  '2026-09-01T08:00:60Z',
  '2026-09-01T08:00:00.123456789Z',
  '2026-09-01 08:00:00Z',
  '2026-09-01t08:00:00z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1899-12-31T23:59:59Z',
  '2200-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-02-30T08:00:00Z',
  '2026-W35-1T08:00:00Z',
  '1756713600',
  'now',
];

/** Uuid-shaped and almost-uuid text; `{id}` is replaced with a real id. */
export const HOSTILE_UUID_TEMPLATES: readonly string[] = [
  '{ID}',
  '{id} ',
  ' {id}',
  '{{id}}',
  'urn:uuid:{id}',
  '{id}\n',
  '{id}0',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  'c232ab00-9414-11ec-b3c8-9f6bdeced846',
  '01890a5d-ac96-774b-bcce-b302099a8057',
  'g232ab00-9414-11ec-b3c8-9f6bdeced846',
  'c232ab0094144ec4b3c89f6bdeced846',
  '123',
  'not-a-uuid',
];

export const HOSTILE_EMAILS: readonly string[] = [
  'no-address',
  'a@b',
  '@example.org',
  'a@@example.org',
  'a.@example.org',
  '"a b"@example.org',
  'A.WEBER@EXAMPLE.ORG',
  'k.weber@example.org ',
  'Ä.Ölmez@bücher.de',
  `x@${'a'.repeat(250)}.org`,
  `${'a'.repeat(65)}@example.org`,
  'a@example.org,b@example.org',
  'a@example.org\r\nBcc: b@example.org',
  'a+tag@[127.0.0.1]',
];

export const HOSTILE_URLS: readonly string[] = [
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'ftp://ftp.example.org',
  'http://',
  'https://',
  'https://ex ample.org',
  'https://例え.jp/パス',
  'http://[::1]:80/',
  'http://169.254.169.254/latest/meta-data',
  `https://example.org/${'a'.repeat(600)}`,
  '//example.org',
  'www.example.org',
];

/** For integer fields: boundaries and beyond, and numbers that are not integers. */
export function hostileIntegers(minimum?: number, maximum?: number): unknown[] {
  const edges = [
    minimum === undefined ? undefined : minimum - 1,
    maximum === undefined ? undefined : maximum + 1,
  ].filter((edge): edge is number => edge !== undefined);
  return [...edges, -1, 0, 1.5, -0.5, 2 ** 31, 2 ** 53 + 2, 1e300, -1e300, '5', '1e3', '0x10'];
}

/** `levels` objects inside each other: `{"a":{"a":…1}}`. */
export function nestedObject(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

/** `levels` arrays inside each other. */
export function nestedArray(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

/** Deep nesting just under, at and over the 32 levels the API accepts, and far over. */
export const HOSTILE_NESTING: readonly unknown[] = [
  nestedObject(30),
  nestedObject(31),
  nestedObject(32),
  nestedObject(33),
  nestedArray(31),
  nestedArray(40),
  nestedObject(200),
];

/** Bodies sent as raw bytes: broken JSON, other media types, other encodings. */
export interface RawBody {
  label: string;
  contentType?: string;
  /** Headers sent with it, e.g. a Content-Encoding it does not have. */
  headers?: Record<string, string>;
  payload: string | Buffer;
}

export const RAW_BODIES: readonly RawBody[] = [
  { label: 'truncated JSON', contentType: 'application/json', payload: '{"a":' },
  { label: 'lone brace', contentType: 'application/json', payload: '{' },
  { label: 'trailing comma', contentType: 'application/json', payload: '{"a":1,}' },
  { label: 'single quotes', contentType: 'application/json', payload: "{'a':1}" },
  { label: 'empty JSON', contentType: 'application/json', payload: '' },
  { label: 'whitespace JSON', contentType: 'application/json', payload: '  \n ' },
  { label: 'JSON null', contentType: 'application/json', payload: 'null' },
  { label: 'JSON string', contentType: 'application/json', payload: '"a"' },
  { label: 'JSON number', contentType: 'application/json', payload: '0' },
  { label: 'NaN', contentType: 'application/json', payload: 'NaN' },
  { label: 'BOM', contentType: 'application/json', payload: '\ufeff{}' },
  {
    label: 'invalid UTF-8',
    contentType: 'application/json',
    payload: Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]),
  },
  {
    label: 'UTF-16 JSON',
    contentType: 'application/json; charset=utf-16le',
    payload: Buffer.from('{"a":"b"}', 'utf16le'),
  },
  {
    label: 'latin1 charset',
    contentType: 'application/json; charset=latin1',
    payload: Buffer.from('{"a":"\u00fc"}', 'latin1'),
  },
  {
    label: 'proto pollution',
    contentType: 'application/json',
    payload: '{"__proto__":{"admin":true}}',
  },
  {
    label: 'constructor pollution',
    contentType: 'application/json',
    payload: '{"constructor":{"prototype":{"admin":true}}}',
  },
  {
    label: 'deep raw nesting',
    contentType: 'application/json',
    payload: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  },
  {
    label: 'deep raw arrays',
    contentType: 'application/json',
    payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  },
  {
    label: 'over 1 MB',
    contentType: 'application/json',
    payload: `{"a":"${'x'.repeat(1_100_000)}"}`,
  },
  { label: 'text/plain', contentType: 'text/plain', payload: '{"a":1}' },
  { label: 'form', contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
  {
    label: 'multipart',
    contentType: 'multipart/form-data; boundary=x',
    payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
  },
  { label: 'xml', contentType: 'application/xml', payload: '<a>1</a>' },
  { label: 'vendor json', contentType: 'application/vnd.api+json', payload: '{}' },
  { label: 'bad media type', contentType: 'application/json;;; charset==', payload: '{}' },
  {
    label: 'gzip claimed',
    contentType: 'application/json',
    headers: { 'Content-Encoding': 'gzip' },
    payload: '{"a":1}',
  },
  {
    label: 'unknown encoding',
    contentType: 'application/json',
    headers: { 'Content-Encoding': 'br, x-fuzz' },
    payload: '{"a":1}',
  },
  {
    label: '20,000 keys',
    contentType: 'application/json',
    payload: JSON.stringify(
      Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
    ),
  },
  {
    label: '100,000 array items',
    contentType: 'application/json',
    payload: JSON.stringify(Array.from({ length: 100_000 }, () => 0)),
  },
  {
    label: 'octets',
    contentType: 'application/octet-stream',
    payload: Buffer.from([0, 1, 2, 255]),
  },
];

/** Values for headers: Node refuses to send CR, LF, NUL and characters above U+00FF. */
export const HOSTILE_HEADER_VALUES: readonly string[] = [
  '',
  ' ',
  '*',
  '"',
  '""',
  '"1',
  'W/',
  '"-1"',
  '"1.5"',
  '"999999999999999999999"',
  '"1", "2"',
  "'1'",
  '%00',
  '\u00ff\u00fe',
  'ü',
  'x'.repeat(300),
  'x'.repeat(4000),
  ';--',
  '\t',
];

/** Written into a URL as they are (not percent-encoded): broken and overlong escapes. */
export const RAW_URL_TEXT: readonly string[] = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%C0%80',
  '%FF',
  '%00',
  '%2e%2e',
  '..%2f..%2f',
];

/** What lands in a path segment instead of an id (percent-encoded when sent). */
export const HOSTILE_PATH_SEGMENTS: readonly string[] = [
  '',
  ' ',
  '.',
  '..',
  '%',
  '%00',
  '%2F',
  '\u0000',
  '\ud800',
  '1',
  '-1',
  '0',
  'null',
  'undefined',
  'me',
  'export',
  "'; drop table trips;--",
  'Ünïcödé',
  '😀',
  'x'.repeat(2000),
  '00000000-0000-0000-0000-000000000000',
];
