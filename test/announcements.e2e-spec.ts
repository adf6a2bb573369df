import type { ParsedMail } from 'mailparser';
import { expectProblem, type AuditEventBody, type PageBody } from './support/api.js';
import {
  addParticipant,
  addStation,
  createContact,
  createMeeting,
  createTrip,
  tag,
  tripBody,
  type ParticipantBody,
  type StationBody,
  type TripBody,
} from './support/factories.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { eventually, inDays, recipient, startWithSink } from './support/messaging.js';
import type { SmtpSink } from './support/smtp-sink.js';
import type { TestApp } from './support/test-app.js';

interface AnnouncementBody {
  id: string;
  tripId: string;
  subject: Record<string, string>;
  body: Record<string, string>;
  audience: Record<string, unknown>;
  sendAt: string;
  status: string;
  recipients: number;
  delivery: { sent: number; failed: number; pending: number; cancelled: number };
  createdBy: string | null;
  withdrawnAt: string | null;
}

interface LoggedMessage {
  kind: string;
  status: string;
  locale: string;
  contactId: string;
  recipientEmail: string;
  dueAt: string;
  subject: string | null;
  lastError: string | null;
  about: { type: string; id: string };
}

const BRIEFING = {
  subject: { de: 'Treffpunkt am Flughafen', en: 'Meeting point at the airport' },
  body: {
    de: 'Wir treffen uns um **06:30** am Schalter 12.\n\n- Pass\n- Visum\n\n<script>alert(1)</script> [Karte](https://maps.example.org/ber)',
    en: 'We meet at **06:30** at desk 12.\n\n- Passport\n- Visa\n\n<script>alert(1)</script> [Map](https://maps.example.org/ber)',
  },
};

/**
 * Announcements (issue 17): a message from staff to part of the delegation,
 * through the outbox and a real SMTP server, each recipient reading their
 * language; scheduled, withdrawn, and refused with a clear problem when it
 * makes no sense.
 */
