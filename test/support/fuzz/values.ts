import fc from 'fast-check';
import type { Schema } from './contract.js';
import {
  HOSTILE_DATE_TIMES,
  HOSTILE_DATES,
  HOSTILE_EMAILS,
  HOSTILE_NESTING,
  HOSTILE_SCALARS,
  HOSTILE_STRINGS,
  HOSTILE_URLS,
  HOSTILE_UUID_TEMPLATES,
  hostileIntegers,
} from './hostile.js';

/**
 * Values from a schema: `valid` ones respect type, enum, format, bounds,
 * pattern and required properties (a server may still refuse them for
 * reasons a schema cannot say: an unknown country, a date after another);
 * `hostile` ones break the schema in the ways integrations and attackers do.
 */

/**
 * Realistic values for a field by its name (`contactId`: a real contact's id),
 * from the seeded world; undefined leaves the field to its schema.
 */
export type Hint = (field: string, schema: Schema) => fc.Arbitrary<unknown> | undefined;

const DAY = 24 * 3600_000;
/** Dates are relative to the UTC day the run starts, so one seed gives one run all day. */
const TODAY = Math.floor(Date.now() / DAY) * DAY;

export const COUNTRIES = ['KZ', 'UZ', 'DE', 'KG', 'TJ', 'MN', 'AZ', 'GE', 'CN', 'US'] as const;
export const TIMEZONES = [
  'Asia/Almaty',
  'Asia/Tashkent',
  'Europe/Berlin',
  'Asia/Samarkand',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'UTC',
  'Etc/GMT+5',
  'Europe/Kiev',
  'Asia/Calcutta',
  'Mars/Olympus_Mons',
  '+05:00',
  'asia/almaty',
] as const;
const WORDS = [
  'Jenoptik',
  'Thüringen',
  'Almaty',
  'Taschkent',
  'Samarkand',
  'Astana',
  'Photonik',
  'Markterkundung',
  'Kasachstan',
  'Usbekistan',
  'Gulnara',
  'Bekova',
  'Weber',
  'Katrin',
  'Dr.',
  'Sadykova',
  'Aigerim',
  'Ministerium',
  'Kammer',
  'Textil',
] as const;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** An instant written with an offset of `offsetMinutes` (0: `Z`). */
function isoDateTime(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export const dateArb: fc.Arbitrary<string> = fc.oneof(
  // Around the seeded trips (they start 30 days from today).
  { weight: 4, arbitrary: fc.integer({ min: 15, max: 60 }).map((d) => isoDate(TODAY + d * DAY)) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: -800, max: 1500 }).map((d) => isoDate(TODAY + d * DAY)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: Date.UTC(1900, 0, 1) / DAY, max: Date.UTC(2199, 11, 31) / DAY })
      .map((d) => isoDate(d * DAY)),
  },
  { weight: 1, arbitrary: fc.constantFrom('1900-01-01', '2199-12-31', '2028-02-29') },
);

/** Station dates: mostly inside the seeded open trips (days 30-37) and drafts (days 90-95). */
const stationDateArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 30, max: 35 }).map((d) => isoDate(TODAY + d * DAY)) },
  { weight: 2, arbitrary: fc.integer({ min: 90, max: 95 }).map((d) => isoDate(TODAY + d * DAY)) },
  { weight: 2, arbitrary: dateArb },
);

export const dateTimeArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: -30 * DAY, max: 40 * DAY }) },
      { weight: 1, arbitrary: fc.integer({ min: -3000 * DAY, max: 3000 * DAY }) },
    ),
    fc.constantFrom(0, 0, 0, 60, 120, 300, 330, -210, 345, 840, -720),
  )
  .map(([offset, zone]) => isoDateTime(TODAY + offset, zone));

export const passphraseArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS), fc.nat(9999))
  .map(([a, b, n]) => `${a}-${b}-Caravan-${n}`);

/** Text for free fields: words, ASCII, any Unicode, within the schema's length. */
function textArb(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 10_000;
  const short = Math.max(min, Math.min(max, 40));
  const fits = (text: string) => text.length >= min && text.length <= max;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
        .map((words) => words.join(' '))
        .filter(fits),
    },
    { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: short }) },
    {
      weight: 2,
      arbitrary: fc
        .string({
          unit: 'grapheme',
          minLength: min,
          maxLength: Math.max(min, Math.floor(short / 4)),
        })
        .filter(fits),
    },
    { weight: 1, arbitrary: fc.constant('x'.repeat(Math.max(min, Math.min(max, 20_000)))) },
  );
}

function uuidArb(): fc.Arbitrary<string> {
  return fc.uuid({ version: 4 });
}

/** A valid value for `schema`; `field` is the property path (`contact.email`, `countries[]`). */
export function validValue(
  schema: Schema,
  field: string,
  hint: Hint,
  depth = 0,
): fc.Arbitrary<unknown> {
  const value = validNonNull(schema, field, hint, depth);
  return schema.nullable
    ? fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) })
    : value;
}

function validNonNull(
  schema: Schema,
  field: string,
  hint: Hint,
  depth: number,
): fc.Arbitrary<unknown> {
  const hinted = hint(field, schema);
  if (hinted) return hinted;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const name = lastName(field);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = schema.minimum ?? -1_000_000;
      const max = schema.maximum ?? 1_000_000;
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 100) }) },
        { weight: 2, arbitrary: fc.integer({ min, max }) },
        { weight: 1, arbitrary: fc.constantFrom(min, max) },
      );
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'array': {
      const items = validValue(schema.items ?? {}, `${field}[]`, hint, depth + 1);
      const constraints = {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, Math.max(schema.minItems ?? 0, 5)),
      };
      return schema.uniqueItems
        ? fc.uniqueArray(items, { ...constraints, selector: (item) => JSON.stringify(item) })
        : fc.array(items, constraints);
    }
    case 'object':
    case undefined:
      if (schema.properties) return validObject(schema, field, hint, depth);
      return freeObjectArb(depth);
    case 'string':
      return validString(schema, name);
    default:
      return fc.string();
  }
}

