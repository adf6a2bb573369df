import { jest } from '@jest/globals';
import { DateTime } from 'luxon';
import { Clock } from '../src/common/clock.js';
import { expectProblem, type PageBody } from './support/api.js';
import { readCalendar } from './support/calendar.js';
import {
  addParticipant,
  addStation,
  createContact,
  createMeeting,
  createOrganisation,
  createTrip,
  moveMeeting,
  PASSPORT,
  recordPassport,
  tripBody,
  type MeetingBody,
  type ParticipantBody,
  type StationBody,
  type TripBody,
} from './support/factories.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { eventually, recipient, startWithSink } from './support/messaging.js';
import type { SmtpSink } from './support/smtp-sink.js';
import type { TestApp } from './support/test-app.js';

interface ReminderBody {
  id: string;
  kind: string;
  subject: { type: string; id: string };
  contactId: string | null;
  recipientEmail: string;
  dueAt: string;
  dueAtAgency: { dateTime: string; timeZone: string; utcOffset: string };
  status: string;
  sentAt: string | null;
  lastError: string | null;
}

/**
 * Reminders (issue 17): planned in the outbox in the transaction of the
 * change, following the plan as it moves. Meetings 24 hours ahead, sent in
 * the station's local time with the meeting attached; departures 7 and 1
 * days ahead at 09:00 in the agency's timezone.
 */