describe('announcements', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    ({ t, sink } = await startWithSink());
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    auth = bearer(desk.owner.accessToken);
  });

  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  /** A trip ahead with one station, and people on it as `fields` say (confirmed unless cancelled). */
  async function delegation(
    people: { name: string; language: 'de' | 'en'; fields?: Record<string, unknown> }[],
  ): Promise<{ trip: TripBody; station: StationBody; by: Record<string, ParticipantBody> }> {
    const trip = await createTrip(
      t,
      desk,
      tripBody({ startDate: inDays(40), endDate: inDays(45), title: `Almaty ${tag()}` }),
    );
    const station = await addStation(t, desk, trip.id, {
      city: 'Almaty',
      country: 'KZ',
      timezone: 'Asia/Almaty',
      arrivalDate: inDays(40),
      departureDate: inDays(45),
    });
    const by: Record<string, ParticipantBody> = {};
    for (const person of people) {
      const contact = await createContact(t, desk, {
        firstName: person.name,
        lastName: 'Muster',
        email: `${person.name.toLowerCase()}.${tag()}@example.org`,
        preferredLanguage: person.language,
      });
      by[person.name] = await addParticipant(t, desk, trip.id, {
        contactId: contact.id,
        ...person.fields,
      });
    }
    return { trip, station, by };
  }

  const announce = (tripId: string, body: object) =>
    t.http().post(`/api/v1/trips/${tripId}/announcements`).set(auth).send(body);

  const mailsAbout = (subjects: string[]) =>
    sink.messages.filter((mail) => subjects.includes(mail.subject ?? ''));

  async function messagesOf(announcementId: string): Promise<LoggedMessage[]> {
    const response = await t
      .http()
      .get('/api/v1/notifications')
      .query({ aboutType: 'announcement', aboutId: announcementId })
      .set(auth)
      .expect(200);
    return (response.body as PageBody<LoggedMessage>).items;
  }

  async function announcement(tripId: string, id: string): Promise<AnnouncementBody> {
    const response = await t
      .http()
      .get(`/api/v1/trips/${tripId}/announcements/${id}`)
      .set(auth)
      .expect(200);
    return response.body as AnnouncementBody;
  }

  async function cancelParticipation(participant: ParticipantBody): Promise<void> {
    await t
      .http()
      .post(`/api/v1/trips/${participant.tripId}/participants/${participant.id}/transitions`)
      .set(auth)
      .send({ to: 'cancelled' })
      .expect(200);
  }

  it('reaches exactly the filtered audience, each in their language, with Markdown as safe HTML', async () => {
    const { trip, by } = await delegation([
      { name: 'Anke', language: 'de', fields: { role: 'member', category: 'business' } },
      { name: 'Brian', language: 'en', fields: { role: 'delegation_lead', category: 'science' } },
      { name: 'Carla', language: 'de', fields: { role: 'press', category: 'business' } },
      { name: 'Dirk', language: 'de', fields: { role: 'member', category: 'politics' } },
      { name: 'Erik', language: 'en', fields: { role: 'member', category: 'business' } },
    ]);
    await cancelParticipation(by.Erik);
    const subjects = [`${BRIEFING.subject.de} ${tag()}`, `${BRIEFING.subject.en} ${tag()}`];

    const response = await announce(trip.id, {
      subject: { de: subjects[0], en: subjects[1] },
      body: BRIEFING.body,
      audience: {
        roles: ['member', 'delegation_lead'],
        categories: ['business', 'science'],
        statuses: ['confirmed'],
      },
    });
    expect(response.status).toBe(201);
    const created = response.body as AnnouncementBody;
    expect(response.headers.location).toBe(`/api/v1/trips/${trip.id}/announcements/${created.id}`);
    expect(created).toMatchObject({
      recipients: 2,
      audience: {
        statuses: ['confirmed'],
        roles: ['member', 'delegation_lead'],
        categories: ['business', 'science'],
        stationId: null,
        participantIds: null,
      },
      createdBy: desk.owner.id,
      withdrawnAt: null,
    });

    await eventually(() => mailsAbout(subjects).length === 2, 20_000, 'both messages sent');
    const mails = mailsAbout(subjects);
    const to = (name: string) =>
      mails.find((mail) => recipient(mail).startsWith(`${name.toLowerCase()}.`)) as ParsedMail;
    expect(mails.map((mail) => recipient(mail).split('.')[0]).sort()).toEqual(['anke', 'brian']);
    expect(to('Anke').subject).toBe(subjects[0]);
    expect(to('Brian').subject).toBe(subjects[1]);
    expect(to('Anke').text).toContain('Wir treffen uns um **06:30** am Schalter 12.');
    expect(to('Anke').text).toContain(trip.title);
    const html = String(to('Brian').html);
    expect(html).toContain('<strong>06:30</strong>');
    expect(html).toContain('<li>Passport</li>');
    expect(html).toContain('<a href="https://maps.example.org/ber">Map</a>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<html lang="en">');

    await eventually(
      async () => (await announcement(trip.id, created.id)).status === 'sent',
      10_000,
      'the announcement to read as sent',
    );
    expect((await announcement(trip.id, created.id)).delivery).toEqual({
      sent: 2,
      failed: 0,
      pending: 0,
      cancelled: 0,
    });
    const logged = await messagesOf(created.id);
    expect(
      logged.map((message) => [message.contactId, message.locale, message.status]).sort(),
    ).toEqual(
      [
        [by.Anke.contactId, 'de', 'sent'],
        [by.Brian.contactId, 'en', 'sent'],
      ].sort(),
    );
    expect(logged.every((message) => message.kind === 'announcement')).toBe(true);

    const list = await t.http().get(`/api/v1/trips/${trip.id}/announcements`).set(auth).expect(200);
    expect((list.body as PageBody<AnnouncementBody>).items.map((item) => item.id)).toEqual([
      created.id,
    ]);

    const audit = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ entityType: 'announcement', entityId: created.id })
      .set(auth)
      .expect(200);
    expect((audit.body as PageBody<AuditEventBody>).items.map((event) => event.action)).toEqual([
      'announcement.created',
    ]);
  });

  it('written in one language, it reaches everyone in that one; named participants and a station narrow the audience', async () => {
    const { trip, station, by } = await delegation([
      { name: 'Frieda', language: 'en' },
      { name: 'Gero', language: 'de' },
      { name: 'Hanna', language: 'en' },
    ]);
    await createMeeting(t, desk, trip.id, station.id, {
      title: 'Akimat',
      startsAt: `${inDays(41)}T10:00`,
      endsAt: `${inDays(41)}T11:00`,
      attendeeIds: [by.Frieda.id, by.Gero.id],
    });
    const subject = `Nur auf Deutsch ${tag()}`;
    const response = await announce(trip.id, {
      subject: { de: subject },
      body: { de: 'Bitte Visum mitbringen.' },
      audience: { stationId: station.id, participantIds: [by.Frieda.id, by.Hanna.id] },
    });
    expect(response.status).toBe(201);
    const created = response.body as AnnouncementBody;
    // Hanna is named but attends nothing in Almaty; Gero attends but is not named.
    expect(created.recipients).toBe(1);
    expect(created.subject).toEqual({ de: subject });

    await eventually(() => mailsAbout([subject]).length === 1, 20_000, 'the message sent');
    const [mail] = mailsAbout([subject]);
    expect(recipient(mail)).toMatch(/^frieda\./);
    expect(String(mail.html)).toContain('<html lang="de">');
    expect((await messagesOf(created.id)).map((message) => message.locale)).toEqual(['de']);
  });

  it('scheduled for later: due at sendAt, not sent to someone who left the audience meanwhile', async () => {
    const { trip, by } = await delegation([
      { name: 'Ilse', language: 'de' },
      { name: 'Jonas', language: 'de' },
    ]);
    const subject = `Programmänderung ${tag()}`;
    const sendAt = new Date(Date.now() + 4_000);
    const response = await announce(trip.id, {
      subject: { de: subject },
      body: { de: 'Der Empfang beginnt eine Stunde später.' },
      sendAt: sendAt.toISOString(),
    });
    expect(response.status).toBe(201);
    const created = response.body as AnnouncementBody;
    expect(created).toMatchObject({ status: 'scheduled', recipients: 2 });
    expect(created.sendAt).toBe(sendAt.toISOString());
    expect((await messagesOf(created.id)).map((message) => message.dueAt)).toEqual([
      sendAt.toISOString(),
      sendAt.toISOString(),
    ]);
    expect(mailsAbout([subject])).toEqual([]);

    await cancelParticipation(by.Jonas);
    await eventually(
      async () => (await announcement(trip.id, created.id)).delivery.pending === 0,
      20_000,
      'both messages settled',
    );
    expect(mailsAbout([subject]).map((mail) => recipient(mail).split('.')[0])).toEqual(['ilse']);
    const jonas = (await messagesOf(created.id)).find(
      (message) => message.contactId === by.Jonas.contactId,
    );
    expect(jonas).toMatchObject({
      status: 'cancelled',
      lastError: 'Not sent: the recipient left the audience (registration cancelled).',
    });
    expect((await announcement(trip.id, created.id)).delivery).toEqual({
      sent: 1,
      failed: 0,
      pending: 0,
      cancelled: 1,
    });
  });

  it('withdrawn before it goes out, nothing is sent; one that went out cannot be withdrawn', async () => {
    const { trip } = await delegation([{ name: 'Karl', language: 'de' }]);
    const later = await announce(trip.id, {
      subject: { de: `Später ${tag()}` },
      body: { de: 'Text' },
      sendAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const id = (later.body as AnnouncementBody).id;
    const withdraw = () =>
      t.http().post(`/api/v1/trips/${trip.id}/announcements/${id}/withdraw`).set(auth);
    const withdrawn = await withdraw();
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      status: 'withdrawn',
      delivery: { sent: 0, failed: 0, pending: 0, cancelled: 1 },
    });
    expect((withdrawn.body as AnnouncementBody).withdrawnAt).not.toBeNull();
    // Again: nothing changes.
    expect((await withdraw()).body).toEqual(withdrawn.body);

    const subject = `Sofort ${tag()}`;
    const now = (await announce(trip.id, { subject: { de: subject }, body: { de: 'Text' } }))
      .body as AnnouncementBody;
    await eventually(() => mailsAbout([subject]).length === 1, 20_000, 'the message sent');
    await eventually(
      async () => (await announcement(trip.id, now.id)).status === 'sent',
      10_000,
      'sent status',
    );
    expectProblem(
      await t.http().post(`/api/v1/trips/${trip.id}/announcements/${now.id}/withdraw`).set(auth),
      409,
      'announcement_sent',
    );
  });

  it('refuses what makes no sense with a clear problem, and writes nothing', async () => {
    const { trip, by } = await delegation([{ name: 'Lena', language: 'de' }]);
    const other = await delegation([{ name: 'Mads', language: 'en' }]);
    const texts = { subject: { de: 'Betreff' }, body: { de: 'Text' } };
    const fieldsOf = (response: { body: unknown }) =>
      (response.body as { errors: { field: string }[] }).errors.map((error) => error.field).sort();

    const mixed = await announce(trip.id, { subject: { de: 'Betreff' }, body: { en: 'Text' } });
    expectProblem(mixed, 400, 'validation_failed');
    expect(fieldsOf(mixed)).toEqual(['body.de', 'subject.en']);

    expectProblem(await announce(trip.id, { subject: {}, body: {} }), 400, 'validation_failed');
    expectProblem(
      await announce(trip.id, { subject: 'Betreff', body: 'Text' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await announce(trip.id, { ...texts, subject: { de: 'x'.repeat(201) } }),
      400,
      'validation_failed',
    );
    const past = await announce(trip.id, { ...texts, sendAt: '2020-01-01T00:00:00Z' });
    expectProblem(past, 400, 'validation_failed');
    expect(fieldsOf(past)).toEqual(['sendAt']);
    expectProblem(
      await announce(trip.id, { ...texts, audience: { statuses: ['happy'] } }),
      400,
      'validation_failed',
    );
    const strangers = await announce(trip.id, {
      ...texts,
      audience: { stationId: other.station.id, participantIds: [other.by.Mads.id] },
    });
    expectProblem(strangers, 400, 'validation_failed');
    expect(fieldsOf(strangers)).toEqual(['audience.participantIds', 'audience.stationId']);
    expectProblem(
      await announce(trip.id, { ...texts, audience: { roles: ['press'] } }),
      422,
      'announcement_without_recipients',
    );
    expectProblem(await announce('00000000-0000-4000-8000-000000000000', texts), 404, 'not_found');
    // Another agency's trip is no trip.
    const rival = await signUpAgency(t, { tenantName: 'Rival GmbH' });
    expectProblem(
      await t
        .http()
        .post(`/api/v1/trips/${trip.id}/announcements`)
        .set(bearer(rival.owner.accessToken))
        .send(texts),
      404,
      'not_found',
    );

    const list = await t.http().get(`/api/v1/trips/${trip.id}/announcements`).set(auth).expect(200);
    expect((list.body as PageBody<AnnouncementBody>).items).toEqual([]);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notifications WHERE contact_id = $1 AND kind = 'announcement'`,
      [by.Lena.contactId],
    );
    expect(n).toBe(0);
  });
});
