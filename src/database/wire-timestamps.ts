import pg from 'pg';

/** PostgreSQL's type id of `timestamptz`. */
export const TIMESTAMPTZ_OID = 1184;

const asDate = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;

/**
 * A `timestamptz` as PostgreSQL sends it (`2026-12-04 09:30:00.25+00`) to
 * the ISO 8601 text the API answers with (`2026-12-04T09:30:00.250Z`,
 * what `Date.toISOString()` gives: milliseconds, UTC). In a UTC session
 * (`YYYY-MM-DD HH:MM:SS`, a fraction of 1 to 6 digits or none, `+00`:
 * 22 or 24 to 29 characters) that is cutting and joining text, without a
 * regular expression: a page of 50 participants has 250 timestamps (issue
 * 21). Anything else (another offset, a year past 9999, BC) goes through a
 * Date.
 */
export function isoTimestamp(text: string): string {
  const length = text.length;
  const utc =
    length >= 22 && length <= 29 && length !== 23 && text[10] === ' ' && text.endsWith('+00');
  if (!utc) return asDate(text).toISOString();
  const day = text.slice(0, 10);
  if (length === 22) return `${day}T${text.slice(11, 19)}.000Z`;
  // Milliseconds: the first three digits of the fraction, padded with zeros.
  if (length >= 26) return `${day}T${text.slice(11, 23)}Z`;
  return `${day}T${text.slice(11, length - 3)}${'000'.slice(length - 23)}Z`;
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