describe('reminders', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    ({ t, sink } = await startWithSink());
    // Planning is checked at moments in 2024, whose reminders are long due: no worker sends
    // them until the test that sends (it starts one).
    await t.stopWorker();
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    auth = bearer(desk.owner.accessToken);
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  /** The product's "now", as planning sees it. */
  const atMoment = (iso: string) =>
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(iso));

  async function reminders(tripId: string, query: Record<string, string> = {}) {
    const response = await t.http().get(`/api/v1/trips/${tripId}/reminders`).query(query).set(auth);
    expect(response.status).toBe(200);
    return (response.body as PageBody<ReminderBody>).items;
  }

  const meetingReminders = (tripId: string, query: Record<string, string> = {}) =>
    reminders(tripId, { kind: 'meeting_reminder', ...query });

  const outline = (items: ReminderBody[]) =>
    items.map((item) => [item.subject.id, item.contactId, item.dueAt, item.status]);

  /** The 2024 trip over Almaty's move to UTC+5, with two confirmed participants. */
  async function almaty2024(): Promise<{
    trip: TripBody;
    almaty: StationBody;
    jana: ParticipantBody;
    uwe: ParticipantBody;
  }> {
    const trip = await createTrip(
      t,
      desk,
      tripBody({ startDate: '2024-02-27', endDate: '2024-03-03' }),
    );
    const almaty = await addStation(t, desk, trip.id, {
      city: 'Almaty',
      country: 'KZ',
      timezone: 'Asia/Almaty',
      arrivalDate: '2024-02-27',
      departureDate: '2024-03-03',
    });
    const [jana, uwe] = await Promise.all(
      [
        ['Jana', 'Vogt'],
        ['Uwe', 'Kranz'],
      ].map(async ([firstName, lastName]) => {
        const contact = await createContact(t, desk, {
          firstName,
          lastName,
          email: `${firstName.toLowerCase()}.${Date.now()}@example.org`,
        });
        return addParticipant(t, desk, trip.id, { contactId: contact.id });
      }),
    );
    return { trip, almaty, jana, uwe };
  }

  /** A trip under way now in Almaty (since yesterday, two days more), with one confirmed participant. */
  async function underWayInAlmaty(firstName: string, lastName: string) {
    const now = DateTime.now().setZone('Asia/Almaty');
    const dates = {
      startDate: now.minus({ days: 1 }).toISODate()!,
      endDate: now.plus({ days: 2 }).toISODate()!,
    };
    const trip = await createTrip(t, desk, tripBody(dates));
    const almaty = await addStation(t, desk, trip.id, {
      city: 'Almaty',
      country: 'KZ',
      timezone: 'Asia/Almaty',
      arrivalDate: dates.startDate,
      departureDate: dates.endDate,
    });
    const email = `${firstName.toLowerCase()}.${Date.now()}@example.org`;
    const contact = await createContact(t, desk, { firstName, lastName, email });
    const participant = await addParticipant(t, desk, trip.id, { contactId: contact.id });
    return { now, trip, almaty, email, participant };
  }

  const patchMeeting = (meeting: MeetingBody, body: object) =>
    t.http().patch(`/api/v1/trips/${meeting.tripId}/meetings/${meeting.id}`).set(auth).send(body);

  it('a meeting at 10:00 in Almaty on 1 March 2024 is reminded of at 2024-02-29T05:00Z, shown in the agency’s zone too', async () => {
    atMoment('2024-02-20T08:00:00Z');
    const { trip, almaty, jana } = await almaty2024();
    const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
      title: 'Ministry of Trade',
      startsAt: '2024-03-01T10:00',
      endsAt: '2024-03-01T11:00',
      attendeeIds: [jana.id],
    });
    expect(meeting.startsAt).toBe('2024-03-01T05:00:00.000Z');
    const [reminder, ...others] = await meetingReminders(trip.id);
    expect(others).toEqual([]);
    expect(reminder).toMatchObject({
      kind: 'meeting_reminder',
      subject: { type: 'meeting', id: meeting.id },
      contactId: jana.contactId,
      dueAt: '2024-02-29T05:00:00.000Z',
      // The agency is in Europe/Berlin (UTC+1 in February).
      dueAtAgency: {
        dateTime: '2024-02-29T06:00:00',
        timeZone: 'Europe/Berlin',
        utcOffset: '+01:00',
      },
      status: 'scheduled',
    });
  });

  it('moving the meeting moves its reminder: the old one is cancelled, the new one due 24 h before the new start', async () => {
    atMoment('2024-02-20T08:00:00Z');
    const { trip, almaty, jana } = await almaty2024();
    const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
      startsAt: '2024-03-01T10:00',
      endsAt: '2024-03-01T11:00',
      attendeeIds: [jana.id],
    });
    expect(
      (await patchMeeting(meeting, { startsAt: '2024-03-01T14:00', endsAt: '2024-03-01T15:00' }))
        .status,
    ).toBe(200);
    const all = await meetingReminders(trip.id);
    expect(outline(all)).toEqual([
      [meeting.id, jana.contactId, '2024-02-29T05:00:00.000Z', 'cancelled'],
      [meeting.id, jana.contactId, '2024-02-29T09:00:00.000Z', 'scheduled'],
    ]);
    expect(all[0].lastError).toBe('Not sent: the plan changed.');
    // Filters.
    expect(outline(await meetingReminders(trip.id, { status: 'scheduled' }))).toEqual([
      [meeting.id, jana.contactId, '2024-02-29T09:00:00.000Z', 'scheduled'],
    ]);
    expect(await reminders(trip.id, { kind: 'invitation_reminder' })).toEqual([]);
  });

  it('removing an attendee cancels their reminder, adding one plans it (again); cancelling the meeting cancels all', async () => {
    atMoment('2024-02-20T08:00:00Z');
    const { trip, almaty, jana, uwe } = await almaty2024();
    const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
      startsAt: '2024-03-02T09:00',
      endsAt: '2024-03-02T10:00',
      attendeeIds: [jana.id],
    });
    const scheduledFor = async () =>
      (await meetingReminders(trip.id, { status: 'scheduled' }))
        .map((item) => item.contactId)
        .sort();

    expect((await patchMeeting(meeting, { attendeeIds: [uwe.id] })).status).toBe(200);
    expect(await scheduledFor()).toEqual([uwe.contactId]);
    expect((await patchMeeting(meeting, { attendeeIds: [uwe.id, jana.id] })).status).toBe(200);
    expect(await scheduledFor()).toEqual([jana.contactId, uwe.contactId].sort());

    await moveMeeting(t, desk, meeting, ['cancelled']);
    expect(await scheduledFor()).toEqual([]);
    expect((await meetingReminders(trip.id)).every((item) => item.status === 'cancelled')).toBe(
      true,
    );
  });

  it('a participant who cancels loses their reminders; a meeting for the whole delegation reminds every confirmed participant', async () => {
    atMoment('2024-02-20T08:00:00Z');
    const { trip, almaty, jana, uwe } = await almaty2024();
    const reception = await createMeeting(t, desk, trip.id, almaty.id, {
      title: 'Embassy reception',
      kind: 'reception',
      startsAt: '2024-03-01T19:00',
      endsAt: '2024-03-01T21:00',
      visibility: 'delegation',
    });
    const scheduled = async () =>
      (await meetingReminders(trip.id, { status: 'scheduled' }))
        .map((item) => item.contactId)
        .sort();
    expect(await scheduled()).toEqual([jana.contactId, uwe.contactId].sort());

    await t
      .http()
      .post(`/api/v1/trips/${trip.id}/participants/${uwe.id}/transitions`)
      .set(auth)
      .send({ to: 'cancelled' })
      .expect(200);
    expect(await scheduled()).toEqual([jana.contactId]);
    expect(reception.visibility).toBe('delegation');
  });

  it('nothing is planned for a meeting that has begun; one within 24 hours is due at once', async () => {
    atMoment('2024-03-01T04:00:00Z');
    const { trip, almaty, jana } = await almaty2024();
    await createMeeting(t, desk, trip.id, almaty.id, {
      startsAt: '2024-03-01T08:00',
      endsAt: '2024-03-01T09:00',
      attendeeIds: [jana.id],
    });
    const soon = await createMeeting(t, desk, trip.id, almaty.id, {
      startsAt: '2024-03-01T12:00',
      endsAt: '2024-03-01T13:00',
      attendeeIds: [jana.id],
    });
    expect(outline(await meetingReminders(trip.id))).toEqual([
      [soon.id, jana.contactId, '2024-03-01T04:00:00.000Z', 'scheduled'],
    ]);
  });

  it('the agency’s hours ahead are a setting: changing it moves every planned meeting reminder', async () => {
    atMoment('2024-02-20T08:00:00Z');
    const { trip, almaty, jana } = await almaty2024();
    const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
      startsAt: '2024-03-01T10:00',
      endsAt: '2024-03-01T11:00',
      attendeeIds: [jana.id],
    });
    await t.http().patch('/api/v1/tenant').set(auth).send({ meetingReminderHours: 2 }).expect(200);
    try {
      expect(outline(await meetingReminders(trip.id))).toEqual([
        [meeting.id, jana.contactId, '2024-03-01T03:00:00.000Z', 'scheduled'],
      ]);
    } finally {
      await t
        .http()
        .patch('/api/v1/tenant')
        .set(auth)
        .send({ meetingReminderHours: 24 })
        .expect(200);
    }
    expect(outline(await meetingReminders(trip.id))).toEqual([
      [meeting.id, jana.contactId, '2024-02-29T05:00:00.000Z', 'scheduled'],
    ]);
  });

  it('another agency’s trip is 404', async () => {
    const { trip } = await almaty2024();
    const rival = await signUpAgency(t, { tenantName: 'Bayern International' });
    expectProblem(
      await t.http().get(`/api/v1/trips/${trip.id}/reminders`).set(bearer(rival.owner.accessToken)),
      404,
      'not_found',
    );
  });

  it('is sent in the station’s local time with its zone named, the meeting attached as the feed has it', async () => {
    await t.startWorker();
    // A trip under way in Almaty, with a meeting three hours from now (real time).
    const {
      now,
      trip,
      almaty,
      email,
      participant: aida,
    } = await underWayInAlmaty('Aida', 'Nurlanova');
    const start = now.plus({ hours: 3 }).startOf('minute');
    const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
      title: 'ATAMEKEN chamber talks',
      startsAt: start.toFormat("yyyy-MM-dd'T'HH:mm"),
      endsAt: start.plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"),
      location: { name: 'ATAMEKEN', address: 'Panfilov St 110' },
      attendeeIds: [aida.id],
    });

    const mail = await sink.waitFor(
      (candidate) =>
        recipient(candidate) === email && (candidate.subject ?? '').includes('ATAMEKEN'),
      20_000,
    );
    const localTime = start.toFormat('HH:mm');
    expect(mail.text).toContain(localTime);
    expect(mail.text).toContain('(Asia/Almaty)');
    expect(mail.text).toContain('ATAMEKEN, Panfilov St 110, Almaty');
    const ics = mail.attachments.find((attachment) => attachment.filename === 'meeting.ics');
    expect(ics).toBeDefined();
    const [event] = readCalendar(ics!.content.toString('utf8'));
    expect(event).toMatchObject({
      uid: `${meeting.id}@delegation-desk`,
      sequence: meeting.version - 1,
      tzid: 'Asia/Almaty',
      localStart: start.toFormat("yyyy-MM-dd'T'HH:mm:ss"),
    });
    await eventually(
      async () =>
        (await meetingReminders(trip.id)).some(
          (item) => item.status === 'sent' && item.sentAt !== null,
        ),
      10_000,
      'the reminder to be marked sent',
    );
  });

  describe('departure', () => {
    const tenantSettings = (body: object) =>
      t.http().patch('/api/v1/tenant/settings').set(auth).send(body);

    /** A May 2027 trip (agency in Europe/Berlin, UTC+2 then) with one confirmed participant. */
    async function may2027() {
      const trip = await createTrip(
        t,
        desk,
        tripBody({ startDate: '2027-05-10', endDate: '2027-05-20' }),
      );
      const contact = await createContact(t, desk, {
        firstName: 'Jana',
        lastName: 'Vogt',
        email: `jana.${Date.now()}@example.org`,
      });
      const jana = await addParticipant(t, desk, trip.id, { contactId: contact.id });
      expect(jana.status).toBe('confirmed');
      return { trip, jana };
    }
    const departures = async (tripId: string) =>
      outline(await reminders(tripId, { kind: 'departure_reminder' })).map(
        ([, contactId, dueAt, status]) => [contactId, dueAt, status],
      );

    it('a confirmed participant is reminded 7 and 1 days before the start at 09:00 in the agency’s zone; they move with the start', async () => {
      atMoment('2027-04-01T08:00:00Z');
      const { trip, jana } = await may2027();
      expect(await departures(trip.id)).toEqual([
        [jana.contactId, '2027-05-03T07:00:00.000Z', 'scheduled'],
        [jana.contactId, '2027-05-09T07:00:00.000Z', 'scheduled'],
      ]);
      await t
        .http()
        .patch(`/api/v1/trips/${trip.id}`)
        .set(auth)
        .send({ startDate: '2027-05-12' })
        .expect(200);
      expect(await departures(trip.id)).toEqual([
        [jana.contactId, '2027-05-03T07:00:00.000Z', 'cancelled'],
        [jana.contactId, '2027-05-05T07:00:00.000Z', 'scheduled'],
        [jana.contactId, '2027-05-09T07:00:00.000Z', 'cancelled'],
        [jana.contactId, '2027-05-11T07:00:00.000Z', 'scheduled'],
      ]);
    });

    it('one whose moment has passed is not sent late; a cancelled participation or trip cancels them', async () => {
      atMoment('2027-05-05T08:00:00Z');
      const { trip, jana } = await may2027();
      expect(await departures(trip.id)).toEqual([
        [jana.contactId, '2027-05-09T07:00:00.000Z', 'scheduled'],
      ]);
      await t
        .http()
        .post(`/api/v1/trips/${trip.id}/participants/${jana.id}/transitions`)
        .set(auth)
        .send({ to: 'cancelled' })
        .expect(200);
      expect(await departures(trip.id)).toEqual([
        [jana.contactId, '2027-05-09T07:00:00.000Z', 'cancelled'],
      ]);

      const other = await may2027();
      await t
        .http()
        .post(`/api/v1/trips/${other.trip.id}/transitions`)
        .set(auth)
        .send({ to: 'cancelled' })
        .expect(200);
      expect((await departures(other.trip.id)).map(([, , status]) => status)).toEqual([
        'cancelled',
      ]);
    });

    it('the agency’s days and hour are settings (validated); changing them re-plans the trips ahead', async () => {
      atMoment('2027-04-01T08:00:00Z');
      const { trip, jana } = await may2027();
      for (const refused of [
        { departureReminderDays: [0] },
        { departureReminderDays: [7, 7] },
        { departureReminderDays: [1, 2, 3, 4] },
        { departureReminderHour: 24 },
        { meetingReminderHours: 0 },
      ]) {
        expectProblem(await tenantSettings(refused), 400, 'validation_failed');
      }
      const changed = await tenantSettings({
        departureReminderDays: [3],
        departureReminderHour: 18,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ departureReminderDays: [3], departureReminderHour: 18 });
      const read = await t.http().get('/api/v1/tenant/settings').set(auth).expect(200);
      expect(read.body).toEqual(changed.body);
      expect(Object.keys(read.body as object).sort()).toEqual([
        'departureReminderDays',
        'departureReminderHour',
        'followUpOverdueDays',
        'followUpReminderHour',
        'meetingReminderHours',
        'travelDocumentReminderDays',
        'version',
      ]);
      expect(read.headers.etag).toBe(`"${(changed.body as { version: number }).version}"`);
      // Only reminder settings here: the agency's name is changed at PATCH /tenant.
      expectProblem(await tenantSettings({ name: 'Other' }), 400, 'validation_failed');
      try {
        expect(
          (await departures(trip.id)).filter(([, , status]) => status === 'scheduled'),
        ).toEqual([[jana.contactId, '2027-05-07T16:00:00.000Z', 'scheduled']]);
      } finally {
        await tenantSettings({ departureReminderDays: [7, 1], departureReminderHour: 9 }).expect(
          200,
        );
      }
    });
    it('another send hour moves the planned reminders to it on the same days', async () => {
      atMoment('2027-04-01T08:00:00Z');
      const { trip, jana } = await may2027();
      await tenantSettings({ departureReminderHour: 18 }).expect(200);
      try {
        expect(await departures(trip.id)).toEqual([
          [jana.contactId, '2027-05-03T16:00:00.000Z', 'scheduled'],
          [jana.contactId, '2027-05-09T16:00:00.000Z', 'scheduled'],
        ]);
      } finally {
        await tenantSettings({ departureReminderHour: 9 }).expect(200);
      }
    });
  });

  describe('missing travel documents', () => {
    const documentReminders = async (tripId: string) =>
      outline(await reminders(tripId, { kind: 'travel_document_reminder' }))
        .filter(([, , , status]) => status === 'scheduled')
        .map(([, , dueAt]) => dueAt);

    it('a participant who needs a visa and has no passport on file is reminded 21, 14 and 7 days before; a passport stops them, one too short brings them back', async () => {
      atMoment('2027-04-01T08:00:00Z');
      const trip = await createTrip(
        t,
        desk,
        tripBody({ startDate: '2027-05-10', endDate: '2027-05-20' }),
      );
      const contact = await createContact(t, desk, {
        firstName: 'Aigerim',
        lastName: 'Sultanova',
        email: `aigerim.${Date.now()}@example.org`,
      });
      const traveller = await addParticipant(t, desk, trip.id, {
        contactId: contact.id,
        visaRequired: true,
      });
      const weekly = [
        '2027-04-19T07:00:00.000Z',
        '2027-04-26T07:00:00.000Z',
        '2027-05-03T07:00:00.000Z',
      ];
      expect(await documentReminders(trip.id)).toEqual(weekly);

      await recordPassport(t, desk, traveller);
      expect(await documentReminders(trip.id)).toEqual([]);

      // Expiring a month after the trip: short of the agency's six months' margin.
      await recordPassport(t, desk, traveller, { ...PASSPORT, expiresOn: '2027-06-20' });
      expect(await documentReminders(trip.id)).toEqual(weekly);

      await t
        .http()
        .patch(`/api/v1/trips/${trip.id}/participants/${traveller.id}`)
        .set(auth)
        .send({ visaRequired: false })
        .expect(200);
      expect(await documentReminders(trip.id)).toEqual([]);
    });
  });

  describe('agreement follow-ups', () => {
    const followUpReminders = async (followUpId: string) => {
      const response = await t
        .http()
        .get('/api/v1/notifications')
        .query({ kind: 'follow_up_reminder', limit: 50 })
        .set(auth);
      expect(response.status).toBe(200);
      return (
        response.body as PageBody<{
          about: { type: string; id: string } | null;
          userId: string | null;
          dueAt: string;
          status: string;
        }>
      ).items
        .filter((item) => item.about?.type === 'follow_up' && item.about.id === followUpId)
        .map((item) => {
          expect(item.userId).toBe(desk.owner.id);
          return item;
        })
        .map((item) => [item.dueAt, item.status])
        .sort();
    };

    async function followUp(dueOn: string) {
      const organisation = await createOrganisation(t, desk, {
        name: `Tashkent Textile Institute ${Date.now()}`,
        country: 'UZ',
      });
      const agreement = await t
        .http()
        .post('/api/v1/agreements')
        .set(auth)
        .send({
          title: 'Letter of intent on technical textiles',
          kind: 'letter_of_intent',
          category: 'academic',
          parties: [{ organisationId: organisation.id }],
        })
        .expect(201);
      const agreementId = (agreement.body as { id: string }).id;
      const created = await t
        .http()
        .post(`/api/v1/agreements/${agreementId}/follow-ups`)
        .set(auth)
        .send({ title: 'Send the draft curriculum', dueOn, ownerUserId: desk.owner.id })
        .expect(201);
      return { agreementId, followUp: created.body as { id: string; version: number } };
    }

    it('the owner is reminded on the due day at 08:00 and 7 days later, agency’s time; done cancels; moved is re-planned', async () => {
      atMoment('2027-04-01T08:00:00Z');
      const { agreementId, followUp: item } = await followUp('2027-05-10');
      expect(await followUpReminders(item.id)).toEqual([
        ['2027-05-10T06:00:00.000Z', 'scheduled'],
        ['2027-05-17T06:00:00.000Z', 'scheduled'],
      ]);
      const path = `/api/v1/agreements/${agreementId}/follow-ups/${item.id}`;
      await t.http().patch(path).set(auth).send({ dueOn: '2027-05-12' }).expect(200);
      expect(
        (await followUpReminders(item.id)).filter(([, status]) => status === 'scheduled'),
      ).toEqual([
        ['2027-05-12T06:00:00.000Z', 'scheduled'],
        ['2027-05-19T06:00:00.000Z', 'scheduled'],
      ]);
      await t.http().patch(path).set(auth).send({ done: true }).expect(200);
      expect(
        (await followUpReminders(item.id)).filter(([, status]) => status === 'scheduled'),
      ).toEqual([]);
    });

    it('is sent to the owner, saying what is due on which agreement', async () => {
      if (!t.worker) await t.startWorker();
      await t
        .http()
        .patch('/api/v1/tenant')
        .set(auth)
        .send({ followUpReminderHour: 0 })
        .expect(200);
      try {
        const today = DateTime.now().setZone('Europe/Berlin');
        // Planned yesterday, so today's 00:00 reminder is due now.
        atMoment(today.minus({ days: 1 }).toUTC().toISO()!);
        const { followUp: item } = await followUp(today.toISODate()!);
        const mail = await sink.waitFor(
          (candidate) =>
            recipient(candidate) === desk.owner.email &&
            (candidate.subject ?? '').includes('Send the draft curriculum'),
          20_000,
        );
        expect(mail.subject).toBe('Heute fällig: Send the draft curriculum');
        expect(mail.text).toContain('Letter of intent on technical textiles');
        expect(mail.text).toContain('> Send the draft curriculum');
        expect(await followUpReminders(item.id)).toEqual(
          expect.arrayContaining([[expect.any(String), 'sent']]),
        );
      } finally {
        await t
          .http()
          .patch('/api/v1/tenant')
          .set(auth)
          .send({ followUpReminderHour: 8 })
          .expect(200);
      }
    });
  });

  describe('delivery', () => {
    it('a worker stopped between two reminders and started again sends each exactly once', async () => {
      if (!t.worker) await t.startWorker();
      const {
        now,
        trip,
        almaty,
        email,
        participant: marat,
      } = await underWayInAlmaty('Marat', 'Akhmetov');
      const meetingAt = (hours: number, title: string) => {
        const start = now.plus({ hours }).startOf('minute');
        return createMeeting(t, desk, trip.id, almaty.id, {
          title,
          startsAt: start.toFormat("yyyy-MM-dd'T'HH:mm"),
          endsAt: start.plus({ minutes: 30 }).toFormat("yyyy-MM-dd'T'HH:mm"),
          attendeeIds: [marat.id],
        });
      };
      const mailsAbout = (title: string) =>
        sink.messages.filter(
          (mail) => recipient(mail) === email && (mail.subject ?? '').includes(title),
        ).length;

      // The first is due at once; the second is planned (by the clock) five seconds later.
      await meetingAt(3, 'Erster Termin');
      atMoment(new Date(Date.now() + 5_000).toISOString());
      await meetingAt(4, 'Zweiter Termin');
      jest.restoreAllMocks();

      await sink.waitFor((mail) => (mail.subject ?? '').includes('Erster Termin'), 20_000);
      await t.stopWorker();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(mailsAbout('Zweiter Termin')).toBe(0);
      await t.startWorker();
      await sink.waitFor((mail) => (mail.subject ?? '').includes('Zweiter Termin'), 20_000);
      // A few relay rounds more: nothing is sent again.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect([mailsAbout('Erster Termin'), mailsAbout('Zweiter Termin')]).toEqual([1, 1]);
    }, 60_000);
  });
});
