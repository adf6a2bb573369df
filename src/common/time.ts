/** Offset of `timeZone` from UTC at `instant`, in milliseconds (IANA rules, DST included). */
function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const local = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a calendar day (`YYYY-MM-DD`) begins in `timeZone`. */
export function startOfDay(date: string, timeZone: string): Date {
  const naive = Date.parse(`${date}T00:00:00Z`);
  const first = naive - offsetMs(new Date(naive), timeZone);
  // Around a DST change the offset at the guess can differ from the offset at the result.
  return new Date(naive - offsetMs(new Date(first), timeZone));
}
