import fc from 'fast-check';
import pg from 'pg';
import { isoTimestamp, TIMESTAMPTZ_OID } from './wire-timestamps.js';

const pgParse = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;

/** A timestamptz(3) as PostgreSQL writes it in a session at `offset` hours (ISO DateStyle). */
function postgresText(instant: Date, offsetMinutes = 0): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString();
  const [day, rest] = local.slice(0, -1).split('T');
  const [time, ms] = rest.split('.');
  const fraction = ms.replace(/0+$/, '');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.trunc(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = Math.abs(offsetMinutes) % 60;
  const zone = `${sign}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
  return `${day} ${time}${fraction ? `.${fraction}` : ''}${zone}`;
}

describe('isoTimestamp', () => {
  it('gives what Date.toISOString() gives, whole seconds and any milliseconds alike', () => {
    expect(isoTimestamp('2026-12-04 09:30:00+00')).toBe('2026-12-04T09:30:00.000Z');
    expect(isoTimestamp('2026-12-04 09:30:00.25+00')).toBe('2026-12-04T09:30:00.250Z');
    expect(isoTimestamp('2024-02-29 23:59:59.999+00')).toBe('2024-02-29T23:59:59.999Z');
    // More digits than timestamptz(3) keeps are cut, as a Date would cut them.
    expect(isoTimestamp('2026-12-04 09:30:00.123456+00')).toBe(
      pgParse('2026-12-04 09:30:00.123456+00').toISOString(),
    );
  });

  it('reads a session in another timezone (an offset other than +00) through a Date', () => {
    expect(isoTimestamp('2024-03-01 06:00:00+06')).toBe('2024-03-01T00:00:00.000Z');
    expect(isoTimestamp('2026-12-04 15:00:00.5+05:30')).toBe('2026-12-04T09:30:00.500Z');
  });

  it('agrees with pg’s own parser for any instant and offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        fc.constantFrom(0, 0, 60, -300, 330, 345, -570),
        (instant, offset) => {
          const text = postgresText(instant, offset);
          expect(isoTimestamp(text)).toBe(pgParse(text).toISOString());
          expect(isoTimestamp(text)).toBe(instant.toISOString());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
