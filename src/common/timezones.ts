import ct from 'countries-and-timezones';

const resolve = (timeZone: string) =>
  new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;

const KNOWN = new Set(Intl.supportedValuesOf('timeZone'));

/** True for any IANA zone name Intl knows, current or a legacy alias (`Europe/Kiev`). */
export function isTimezone(value: string): boolean {
  if (KNOWN.has(value) || value === 'UTC') return true;
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * The name a zone has in today's IANA database: `Europe/Kiev` → `Europe/Kyiv`,
 * `Asia/Saigon` → `Asia/Ho_Chi_Minh`, `asia/almaty` → `Asia/Almaty`.
 *
 * Intl canonicalises through CLDR, which keeps the legacy spelling of a
 * renamed zone for ever; countries-and-timezones knows which name IANA uses
 * now. A rename is taken only where CLDR calls both names the same zone, so
 * a city IANA merely links to another with the same rules
 * (`Europe/Copenhagen` → `Europe/Berlin`) keeps its own name.
 */
export function currentTimezoneName(value: string): string {
  const cldr = resolve(value);
  if (cldr === 'UTC') return cldr;
  const renamed = ct.getTimezone(cldr)?.aliasOf;
  return renamed && resolve(renamed) === cldr ? renamed : cldr;
}
