import { DateTime, IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Transitions are listed from a year before the first event to a year after the last. */
const MARGIN_MS = 366 * DAY_MS;

/** `+0500`, `-0330`: an offset in minutes as iCalendar writes it. */
function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** A wall-clock time (`20240301T000000`) of the instant `at` read at `offset` minutes. */
function wallClock(at: number, offset: number): string {
  return new Date(at + offset * MINUTE_MS).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/**
 * An RFC 5545 VTIMEZONE for `timeZone` that calendar programs can read the
 * events of [from, to] with, written from the runtime's IANA database: every
 * offset change in the span (daylight saving, and changes of law such as
 * Asia/Almaty moving from UTC+6 to UTC+5 on 1 March 2024) as its own
 * observance, rather than rules of one year repeated for ever.
 */
export function vtimezone(timeZone: string, from: Date, to: Date): string {
  const zone = IANAZone.create(timeZone);
  const start = Math.floor((from.getTime() - MARGIN_MS) / DAY_MS) * DAY_MS;
  const end = to.getTime() + MARGIN_MS;
  const observance = (at: number, before: number, after: number) => {
    const local = DateTime.fromMillis(at, { zone: timeZone });
    const kind = local.isInDST ? 'DAYLIGHT' : 'STANDARD';
    return [
      `BEGIN:${kind}`,
      `DTSTART:${wallClock(at, before)}`,
      `TZOFFSETFROM:${utcOffset(before)}`,
      `TZOFFSETTO:${utcOffset(after)}`,
      `TZNAME:${local.offsetNameShort ?? utcOffset(after)}`,
      `END:${kind}`,
    ];
  };
  let offset = zone.offset(start);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, ...observance(start, offset, offset)];
  for (let day = start; day < end; day += DAY_MS) {
    const next = zone.offset(day + DAY_MS);
    if (next === offset) continue;
    // The minute the clocks changed, between `day` and the next day.
    let [low, high] = [day, day + DAY_MS];
    while (high - low > MINUTE_MS) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
      if (zone.offset(middle) === offset) low = middle;
      else high = middle;
    }
    lines.push(...observance(high, offset, next));
    offset = next;
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
