import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { addStation, createContact, createTrip, moveTrip } from './factories.js';
import type { Agency } from './identity.js';
import { SmtpSink } from './smtp-sink.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

export interface OpenTrip {
  id: string;
  title: string;
  registrationClosesAt: string;
}

export interface InvitedContact {
  id: string;
  email: string;
  lastName: string;
}

const DAY = 24 * 3600_000;

/** A calendar date `days` from today (UTC). */
export const inDays = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** The stations of `openTrip`'s trip (dates relative to today). */
export const tripStations = () => [
  {
    city: 'Almaty',
    country: 'KZ',
    timezone: 'Asia/Almaty',
    arrivalDate: inDays(30),
    departureDate: inDays(33),
  },
  {
    city: 'Taschkent',
    country: 'UZ',
    timezone: 'Asia/Tashkent',
    arrivalDate: inDays(33),
    departureDate: inDays(37),
  },
];

/**
 * A trip open for registration through the API: two stations in their own
 * time zones, registration closing in `closesInDays` (default 20), starting
 * a month from now.
 */
export async function openTrip(
  t: TestApp,
  agency: Agency,
  fields: Record<string, unknown> = {},
  closesInDays = 20,
): Promise<OpenTrip> {
  const title = `Markterkundungsreise Kasachstan und Usbekistan ${randomUUID().slice(0, 4)}`;
  const registrationClosesAt = new Date(Date.now() + closesInDays * DAY).toISOString();
  const trip = await createTrip(t, agency, {
    title,
    kind: 'market_exploration',
    countries: ['KZ', 'UZ'],
    startDate: inDays(30),
    endDate: inDays(37),
    capacity: 25,
    registrationClosesAt,
    ...fields,
  });
  for (const station of tripStations()) await addStation(t, agency, trip.id, station);
  await moveTrip(t, agency, trip, ['planned', 'registration_open']);
  return { id: trip.id, title, registrationClosesAt: trip.registrationClosesAt as string };
}

/** `count` contacts with unique addresses; every other one prefers English when `mixLanguages`. */
export async function addContacts(
  t: TestApp,
  agency: Agency,
  count: number,
  {
    mixLanguages = false,
    fields = {},
  }: { mixLanguages?: boolean; fields?: Record<string, unknown> } = {},
): Promise<InvitedContact[]> {
  const run = randomUUID().slice(0, 6);
  const contacts: InvitedContact[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - start) }, async (_, offset) => {
        const n = start + offset;
        const body = {
          firstName: 'Aigerim',
          lastName: `Sadykova-${n}`,
          email: `aigerim.${run}.${n}@example.kz`,
          preferredLanguage: mixLanguages && n % 2 === 1 ? 'en' : 'de',
          ...fields,
        };
        const contact = await createContact(t, agency, body);
        return { id: contact.id, email: body.email, lastName: body.lastName };
      }),
    );
    contacts.push(...batch);
  }
  return contacts;
}

/** The token of the first `${PUBLIC_BASE_URL}/<path>/<token>` link in a mail's text. */
export function linkToken(mail: ParsedMail, path: 'invitations' | 'registrations'): string {
  const match = new RegExp(`/${path}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`No /${path}/ link in mail "${mail.subject}"`);
  return match[1];
}

/** The single address a mail went to. */
export function recipient(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address ?? '';
}

/** Waits until `check` returns true (polling), or fails after `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Messages of a tenant by status, straight from the outbox table. */
export async function messageCounts(t: TestApp, tenantId: string): Promise<Record<string, number>> {
  const rows = await t.dataSource.query<{ status: string; n: number }[]>(
    `SELECT status, count(*)::int AS n FROM notifications WHERE tenant_id = $1 GROUP BY status`,
    [tenantId],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/**
 * An SMTP sink and the app (with its worker unless `worker: false`) sending
 * to it, the relay polling every 200 ms; `config` adds to or overrides that.
 */
export async function startWithSink(
  options: TestAppOptions = {},
): Promise<{ t: TestApp; sink: SmtpSink }> {
  const sink = await new SmtpSink().start();
  try {
    const t = await startTestApp({
      worker: true,
      ...options,
      config: { SMTP_URL: sink.url, RELAY_INTERVAL_MS: 200, ...options.config },
    });
    return { t, sink };
  } catch (error) {
    await sink.stop();
    throw error;
  }
}
