import ICAL from 'ical.js';
import { vtimezone } from './vtimezone.js';

/** Reads `local` (YYYY-MM-DDTHH:mm:ss) in the zone a VTIMEZONE describes, as ical.js does. */
function instantOf(component: string, zone: string, local: string): string {
  const timezone = new ICAL.Timezone({
    component: new ICAL.Component(ICAL.parse(component)),
    tzid: zone,
  });
  const time = ICAL.Time.fromDateTimeString(local);
  time.zone = timezone;
  return time.toJSDate().toISOString();
}

describe('vtimezone: a VTIMEZONE from the IANA database', () => {
  const span = (from: string, to: string) => [new Date(from), new Date(to)] as const;

  it.each([
    // Asia/Almaty moved from UTC+6 to UTC+5 on 1 March 2024 (a change of law, not DST).
    ['Asia/Almaty', '2024-02-29T10:00:00', '2024-02-29T04:00:00.000Z'],
    ['Asia/Almaty', '2024-03-01T10:00:00', '2024-03-01T05:00:00.000Z'],
    ['Europe/Berlin', '2025-03-29T10:00:00', '2025-03-29T09:00:00.000Z'],
    ['Europe/Berlin', '2025-03-31T10:00:00', '2025-03-31T08:00:00.000Z'],
    ['Europe/Berlin', '2025-10-27T10:00:00', '2025-10-27T09:00:00.000Z'],
    ['Asia/Tashkent', '2024-09-02T09:30:00', '2024-09-02T04:30:00.000Z'],
    ['America/New_York', '2024-11-04T09:00:00', '2024-11-04T14:00:00.000Z'],
  ])('%s %s reads as %s in a calendar program', (zone, local, instant) => {
    const [from, to] = span('2024-02-01T00:00:00Z', '2025-11-30T00:00:00Z');
    expect(instantOf(vtimezone(zone, from, to), zone, local)).toBe(instant);
  });

  it('lists each change as its own observance, daylight time as DAYLIGHT', () => {
    const text = vtimezone('Europe/Berlin', new Date('2025-06-01Z'), new Date('2025-06-30Z'));
    expect(text).toContain('TZID:Europe/Berlin');
    expect(text).toMatch(
      /BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/,
    );
    expect(text).toMatch(
      /BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:\+0200\r\nTZOFFSETTO:\+0100/,
    );
    const almaty = vtimezone('Asia/Almaty', new Date('2024-02-01Z'), new Date('2024-03-31Z'));
    expect(almaty).toMatch(/DTSTART:20240301T000000\r\nTZOFFSETFROM:\+0600\r\nTZOFFSETTO:\+0500/);
  });
});
