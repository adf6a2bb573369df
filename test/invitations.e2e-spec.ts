import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Response } from 'supertest';
import { MessageKinds } from '../src/modules/notifications/message-kinds.js';
import {
  type Body,
  type FieldErrorBody,
  type Headers,
  type PageBody,
  expectProblem,
} from './support/api.js';
import { addApiKey, addStaff, bearer, signUpAgency, type Agency } from './support/identity.js';
import {
  addParticipant,
  createContact,
  createTrip,
  moveTrip,
  transitionTrip,
  type TripStatus,
} from './support/factories.js';
import {
  addContacts,
  eventually,
  inDays,
  linkToken,
  openTrip,
  recipient,
  type InvitedContact,
  type OpenTrip,
  startWithSink,
} from './support/messaging.js';
import { SmtpSink } from './support/smtp-sink.js';
import type { TestApp } from './support/test-app.js';

const PUBLIC_BASE_URL = 'https://reisen.agency.example';
const AGENCY_NAME = 'Thüringen International';
const REMINDER_DAYS = 3;
/** Long enough for several relay rounds (RELAY_INTERVAL_MS 200) and sends to happen. */
const SEVERAL_ROUNDS_MS = 1000;

type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';

interface InvitationBody {
  id: string;
  tripId: string;
  contactId: string;
  email: string;
  status: InvitationStatus;
  message: string | null;
  sendCount: number;
  lastSentAt: string;
  answeredAt: string | null;
  expiresAt: string | null;
  participantId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface InviteResultBody {
  contactId: string;
  outcome: string;
  invitationId: string | null;
}

interface InviteReportBody {
  invited: number;
  results: InviteResultBody[];
}

interface PublicInvitationBody {
  status: InvitationStatus;
  message: string | null;
  invitee: { firstName: string | null; lastName: string; email: string };
  agency: { name: string };
  trip: { title: string };
}

interface NotificationBody {
  id: string;
  kind: string;
  status: string;
  locale: string;
  recipientEmail: string;
  contactId: string | null;
  invitationId: string | null;
  dueAt: string;
  attempts: number;
}

interface ParticipantBody {
  id: string;
  contactId: string;
  status: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const BERLIN = 'Europe/Berlin';

/** An instant's calendar date and wall-clock time in Berlin, e.g. `2026-12-03 09:00`. */
function berlinWallClock(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: BERLIN,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Berlin's UTC offset at an instant (ms), from the IANA database: +1 h in winter, +2 h in summer. */
function berlinOffsetMs(instant: Date): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: BERLIN, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
}

/** The instant Berlin's clocks show `time` on `date`, with the offset in force at that instant. */
function berlinInstant(date: string, time: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let instant = wall;
  for (let pass = 0; pass < 2; pass++) instant = wall - berlinOffsetMs(new Date(instant));
  return new Date(instant);
}

/** A calendar date `days` after `date`. */
function addDays(date: string, days: number): string {
  const noon = new Date(`${date}T12:00:00Z`);
  noon.setUTCDate(noon.getUTCDate() + days);
  return noon.toISOString().slice(0, 10);
}

describe('invitations', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let agency: Agency;
  let other: Agency;

  beforeAll(async () => {
    ({ t, sink } = await startWithSink({
      config: {
        PUBLIC_BASE_URL,
        INVITATION_REMINDER_DAYS: REMINDER_DAYS,
        // Every public link of a 200-invitation batch is opened from one address.
        RATE_LIMIT_PUBLIC_PER_MINUTE: 10_000,
      },
    }));
    agency = await signUpAgency(t, { tenantName: AGENCY_NAME });
    other = await signUpAgency(t, { tenantName: 'Sachsen Global' });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const owner = (): Headers => bearer(agency.owner.accessToken);
  const tripPath = (tripId: string) => `/api/v1/trips/${tripId}/invitations`;

  function call(method: 'get' | 'post', path: string, headers: Headers, body?: Body) {
    const pending = t.http()[method](path).set(headers);
    return body === undefined ? pending : pending.send(body);
  }

  const invite = (tripId: string, body: Body, headers = owner()) =>
    call('post', tripPath(tripId), headers, body);

  /** Invites the contacts, expecting every one of them to be invited; the invitation ids, in order. */
  async function inviteAll(trip: OpenTrip, contacts: { id: string }[]): Promise<string[]> {
    const response = await invite(trip.id, { contactIds: contacts.map((contact) => contact.id) });
    expect(response.status).toBe(200);
    const report = response.body as InviteReportBody;
    expect(report.results.map((result) => result.outcome)).toEqual(contacts.map(() => 'invited'));
    return report.results.map((result) => result.invitationId ?? '');
  }

  async function list(
    tripId: string,
    query: Record<string, string | number> = {},
    headers = owner(),
  ): Promise<PageBody<InvitationBody>> {
    const response = await call('get', tripPath(tripId), headers).query(query);
    expect(response.status).toBe(200);
    return response.body as PageBody<InvitationBody>;
  }

  async function getInvitation(tripId: string, id: string): Promise<InvitationBody> {
    const response = await call('get', `${tripPath(tripId)}/${id}`, owner());
    expect(response.status).toBe(200);
    return response.body as InvitationBody;
  }

  const action = (tripId: string, id: string, verb: 'resend' | 'revoke', headers = owner()) =>
    call('post', `${tripPath(tripId)}/${id}/${verb}`, headers);

  async function messagesOf(query: Record<string, string>): Promise<NotificationBody[]> {
    const response = await call('get', '/api/v1/notifications', owner()).query({
      limit: 200,
      ...query,
    });
    expect(response.status).toBe(200);
    return (response.body as PageBody<NotificationBody>).items;
  }

  const mailsTo = (email: string) => sink.messages.filter((mail) => recipient(mail) === email);
  const isInvitationMail = (mail: ParsedMail) =>
    /^(Einladung|Invitation): /.test(mail.subject ?? '');
  const invitationMailsTo = (email: string) => mailsTo(email).filter(isInvitationMail);

  /** The `count`-th invitation email to `email`, waiting for it. */
  async function invitationMail(email: string, count = 1): Promise<ParsedMail> {
    await eventually(
      () => invitationMailsTo(email).length >= count,
      20_000,
      `invitation email #${count} to ${email}`,
    );
    return invitationMailsTo(email)[count - 1];
  }

  const invitationToken = async (email: string, count = 1) =>
    linkToken(await invitationMail(email, count), 'invitations');

  const publicInvitation = (token: string) => t.http().get(`/api/v1/public/invitations/${token}`);
  const register = (token: string) =>
    t
      .http()
      .post(`/api/v1/public/invitations/${token}/registration`)
      .send({ category: 'business', consent: true });
  const decline = (token: string) => t.http().post(`/api/v1/public/invitations/${token}/decline`);

  /** A 400 whose `errors` name exactly `field`. */
  function expectInvalid(response: Response, field: string) {
    expectProblem(response, 400, 'validation_failed');
    const errors = response.body.errors as FieldErrorBody[];
    expect(errors.length).toBeGreaterThan(0);
    expect([...new Set(errors.map((error) => error.field))]).toEqual([field]);
  }

  /** The worker's message kinds: planning what has come due (reminders) on demand. */
  function planner(): MessageKinds {
    if (!t.worker) throw new Error('the worker is not running');
    return t.worker.get(MessageKinds);
  }

  describe('a batch of 200', () => {
    let trip: OpenTrip;
    let contacts: InvitedContact[];
    let response: Response;
    let mails: ParsedMail[];

    beforeAll(async () => {
      trip = await openTrip(t, agency);
      contacts = await addContacts(t, agency, 200, { mixLanguages: true });
      const before = sink.messages.length;
      response = await invite(trip.id, { contactIds: contacts.map((contact) => contact.id) });
      await eventually(() => sink.messages.length - before >= 200, 60_000, '200 invitation emails');
      await sleep(SEVERAL_ROUNDS_MS);
      mails = sink.messages.slice(before);
    }, 90_000);

    it('reports 200 invited and sends exactly one email to each address, in its language', () => {
      expect(response.status).toBe(200);
      const report = response.body as InviteReportBody;
      expect(report.invited).toBe(200);
      expect(report.results).toHaveLength(200);
      expect(report.results.map((result) => result.contactId)).toEqual(
        contacts.map((contact) => contact.id),
      );
      for (const result of report.results) {
        expect(result.outcome).toBe('invited');
        expect(result.invitationId).toEqual(expect.any(String));
      }

      expect(mails).toHaveLength(200);
      expect(mails.map(recipient).sort()).toEqual(contacts.map((contact) => contact.email).sort());
      contacts.forEach((contact, n) => {
        const [mail] = mails.filter((candidate) => recipient(candidate) === contact.email);
        // addContacts: every other contact prefers English.
        const english = n % 2 === 1;
        expect(mail.subject).toBe(`${english ? 'Invitation' : 'Einladung'}: ${trip.title}`);
        expect(mail.from?.value).toEqual([{ name: AGENCY_NAME, address: t.config.MAIL_FROM }]);
        expect(mail.text).toContain(
          `${english ? 'Dear' : 'Guten Tag'} Aigerim ${contact.lastName},`,
        );
        expect(typeof mail.html).toBe('string');
        const link = `${PUBLIC_BASE_URL}/invitations/${linkToken(mail, 'invitations')}`;
        expect(mail.text).toContain(link);
        expect(mail.html).toContain(link);
      });
    });

    it('gives every invitee their own working link', async () => {
      const tokens = contacts.map((contact) =>
        linkToken(
          mails.find((mail) => recipient(mail) === contact.email) as ParsedMail,
          'invitations',
        ),
      );
      expect(new Set(tokens).size).toBe(200);
      for (let start = 0; start < contacts.length; start += 25) {
        await Promise.all(
          contacts.slice(start, start + 25).map(async (contact, offset) => {
            const view = await publicInvitation(tokens[start + offset]);
            expect(view.status).toBe(200);
            const body = view.body as PublicInvitationBody;
            expect(body.status).toBe('pending');
            expect(body.invitee).toMatchObject({
              firstName: 'Aigerim',
              lastName: contact.lastName,
              email: contact.email,
            });
            expect(body.trip.title).toBe(trip.title);
            expect(body.agency.name).toBe(AGENCY_NAME);
          }),
        );
      }
    });

    it('registering through a link creates the participant and sends the confirmation', async () => {
      const invitee = contacts[7];
      const token = linkToken(
        mails.find((mail) => recipient(mail) === invitee.email) as ParsedMail,
        'invitations',
      );
      const registered = await register(token);
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ status: 'confirmed' });

      const participants = await call('get', `/api/v1/trips/${trip.id}/participants`, owner());
      expect(participants.status).toBe(200);
      const items = (participants.body as PageBody<ParticipantBody>).items;
      expect(items.map(({ contactId, status }) => ({ contactId, status }))).toEqual([
        { contactId: invitee.id, status: 'confirmed' },
      ]);

      const confirmation = await sink.waitFor(
        (mail) =>
          recipient(mail) === invitee.email &&
          mail.subject === `Participation confirmed: ${trip.title}`,
      );
      expect(linkToken(confirmation, 'registrations')).toBe(registered.body.registrationToken);
      expect(confirmation.from?.value[0]?.name).toBe(AGENCY_NAME);
    });
  });

  describe('the per-contact report', () => {
    it('says why each contact was not invited, once per distinct id, and mails only the invited', async () => {
      const trip = await openTrip(t, agency);
      const [pending, registered, erased, declined, fresh, alsoFresh] = await addContacts(
        t,
        agency,
        6,
      );
      const { id: withoutEmail } = await createContact(t, agency, {
        firstName: 'Dauren',
        lastName: 'Abenov',
        email: undefined,
      });
      const [foreign] = await addContacts(t, other, 1);
      const unknown = randomUUID();

      const [pendingInvitation, declinedInvitation] = await inviteAll(trip, [pending, declined]);
      expect((await decline(await invitationToken(declined.email))).status).toBe(200);
      await addParticipant(t, agency, trip.id, { contactId: registered.id });
      expect((await call('post', `/api/v1/contacts/${erased.id}/erase`, owner())).status).toBe(200);
      await invitationMail(pending.email);

      const response = await invite(trip.id, {
        contactIds: [
          fresh.id,
          pending.id,
          registered.id,
          withoutEmail,
          foreign.id,
          unknown,
          erased.id,
          declined.id,
          fresh.id,
          pending.id,
          alsoFresh.id,
        ],
      });
      expect(response.status).toBe(200);
      const report = response.body as InviteReportBody;
      expect(report).toEqual({
        invited: 2,
        results: [
          { contactId: fresh.id, outcome: 'invited', invitationId: expect.any(String) },
          { contactId: pending.id, outcome: 'already_invited', invitationId: pendingInvitation },
          { contactId: registered.id, outcome: 'already_registered', invitationId: null },
          { contactId: withoutEmail, outcome: 'no_email', invitationId: null },
          { contactId: foreign.id, outcome: 'unknown_contact', invitationId: null },
          { contactId: unknown, outcome: 'unknown_contact', invitationId: null },
          { contactId: erased.id, outcome: 'erased', invitationId: null },
          { contactId: declined.id, outcome: 'declined_before', invitationId: declinedInvitation },
          { contactId: alsoFresh.id, outcome: 'invited', invitationId: expect.any(String) },
        ],
      });

      await invitationMail(fresh.email);
      await invitationMail(alsoFresh.email);
      await sleep(SEVERAL_ROUNDS_MS);
      expect(invitationMailsTo(fresh.email)).toHaveLength(1);
      expect(invitationMailsTo(pending.email)).toHaveLength(1);
      expect(invitationMailsTo(declined.email)).toHaveLength(1);
      expect(invitationMailsTo(registered.email)).toHaveLength(0);
      expect(mailsTo(erased.email)).toHaveLength(0);
      expect(mailsTo(foreign.email)).toHaveLength(0);

      const invitations = (await list(trip.id)).items;
      expect(
        invitations
          .map(({ contactId, status }) => ({ contactId, status }))
          .sort((a, b) => a.contactId.localeCompare(b.contactId)),
      ).toEqual(
        [
          { contactId: pending.id, status: 'pending' },
          { contactId: declined.id, status: 'declined' },
          { contactId: fresh.id, status: 'pending' },
          { contactId: alsoFresh.id, status: 'pending' },
        ].sort((a, b) => a.contactId.localeCompare(b.contactId)),
      );
    });
  });

  describe('concurrent batches', () => {
    it('two requests inviting the same contacts at once send one email each', async () => {
      const trip = await openTrip(t, agency);
      const contacts = await addContacts(t, agency, 20);
      const body = { contactIds: contacts.map((contact) => contact.id) };
      const responses = await Promise.all([invite(trip.id, body), invite(trip.id, body)]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      const reports = responses.map((response) => response.body as InviteReportBody);
      expect(reports.map((report) => report.invited).sort()).toEqual([0, 20]);
      for (const [n, contact] of contacts.entries()) {
        const outcomes = reports.map((report) => report.results[n]);
        expect(outcomes.map((result) => result.outcome).sort()).toEqual([
          'already_invited',
          'invited',
        ]);
        expect(outcomes[0].invitationId).toBe(outcomes[1].invitationId);
        expect(outcomes[0].contactId).toBe(contact.id);
      }
      for (const contact of contacts) await invitationMail(contact.email);
      await sleep(SEVERAL_ROUNDS_MS);
      for (const contact of contacts) expect(invitationMailsTo(contact.email)).toHaveLength(1);
      expect((await list(trip.id)).items).toHaveLength(20);
    });
  });

  describe('validation and trip state', () => {
    let trip: OpenTrip;
    let contact: InvitedContact;

    beforeAll(async () => {
      trip = await openTrip(t, agency);
      [contact] = await addContacts(t, agency, 1);
    });

    it.each([
      ['no contacts', { contactIds: [] }],
      ['more than 500', { contactIds: Array.from({ length: 501 }, () => randomUUID()) }],
      ['an id that is not a uuid', { contactIds: [randomUUID(), 'not-a-uuid'] }],
      ['no list at all', { contactIds: 'all' }],
      ['nothing', {}],
    ])('rejects %s with 400 naming contactIds', async (_, body) => {
      expectInvalid(await invite(trip.id, body), 'contactIds');
    });

    it('rejects unknown fields with 400 and invites nobody', async () => {
      const response = await invite(trip.id, { contactIds: [contact.id], sendAt: 'tomorrow' });
      expectInvalid(response, 'sendAt');
      expect((await list(trip.id)).items).toEqual([]);
    });

    it('accepts exactly 500 ids', async () => {
      const response = await invite(trip.id, {
        contactIds: Array.from({ length: 500 }, () => randomUUID()),
      });
      expect(response.status).toBe(200);
      expect((response.body as InviteReportBody).invited).toBe(0);
    });

    it('invites while the trip is planned', async () => {
      const { id: tripId } = await createTrip(t, agency, {
        title: 'Informationsreise Georgien',
        kind: 'delegation',
        countries: ['GE'],
        startDate: inDays(40),
        endDate: inDays(45),
        capacity: 10,
        registrationClosesAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      });
      expectProblem(await invite(tripId, { contactIds: [contact.id] }), 409, 'trip_not_inviting');
      await transitionTrip(t, agency, tripId, 'planned');
      const response = await invite(tripId, { contactIds: [contact.id] });
      expect(response.status).toBe(200);
      expect((response.body as InviteReportBody).invited).toBe(1);
    });

    it.each<[string, TripStatus[]]>([
      ['registration has closed', ['registration_closed']],
      ['the trip is cancelled', ['cancelled']],
    ])('refuses with 409 trip_not_inviting when %s', async (_, route) => {
      const closing = await openTrip(t, agency);
      await moveTrip(t, agency, closing, route);
      expectProblem(
        await invite(closing.id, { contactIds: [contact.id] }),
        409,
        'trip_not_inviting',
      );
      expect((await list(closing.id)).items).toEqual([]);
    });

    it("answers 404 for an unknown trip and for another agency's trip", async () => {
      const foreignTrip = await openTrip(t, other);
      const [foreignContact] = await addContacts(t, other, 1);
      for (const tripId of [randomUUID(), foreignTrip.id]) {
        for (const invitee of [contact.id, foreignContact.id]) {
          expectProblem(await invite(tripId, { contactIds: [invitee] }), 404, 'not_found');
        }
        expectProblem(await call('get', tripPath(tripId), owner()), 404, 'not_found');
      }
      const theirs = await list(foreignTrip.id, {}, bearer(other.owner.accessToken));
      expect(theirs.items).toEqual([]);
    });
  });

  describe('listing', () => {
    let trip: OpenTrip;
    let contacts: InvitedContact[];
    let ids: string[];
    let since: Date;
    let participantId: string;

    beforeAll(async () => {
      trip = await openTrip(t, agency);
      contacts = await addContacts(t, agency, 5);
      ids = await inviteAll(trip, contacts);
      const [accepting, declining] = await Promise.all(
        contacts.slice(0, 2).map((contact) => invitationToken(contact.email)),
      );
      await sleep(20);
      since = new Date();
      const registered = await register(accepting);
      expect(registered.status).toBe(201);
      expect((await decline(declining)).status).toBe(200);
      expect((await action(trip.id, ids[2], 'revoke')).status).toBe(200);
      const participants = await call('get', `/api/v1/trips/${trip.id}/participants`, owner());
      participantId = (participants.body as PageBody<ParticipantBody>).items[0].id;
    });

    it.each([
      ['pending', [3, 4]],
      ['accepted', [0]],
      ['declined', [1]],
      ['revoked', [2]],
      ['expired', []],
    ] as const)('filters by status %s', async (status, which) => {
      const { items, nextCursor } = await list(trip.id, { status });
      expect(items.map((item) => item.id).sort()).toEqual(which.map((n) => ids[n]).sort());
      for (const item of items) expect(item.status).toBe(status);
      expect(nextCursor).toBeNull();
    });

    it('shows the answers: registered with its participant, declined, revoked', async () => {
      const [accepted, declined, revoked, pending] = await Promise.all(
        ids.slice(0, 4).map((id) => getInvitation(trip.id, id)),
      );
      expect(accepted).toMatchObject({
        status: 'accepted',
        participantId,
        contactId: contacts[0].id,
        answeredAt: expect.any(String),
      });
      expect(declined).toMatchObject({
        status: 'declined',
        participantId: null,
        answeredAt: expect.any(String),
      });
      expect(revoked).toMatchObject({ status: 'revoked', answeredAt: null });
      expect(pending).toMatchObject({
        status: 'pending',
        email: contacts[3].email,
        sendCount: 1,
        answeredAt: null,
        participantId: null,
        expiresAt: trip.registrationClosesAt,
      });
    });

    it('pages with limit and cursor, oldest first, each invitation once', async () => {
      const everything = (await list(trip.id)).items;
      expect(everything.map((item) => item.id).sort()).toEqual([...ids].sort());
      const seen: InvitationBody[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: PageBody<InvitationBody> = await list(trip.id, {
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen.map((item) => item.id)).toEqual(everything.map((item) => item.id));
      const order = seen.map((item) => `${item.createdAt}|${item.id}`);
      expect(order).toEqual([...order].sort());
    });

    it('pages a status filter too', async () => {
      const first = await list(trip.id, { status: 'pending', limit: 1 });
      expect(first.items).toHaveLength(1);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await list(trip.id, {
        status: 'pending',
        limit: 1,
        cursor: first.nextCursor ?? '',
      });
      expect(second.items).toHaveLength(1);
      expect([first.items[0].id, second.items[0].id].sort()).toEqual([ids[3], ids[4]].sort());
    });

    it('lists only what changed since updatedSince', async () => {
      const changed = await list(trip.id, { updatedSince: since.toISOString() });
      expect(changed.items.map((item) => item.id).sort()).toEqual(ids.slice(0, 3).sort());
      const later = await list(trip.id, { updatedSince: new Date().toISOString() });
      expect(later.items).toEqual([]);
    });

    it('gets one with its ETag', async () => {
      const response = await call('get', `${tripPath(trip.id)}/${ids[1]}`, owner());
      expect(response.status).toBe(200);
      const body = response.body as InvitationBody;
      expect(response.headers.etag).toBe(`"${body.version}"`);
      const listed = (await list(trip.id, { status: 'declined' })).items[0];
      expect(body).toEqual(listed);
    });

    it('answers 404 for an unknown invitation or one of another trip, 400 for a bad filter', async () => {
      const otherTrip = await openTrip(t, agency);
      for (const path of [
        `${tripPath(trip.id)}/${randomUUID()}`,
        `${tripPath(otherTrip.id)}/${ids[0]}`,
      ]) {
        expectProblem(await call('get', path, owner()), 404, 'not_found');
      }
      expectInvalid(
        await call('get', tripPath(trip.id), owner()).query({ status: 'opened' }),
        'status',
      );
      expectInvalid(
        await call('get', tripPath(trip.id), owner()).query({ updatedSince: 'yesterday' }),
        'updatedSince',
      );
    });
  });

  describe('resending', () => {
    let trip: OpenTrip;

    beforeAll(async () => {
      trip = await openTrip(t, agency);
    });

    it('sends the same link again and counts it', async () => {
      const [contact] = await addContacts(t, agency, 1);
      const [id] = await inviteAll(trip, [contact]);
      const first = await invitationMail(contact.email);
      const before = await getInvitation(trip.id, id);

      const response = await action(trip.id, id, 'resend');
      expect(response.status).toBe(200);
      const resent = response.body as InvitationBody;
      expect(resent).toMatchObject({ id, status: 'pending', sendCount: 2 });
      expect(Date.parse(resent.lastSentAt)).toBeGreaterThan(Date.parse(before.lastSentAt));

      const second = await invitationMail(contact.email, 2);
      expect(linkToken(second, 'invitations')).toBe(linkToken(first, 'invitations'));
      expect(second.subject).toBe(first.subject);
      await sleep(SEVERAL_ROUNDS_MS);
      expect(invitationMailsTo(contact.email)).toHaveLength(2);
    });

    it('refuses to resend a declined or revoked invitation with 409', async () => {
      const [declining, revoked] = await addContacts(t, agency, 2);
      const [declinedId, revokedId] = await inviteAll(trip, [declining, revoked]);
      await invitationMail(revoked.email);
      expect((await decline(await invitationToken(declining.email))).status).toBe(200);
      expect((await action(trip.id, revokedId, 'revoke')).status).toBe(200);
      for (const id of [declinedId, revokedId]) {
        expectProblem(await action(trip.id, id, 'resend'), 409, 'invitation_not_pending');
        expect((await getInvitation(trip.id, id)).sendCount).toBe(1);
      }
      await sleep(SEVERAL_ROUNDS_MS);
      expect(invitationMailsTo(declining.email)).toHaveLength(1);
      expect(invitationMailsTo(revoked.email)).toHaveLength(1);
    });

    it('answers 429 with Retry-After past the daily resend limit', async () => {
      const [contact] = await addContacts(t, agency, 1);
      const [id] = await inviteAll(trip, [contact]);
      const limit = t.config.RATE_LIMIT_INVITATION_RESENDS_PER_DAY;
      for (let n = 1; n <= limit; n++) {
        const response = await action(trip.id, id, 'resend');
        expect(response.status).toBe(200);
        expect((response.body as InvitationBody).sendCount).toBe(1 + n);
      }
      const blocked = await action(trip.id, id, 'resend');
      expectProblem(blocked, 429, 'rate_limited');
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
      expect((await getInvitation(trip.id, id)).sendCount).toBe(1 + limit);

      await invitationMail(contact.email, 1 + limit);
      await sleep(SEVERAL_ROUNDS_MS);
      expect(invitationMailsTo(contact.email)).toHaveLength(1 + limit);
    });
  });

  describe('revoking', () => {
    let trip: OpenTrip;

    beforeAll(async () => {
      trip = await openTrip(t, agency);
    });

    it('cancels the invitation email that was not sent yet', async () => {
      const [revoked, control] = await addContacts(t, agency, 2);
      await t.stopWorker();
      let revokedId: string;
      try {
        [revokedId] = await inviteAll(trip, [revoked, control]);
        const response = await action(trip.id, revokedId, 'revoke');
        expect(response.status).toBe(200);
        expect((response.body as InvitationBody).status).toBe('revoked');
        expect(await messagesOf({ contactId: revoked.id })).toMatchObject([
          { kind: 'invitation', status: 'cancelled', invitationId: revokedId },
        ]);
      } finally {
        await t.startWorker();
      }
      await invitationMail(control.email);
      await sleep(SEVERAL_ROUNDS_MS);
      expect(mailsTo(revoked.email)).toHaveLength(0);
      expect(await messagesOf({ contactId: revoked.id })).toMatchObject([
        { kind: 'invitation', status: 'cancelled', attempts: 0 },
      ]);
      expect(await messagesOf({ contactId: control.id })).toMatchObject([
        { kind: 'invitation', status: 'sent' },
      ]);
    });

    it('kills the link at once; inviting again sends a new link and the old one stays dead', async () => {
      const [contact] = await addContacts(t, agency, 1);
      const [id] = await inviteAll(trip, [contact]);
      const oldToken = await invitationToken(contact.email);
      expect((await publicInvitation(oldToken)).status).toBe(200);

      expect((await action(trip.id, id, 'revoke')).status).toBe(200);
      expectProblem(await publicInvitation(oldToken), 404, 'not_found');
      expectProblem(await register(oldToken), 404, 'not_found');
      expectProblem(await decline(oldToken), 404, 'not_found');

      const again = await invite(trip.id, { contactIds: [contact.id] });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({
        invited: 1,
        results: [{ contactId: contact.id, outcome: 'invited', invitationId: id }],
      });
      const newToken = await invitationToken(contact.email, 2);
      expect(newToken).not.toBe(oldToken);
      expect((await publicInvitation(newToken)).body).toMatchObject({ status: 'pending' });
      expectProblem(await publicInvitation(oldToken), 404, 'not_found');
      expectProblem(await register(oldToken), 404, 'not_found');
      expect(await getInvitation(trip.id, id)).toMatchObject({ status: 'pending', sendCount: 2 });
      await sleep(SEVERAL_ROUNDS_MS);
      expect(invitationMailsTo(contact.email)).toHaveLength(2);
    });

    it('revoking twice is harmless; an answered invitation cannot be revoked', async () => {
      const [pending, declining] = await addContacts(t, agency, 2);
      const [pendingId, declinedId] = await inviteAll(trip, [pending, declining]);
      expect((await decline(await invitationToken(declining.email))).status).toBe(200);
      for (let n = 0; n < 2; n++) {
        const response = await action(trip.id, pendingId, 'revoke');
        expect(response.status).toBe(200);
        expect((response.body as InvitationBody).status).toBe('revoked');
      }
      expectProblem(await action(trip.id, declinedId, 'revoke'), 409, 'invitation_answered');
      expect((await getInvitation(trip.id, declinedId)).status).toBe('declined');
    });
  });

  describe('staff adding an invitee directly', () => {
    it('accepts their invitation: its unsent email is cancelled, the link stops offering registration', async () => {
      const trip = await openTrip(t, agency);
      const [contact] = await addContacts(t, agency, 1);
      await t.stopWorker();
      let invitationId: string;
      try {
        [invitationId] = await inviteAll(trip, [contact]);
        const added = await call('post', `/api/v1/trips/${trip.id}/participants`, owner(), {
          contactId: contact.id,
          role: 'member',
          category: 'business',
        });
        expect(added.status).toBe(201);
        expect(await getInvitation(trip.id, invitationId)).toMatchObject({
          status: 'accepted',
          participantId: (added.body as ParticipantBody).id,
        });
        // Staff add people without telling them; the trip ahead plans their departure reminders.
        expect(await messagesOf({ contactId: contact.id, kind: 'invitation' })).toMatchObject([
          { kind: 'invitation', status: 'cancelled' },
        ]);
        expect(
          (await messagesOf({ contactId: contact.id })).map((item) => [item.kind, item.status]),
        ).toEqual([
          ['departure_reminder', 'scheduled'],
          ['departure_reminder', 'scheduled'],
          ['invitation', 'cancelled'],
        ]);
      } finally {
        await t.startWorker();
      }
      await sleep(SEVERAL_ROUNDS_MS);
      expect(mailsTo(contact.email)).toHaveLength(0);
    });
  });

  describe('expiry', () => {
    it('expires unanswered invitations when registration closes; their links stop working', async () => {
      const trip = await openTrip(t, agency);
      const contacts = await addContacts(t, agency, 2);
      const ids = await inviteAll(trip, contacts);
      const token = await invitationToken(contacts[0].email);
      expect((await publicInvitation(token)).status).toBe(200);

      await transitionTrip(t, agency, trip.id, 'registration_closed');

      const all = await list(trip.id);
      expect(all.items.map((item) => item.status)).toEqual(['expired', 'expired']);
      expect(
        (await list(trip.id, { status: 'expired' })).items.map((item) => item.id).sort(),
      ).toEqual([...ids].sort());
      expect((await list(trip.id, { status: 'pending' })).items).toEqual([]);
      expect((await getInvitation(trip.id, ids[0])).status).toBe('expired');
      expectProblem(await publicInvitation(token), 404, 'not_found');
      expectProblem(await register(token), 404, 'not_found');
      expectProblem(await action(trip.id, ids[0], 'resend'), 409, 'invitation_not_pending');
    });

    it('expires them when the registration deadline passes while the trip is still open', async () => {
      const trip = await openTrip(t, agency);
      const [contact] = await addContacts(t, agency, 1);
      const [id] = await inviteAll(trip, [contact]);
      const token = await invitationToken(contact.email);
      // The deadline passes (the clock cannot be moved, so the deadline is).
      await t.dataSource.query(
        `UPDATE trips SET registration_closes_at = now() - interval '1 minute' WHERE id = $1`,
        [trip.id],
      );

      expect((await getInvitation(trip.id, id)).status).toBe('expired');
      expect((await list(trip.id, { status: 'expired' })).items.map((item) => item.id)).toEqual([
        id,
      ]);
      expect((await list(trip.id, { status: 'pending' })).items).toEqual([]);
      expectProblem(await publicInvitation(token), 404, 'not_found');
      expectProblem(await decline(token), 404, 'not_found');
      expectProblem(await invite(trip.id, { contactIds: [contact.id] }), 409, 'trip_not_inviting');
    });
  });

  describe('rollback', () => {
    it('sends nothing when the transaction that wrote the invitations fails', async () => {
      const trip = await openTrip(t, agency);
      const contacts = await addContacts(t, agency, 3);
      const [control] = await addContacts(t, agency, 1);
      const refused = contacts[2].email;
      // Fires at COMMIT, after invitations, their emails and the audit event were written.
      await t.dataSource.query(
        `CREATE FUNCTION refuse_invitation() RETURNS trigger LANGUAGE plpgsql AS
         $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
      );
      await t.dataSource.query(
        `CREATE CONSTRAINT TRIGGER refuse_invitation AFTER INSERT ON invitations
           DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
           WHEN (NEW.email = '${refused}') EXECUTE FUNCTION refuse_invitation()`,
      );
      try {
        const failed = await invite(trip.id, { contactIds: contacts.map((contact) => contact.id) });
        expectProblem(failed, 500, 'internal_error');
        expect(failed.body.errorId).toEqual(expect.any(String));
        expect(JSON.stringify(failed.body)).not.toContain('refused by the test');
      } finally {
        await t.dataSource.query('DROP TRIGGER refuse_invitation ON invitations');
        await t.dataSource.query('DROP FUNCTION refuse_invitation()');
      }
      const [{ n: written }] = await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM notifications WHERE trip_id = $1',
        [trip.id],
      );
      expect(written).toBe(0);
      expect((await list(trip.id)).items).toEqual([]);

      // The relay keeps working: a later invitation on the same trip goes out.
      await inviteAll(trip, [control]);
      await invitationMail(control.email);
      await sleep(SEVERAL_ROUNDS_MS);
      for (const contact of contacts) expect(mailsTo(contact.email)).toHaveLength(0);
      expect(await messagesOf({ tripId: trip.id })).toMatchObject([
        { contactId: control.id, status: 'sent' },
      ]);
    });
  });

  describe('reminders', () => {
    /** Makes the trip's invitations look sent a week ago, before their reminder moment. */
    const backdate = (tripId: string) =>
      t.dataSource.query(
        `UPDATE invitations SET created_at = now() - interval '7 days', last_sent_at = now() - interval '7 days' WHERE trip_id = $1`,
        [tripId],
      );

    it('reminds unanswered invitees once, in their language, and nobody who answered', async () => {
      const trip = await openTrip(t, agency, {}, 2);
      const [waitingDe, waitingEn, registering, declining, revoked] = await addContacts(
        t,
        agency,
        5,
        { mixLanguages: true },
      );
      const ids = await inviteAll(trip, [waitingDe, waitingEn, registering, declining, revoked]);
      expect((await register(await invitationToken(registering.email))).status).toBe(201);
      expect((await decline(await invitationToken(declining.email))).status).toBe(200);
      expect((await action(trip.id, ids[4], 'revoke')).status).toBe(200);

      // Sent after the reminder moment (09:00 three days before closing): no reminder.
      await planner().planDue();
      expect(await messagesOf({ tripId: trip.id, kind: 'invitation_reminder' })).toEqual([]);

      await backdate(trip.id);
      await planner().planDue();
      const plannedAgain = await planner().planDue();
      const reminders = await messagesOf({ tripId: trip.id, kind: 'invitation_reminder' });
      expect(
        reminders
          .map(({ invitationId, locale, recipientEmail }) => ({
            invitationId,
            locale,
            recipientEmail,
          }))
          .sort((a, b) => a.recipientEmail.localeCompare(b.recipientEmail)),
      ).toEqual(
        [
          { invitationId: ids[0], locale: 'de', recipientEmail: waitingDe.email },
          { invitationId: ids[1], locale: 'en', recipientEmail: waitingEn.email },
        ].sort((a, b) => a.recipientEmail.localeCompare(b.recipientEmail)),
      );

      const german = await sink.waitFor(
        (mail) => recipient(mail) === waitingDe.email && /^Erinnerung/.test(mail.subject ?? ''),
      );
      expect(german.subject).toBe(`Erinnerung: Anmeldung zu „${trip.title}“ endet bald`);
      expect(linkToken(german, 'invitations')).toBe(await invitationToken(waitingDe.email));
      const english = await sink.waitFor(
        (mail) => recipient(mail) === waitingEn.email && /^Reminder/.test(mail.subject ?? ''),
      );
      expect(english.subject).toBe(`Reminder: registration for "${trip.title}" closes soon`);

      await planner().planDue();
      await sleep(SEVERAL_ROUNDS_MS);
      const isReminder = (mail: ParsedMail) => /^(Erinnerung|Reminder)/.test(mail.subject ?? '');
      expect(mailsTo(waitingDe.email).filter(isReminder)).toHaveLength(1);
      expect(mailsTo(waitingEn.email).filter(isReminder)).toHaveLength(1);
      for (const answered of [registering, declining, revoked]) {
        expect(mailsTo(answered.email).filter(isReminder)).toHaveLength(0);
      }
      // planDue says how many it planned: nothing the second time.
      expect(plannedAgain).toBe(0);
    });

    it('is due at 09:00 agency time (Europe/Berlin), three days before the closing date there', async () => {
      const berlinToday = berlinWallClock(new Date()).slice(0, 10);
      const closingDate = addDays(berlinToday, 2);
      // 00:30 in Berlin is still the day before in UTC: a UTC date would put the reminder a day early.
      const closesAt = berlinInstant(closingDate, '00:30');
      expect(berlinWallClock(closesAt)).toBe(`${closingDate} 00:30`);
      expect(closesAt.toISOString().slice(0, 10)).toBe(addDays(closingDate, -1));

      const trip = await openTrip(t, agency, { registrationClosesAt: closesAt.toISOString() });
      const [contact] = await addContacts(t, agency, 1);
      const [id] = await inviteAll(trip, [contact]);
      await backdate(trip.id);
      await planner().planDue();

      const reminderDate = addDays(closingDate, -REMINDER_DAYS);
      const [reminder] = await messagesOf({ tripId: trip.id, kind: 'invitation_reminder' });
      expect(reminder).toMatchObject({ invitationId: id, locale: 'de' });
      expect(reminder.dueAt).toBe(berlinInstant(reminderDate, '09:00').toISOString());
      expect(berlinWallClock(new Date(reminder.dueAt))).toBe(`${reminderDate} 09:00`);
    });
  });

  describe('access and idempotency', () => {
    let trip: OpenTrip;
    let invitationId: string;

    beforeAll(async () => {
      trip = await openTrip(t, agency);
      const [contact] = await addContacts(t, agency, 1);
      [invitationId] = await inviteAll(trip, [contact]);
    });

    it('lets a viewer read invitations but not invite, resend or revoke', async () => {
      const viewer = bearer((await addStaff(t, agency, 'viewer')).accessToken);
      const [contact] = await addContacts(t, agency, 1);
      expect((await list(trip.id, {}, viewer)).items.map((item) => item.id)).toEqual([
        invitationId,
      ]);
      expect((await call('get', `${tripPath(trip.id)}/${invitationId}`, viewer)).status).toBe(200);
      expectProblem(await invite(trip.id, { contactIds: [contact.id] }, viewer), 403, 'forbidden');
      expectProblem(await action(trip.id, invitationId, 'resend', viewer), 403, 'forbidden');
      expectProblem(await action(trip.id, invitationId, 'revoke', viewer), 403, 'forbidden');
      expect((await getInvitation(trip.id, invitationId)).status).toBe('pending');
      expect((await list(trip.id)).items).toHaveLength(1);
    });

    it('lets API keys list with participants:read and invite only with participants:write', async () => {
      const [contact] = await addContacts(t, agency, 1);
      const reader = { 'X-API-Key': (await addApiKey(t, agency, ['participants:read'])).key };
      const writer = { 'X-API-Key': (await addApiKey(t, agency, ['participants:write'])).key };
      const outsider = { 'X-API-Key': (await addApiKey(t, agency, ['trips:write'])).key };

      expect((await list(trip.id, {}, reader)).items).toHaveLength(1);
      expectProblem(await call('get', tripPath(trip.id), outsider), 403, 'forbidden');
      expectProblem(await invite(trip.id, { contactIds: [contact.id] }, reader), 403, 'forbidden');
      expectProblem(
        await invite(trip.id, { contactIds: [contact.id] }, outsider),
        403,
        'forbidden',
      );
      expectProblem(await action(trip.id, invitationId, 'revoke', reader), 403, 'forbidden');

      const response = await invite(trip.id, { contactIds: [contact.id] }, writer);
      expect(response.status).toBe(200);
      expect((response.body as InviteReportBody).invited).toBe(1);
      await invitationMail(contact.email);
    });

    it('replays the report for a repeated Idempotency-Key without sending twice', async () => {
      const contacts = await addContacts(t, agency, 2);
      const body = { contactIds: contacts.map((contact) => contact.id), message: 'Bis bald!' };
      const key = `invite-${randomUUID()}`;
      const first = await invite(trip.id, body).set('Idempotency-Key', key);
      expect(first.status).toBe(200);
      expect((first.body as InviteReportBody).invited).toBe(2);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const again = await invite(trip.id, body).set('Idempotency-Key', key);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);

      const reused = await invite(trip.id, { contactIds: [contacts[0].id] }).set(
        'Idempotency-Key',
        key,
      );
      expectProblem(reused, 422, 'idempotency_key_reused');

      for (const contact of contacts) await invitationMail(contact.email);
      await sleep(SEVERAL_ROUNDS_MS);
      for (const contact of contacts) {
        expect(invitationMailsTo(contact.email)).toHaveLength(1);
        expect(invitationMailsTo(contact.email)[0].text).toContain('Bis bald!');
      }
      const ours = (await list(trip.id)).items.filter((item) =>
        body.contactIds.includes(item.contactId),
      );
      expect(ours.map((item) => item.sendCount)).toEqual([1, 1]);
    });
  });
});