function validString(schema: Schema, name: string): fc.Arbitrary<string> {
  const fits = (text: string) =>
    text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? Infinity);
  if (name === 'arrivalDate' || name === 'departureDate') return stationDateArb;
  switch (schema.format ?? '') {
    case 'uuid':
      return uuidArb();
    case 'date':
      return dateArb;
    case 'date-time':
      return dateTimeArb;
    case 'email':
      return fc
        .oneof(
          {
            weight: 3,
            arbitrary: fc
              .tuple(fc.constantFrom(...WORDS), fc.nat())
              .map(([w, n]) => `${w.toLowerCase().replace(/[^a-z]/g, '')}.${n}@example.org`),
          },
          { weight: 1, arbitrary: fc.emailAddress() },
        )
        .filter(fits);
    case 'uri':
      return fc
        .oneof(
          {
            weight: 2,
            arbitrary: fc.constantFrom(
              'https://www.titk.de',
              'https://atameken.kz/en/',
              'http://jenoptik.com',
            ),
          },
          { weight: 1, arbitrary: fc.webUrl({ validSchemes: ['https', 'http'] }) },
        )
        .filter(fits);
    default:
      break;
  }
  if (['country', 'nationality', 'issuingCountry', 'countries'].includes(name)) {
    return fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...COUNTRIES) },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{2}$/) },
    );
  }
  if (name === 'timezone') return fc.constantFrom(...TIMEZONES);
  if (name === 'preferredLanguage') return fc.constantFrom('de', 'en', 'ru', 'kk', 'uz', 'xx');
  if (/password/i.test(name)) return passphraseArb;
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return textArb(schema);
}

/** A free-form JSON object (`answers`): small, a little nested, any Unicode. */
function freeObjectArb(depth: number): fc.Arbitrary<unknown> {
  return fc.dictionary(
    fc.oneof(
      fc.constantFrom('arrival', 'hotel', 'diet', 'Ünterkunft', '1'),
      fc.string({ maxLength: 10 }),
    ),
    fc.jsonValue({ maxDepth: Math.max(0, 3 - depth) }),
    { maxKeys: 5 },
  );
}

/** Required properties always, each optional one about half the time. */
export function validObject(
  schema: Schema,
  field: string,
  hint: Hint,
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      validValue(property, field ? `${field}.${name}` : name, hint, depth + 1),
    ]),
  );
  return fc.record(model, {
    requiredKeys: (schema.required ?? []).filter((name) => name in properties),
  });
}

/** A value that breaks `schema` in a way typical for its kind, or any hostile value. */
export function hostileValue(schema: Schema, realId: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const specific = specificHostile(schema, realId);
  const generic: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...HOSTILE_SCALARS),
    fc.constantFrom(...HOSTILE_NESTING),
  ];
  return fc.oneof(
    ...(specific ? [{ weight: 5, arbitrary: specific }] : []),
    { weight: 3, arbitrary: generic[0] },
    { weight: 2, arbitrary: generic[1] },
    { weight: 1, arbitrary: generic[2] },
  );
}

function specificHostile(
  schema: Schema,
  realId: fc.Arbitrary<string>,
): fc.Arbitrary<unknown> | undefined {
  if (schema.enum) {
    const first = String(schema.enum[0]);
    return fc.constantFrom(
      first.toUpperCase(),
      ` ${first}`,
      `${first}\u0000`,
      'constructor',
      'toString',
      '__proto__',
      schema.enum,
      schema.enum.length,
    );
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return fc.constantFrom(...hostileIntegers(schema.minimum, schema.maximum));
    case 'boolean':
      return fc.constantFrom('true', 'false', 1, 0, 'yes', [true]);
    case 'array':
      return fc.constantFrom(
        {},
        { 0: 'KZ' },
        'KZ',
        'KZ,UZ',
        [['KZ']],
        Array.from({ length: (schema.maxItems ?? 100) + 1 }, (_, i) => `X${i}`),
        ['KZ', 'KZ'],
        [null],
        [{}],
      );
    case 'object':
    case undefined:
      return fc.constantFrom(
        [],
        [{}],
        ['a'],
        'object',
        1,
        { '': 1 },
        { '\u0000': 1 },
        { ['x'.repeat(5000)]: 1 },
      );
    case 'string':
      break;
    default:
      return undefined;
  }
  const tooLong = schema.maxLength === undefined ? [] : ['y'.repeat(schema.maxLength + 1)];
  switch (schema.format ?? '') {
    case 'uuid':
      return fc
        .tuple(fc.constantFrom(...HOSTILE_UUID_TEMPLATES), realId)
        .map(([template, id]) =>
          template.replaceAll('{ID}', id.toUpperCase()).replaceAll('{id}', id),
        );
    case 'date':
      return fc.constantFrom(...HOSTILE_DATES);
    case 'date-time':
      return fc.constantFrom(...HOSTILE_DATE_TIMES);
    case 'email':
      return fc.constantFrom(...HOSTILE_EMAILS);
    case 'uri':
      return fc.constantFrom(...HOSTILE_URLS);
    default:
      return fc.constantFrom(
        '',
        'a',
        12,
        ...tooLong,
        ...(schema.pattern ? ['kz', 'K1', 'KZZ', 'ÄÖ', 'k z'] : []),
      );
  }
}

/** `contact.email` → `email`; `countries[]` → `countries`. */
export function lastName(field: string): string {
  return field.replace(/\[\]$/, '').split('.').pop() ?? field;
}
