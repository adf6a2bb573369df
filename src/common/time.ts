import { DateTime, IANAZone } from 'luxon';

/**
 * Time as DESIGN §3 has it: instants are stored, IANA zones are for reading
 * them; every conversion goes through Luxon and the IANA database of the
 * runtime (never a stored or hand-computed offset).
 */

/** The instant a calendar day (`YYYY-MM-DD`) begins in `timeZone`. */
export function startOfDay(date: string, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate();
}

/**
 * The instant it is `hour`:00 on a calendar day in `timeZone` (an hour the
 * clocks skip is read as the one after, as clocks do).
 */
export function atHourOf(date: string, hour: number, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone }).set({ hour }).toJSDate();
}

/** The calendar day `days` after (or, negative, before) `date`. */
export function addDaysTo(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** Why a local date-time names no single instant in a zone. */
export type LocalTimeProblem = 'nonexistent' | 'ambiguous';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The instant a wall-clock date-time (`2024-03-01T10:00`, no offset) names in
 * `timeZone`; or why there is none: it falls in a gap the clocks jump over
 * (`nonexistent`, e.g. Europe/Berlin 2025-03-30T02:30) or in an hour they
 * repeat (`ambiguous`, Europe/Berlin 2025-10-26T02:30). Every offset the
 * zone had in the day around it is tried; those that map back to the same
 * wall clock are the candidates.
 */
export function instantAt(
  localDateTime: string,
  timeZone: string,
): { instant: Date } | { problem: LocalTimeProblem } {
  const wall = DateTime.fromISO(localDateTime, { zone: 'UTC' });
  if (!wall.isValid) throw new Error(`not a local date-time: ${localDateTime}`);
  const zone = IANAZone.create(timeZone);
  const asUtc = wall.toMillis();
  const offsets = new Set([
    zone.offset(asUtc - DAY_MS),
    zone.offset(asUtc),
    zone.offset(asUtc + DAY_MS),
  ]);
  const candidates = [...offsets]
    .map((offset) => asUtc - offset * MINUTE_MS)
    .filter((instant) => asUtc - zone.offset(instant) * MINUTE_MS === instant);
  const distinct = [...new Set(candidates)];
  if (distinct.length === 0) return { problem: 'nonexistent' };
  if (distinct.length > 1) return { problem: 'ambiguous' };
  return { instant: new Date(distinct[0]) };
}

/** An instant as it reads in a zone, from the IANA rules in force at that instant. */
export interface LocalReading {
  /** Wall-clock date-time without offset, e.g. `2024-03-01T10:00:00`. */
  dateTime: string;
  /** The local calendar date. */
  date: string;
  timeZone: string;
  /** The zone's offset from UTC at that instant, e.g. `+05:00`. */
  utcOffset: string;
}

export function readIn(instant: Date, timeZone: string): LocalReading {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  return {
    dateTime: local.toFormat("yyyy-MM-dd'T'HH:mm:ss"),
    date: local.toISODate()!,
    timeZone,
    utcOffset: local.toFormat('ZZ'),
  };
}

/** Whether a date-time names its offset (`Z`, `+05:00`) rather than being a wall-clock time. */
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A time as sent for a place: with an offset it is that instant; without
 * one it is a wall-clock time read in the place's zone (see `instantAt`).
 */
export function timeAtPlace(
  value: string,
  timeZone: string,
): { instant: Date } | { problem: LocalTimeProblem } {
  return HAS_OFFSET.test(value) ? { instant: new Date(value) } : instantAt(value, timeZone);
}
