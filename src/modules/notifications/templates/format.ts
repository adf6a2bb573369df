import type { Locale } from '../../identity/roles.js';

const INTL_LOCALE: Record<Locale, string> = { de: 'de-DE', en: 'en-GB' };

/** What each formatter shows; the time zone is given apart. */
const STYLES = {
  day: { dateStyle: 'long' },
  moment: { dateStyle: 'long', timeStyle: 'short' },
  zone: { timeZoneName: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const formatters = new Map<string, Intl.DateTimeFormat>();
const regionNames = new Map<Locale, Intl.DisplayNames>();

/**
 * One formatter per language, style and zone, built once (issue 21: building
 * them for every mail took a fifth of the worker's CPU). Zones are a
 * bounded set (IANA names checked on input), so the map stays small.
 */
function formatter(locale: Locale, style: keyof typeof STYLES, timeZone: string) {
  const key = `${locale}|${style}|${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { ...STYLES[style], timeZone });
    formatters.set(key, format);
  }
  return format;
}

const texts = new Map<string, string>();
const TEXTS_MAX = 10_000;

/**
 * The text `make` gives for `key`, made once: a batch of mail about one trip
 * repeats its dates and deadlines in every message, and ICU's range
 * formatting costs about as much as the rest of a mail's rendering (issue
 * 21). Forgotten all at once when full.
 */
function remembered(key: string, make: () => string): string {
  let text = texts.get(key);
  if (text === undefined) {
    if (texts.size >= TEXTS_MAX) texts.clear();
    text = make();
    texts.set(key, text);
  }
  return text;
}

/** A calendar day (`YYYY-MM-DD`): no time zone applies, so it is formatted as UTC. */
const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** `12.–20. Mai 2027` / `12–20 May 2027`. */
export function dateRange(locale: Locale, from: string, to: string): string {
  return remembered(`range|${locale}|${from}|${to}`, () => {
    const format = formatter(locale, 'day', 'UTC');
    return from === to ? format.format(day(from)) : format.formatRange(day(from), day(to));
  });
}

/**
 * An instant in a named time zone, the zone spelled out: `15. März 2027,
 * 23:59 MEZ (Europe/Berlin)`.
 */
export function instantIn(locale: Locale, instant: Date, timeZone: string): string {
  return remembered(`instant|${locale}|${instant.getTime()}|${timeZone}`, () => {
    const text = formatter(locale, 'moment', timeZone).format(instant);
    return `${text} ${zoneName(locale, instant, timeZone)} (${timeZone})`.replace('  ', ' ');
  });
}

/** The zone's short name at `instant` (`MEZ`, `GMT+5`). */
function zoneName(locale: Locale, instant: Date, timeZone: string): string {
  return (
    formatter(locale, 'zone', timeZone)
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? ''
  );
}

/**
 * A span of time on one day in a named zone: `1. März 2024, 10:00–11:30
 * GMT+5 (Asia/Almaty)`.
 */
export function timeSpanIn(locale: Locale, from: Date, to: Date, timeZone: string): string {
  return remembered(`span|${locale}|${from.getTime()}|${to.getTime()}|${timeZone}`, () => {
    const text = formatter(locale, 'moment', timeZone).formatRange(from, to);
    return `${text} ${zoneName(locale, from, timeZone)} (${timeZone})`.replace('  ', ' ');
  });
}

/**
 * `Kasachstan` / `Kazakhstan` for `KZ`, remembered: every mail of a batch
 * names the same countries, and ICU's lookup costs ten times the map's.
 */
export function countryName(locale: Locale, code: string): string {
  return remembered(`country|${locale}|${code}`, () => {
    let names = regionNames.get(locale);
    if (!names) {
      names = new Intl.DisplayNames([INTL_LOCALE[locale]], { type: 'region' });
      regionNames.set(locale, names);
    }
    return names.of(code) ?? code;
  });
}
