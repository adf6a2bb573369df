import pg from 'pg';

/** PostgreSQL's type id of `timestamptz`. */
export const TIMESTAMPTZ_OID = 1184;

/** `timestamptz` text in UTC, as a session whose TimeZone is UTC sends it. */
const UTC_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

const asDate = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;

/**
 * A `timestamptz` as PostgreSQL sends it (`2026-12-04 09:30:00.25+00`) to
 * the ISO 8601 text the API answers with (`2026-12-04T09:30:00.250Z`,
 * what `Date.toISOString()` gives: milliseconds, UTC). In a UTC session
 * that is rearranging text; any other offset goes through a Date.
 */
export function isoTimestamp(text: string): string {
  const utc = UTC_TEXT.exec(text);
  if (!utc) return asDate(text).toISOString();
  const [, day, time, fraction = ''] = utc;
  return `${day}T${time}.${fraction.slice(0, 3).padEnd(3, '0')}Z`;
}

/** A row with its timestamps as ISO 8601 text, as the API sends them. */
export type WireRow<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

/**
 * pg's parsers, but timestamps as ISO 8601 text instead of Dates, for the
 * hot reads (issue 21): a Date costs a parse per timestamp, and
 * JSON.stringify then calls back into JavaScript for each one's `toJSON`,
 * which took a quarter of a participants page's CPU.
 */
export const WIRE_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    return oid === TIMESTAMPTZ_OID && format !== 'binary'
      ? isoTimestamp
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown);
  },
};

/** A timestamp as the API sends it, from an entity (Date) or a wire row (text). */
export function iso(value: Date | string): string;
export function iso(value: Date | string | null): string | null;
export function iso(value: Date | string | null): string | null {
  return value instanceof Date ? value.toISOString() : value;
}
