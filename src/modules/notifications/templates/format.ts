import type { Locale } from '../../identity/roles.js';

const INTL_LOCALE: Record<Locale, string> = { de: 'de-DE', en: 'en-GB' };

/** A calendar day (`YYYY-MM-DD`): no time zone applies, so it is formatted as UTC. */
const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** `12.–20. Mai 2027` / `12–20 May 2027`. */
export function dateRange(locale: Locale, from: string, to: string): string {
  const format = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    dateStyle: 'long',
    timeZone: 'UTC',
  });
  return from === to ? format.format(day(from)) : format.formatRange(day(from), day(to));
}

/**
 * An instant in a named time zone, the zone spelled out: `15. März 2027,
 * 23:59 MEZ (Europe/Berlin)`.
 */
export function instantIn(locale: Locale, instant: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(instant);
  const zone =
    new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone, timeZoneName: 'short' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  return `${text} ${zone} (${timeZone})`.replace('  ', ' ');
}

/**
 * A span of time on one day in a named zone: `1. März 2024, 10:00–11:30
 * GMT+5 (Asia/Almaty)`.
 */
export function timeSpanIn(locale: Locale, from: Date, to: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).formatRange(from, to);
  const zone =
    new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone, timeZoneName: 'short' })
      .formatToParts(from)
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  return `${text} ${zone} (${timeZone})`.replace('  ', ' ');
}

/** `Kasachstan` / `Kazakhstan` for `KZ`. */
export function countryName(locale: Locale, code: string): string {
  return new Intl.DisplayNames([INTL_LOCALE[locale]], { type: 'region' }).of(code) ?? code;
}
