import { JobName } from '../src/queue/jobs.js';
import { Queues } from '../src/queue/queues.js';
import { TripCounts } from '../src/modules/participants/trip-counts.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import {
  addParticipant,
  createContact,
  createTrip,
  PASSPORT,
  recordPassport,
  tripBody,
  type ParticipantBody,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Figures {
  participantCounts: Record<string, number>;
  seatsLeft: number;
  readiness: {
    travelling: number;
    visaRequired: number;
    visasNotGranted: number;
    travelDocumentsMissing: number;
    passportExpiryWarnings: number;
  };
}

/**
 * The figures a trip shows (participants per status, seats left, travel
 * readiness) are kept as participants change, not counted on every read.
 * Whatever changes them — registrations racing for seats, transitions and
 * promotions, passports, the trip's dates, the agency's margin, erasure,
 * the scheduled purge — the kept figures equal a recount of the rows, and
 * the API shows them.
 */
describe('trip figures kept as participants change', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ worker: true });
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    auth = bearer(desk.owner.accessToken);
  });

  afterAll(() => t.close());

  /** What a recount of the rows finds that the kept figures do not say (nothing, when all is well). */
  const differences = () => t.app.get(TripCounts).differences(t.dataSource.manager);

  async function figures(tripId: string): Promise<Figures> {
    const response = await t.http().get(`/api/v1/trips/${tripId}`).set(auth).expect(200);
    const listed = await t.http().get('/api/v1/trips').query({ limit: 100 }).set(auth).expect(200);
    const inList = (listed.body as { items: ({ id: string } & Figures)[] }).items.find(
      (trip) => trip.id === tripId,
    );
    const { participantCounts, seatsLeft, readiness } = response.body as Figures;
    // The list shows the same figures as the trip itself.
    expect(inList).toMatchObject({ participantCounts, seatsLeft, readiness });
    return { participantCounts, seatsLeft, readiness };
  }

  const api = (method: 'post' | 'patch', path: string, body: object) =>
    t.http()[method](`/api/v1${path}`).set(auth).send(body);

  const move = (participant: ParticipantBody, to: string) =>
    api('post', `/trips/${participant.tripId}/participants/${participant.id}/transitions`, {
      to,
    }).expect(200);

  it('50 registrations racing for 10 seats: the figures say 10 confirmed and 40 waiting, as a recount does', async () => {
    const trip = await createTrip(t, desk, tripBody({ capacity: 10 }));
    const contacts = await Promise.all(Array.from({ length: 50 }, () => createContact(t, desk)));
    const answers = await Promise.all(
      contacts.map((contact) =>
        api('post', `/trips/${trip.id}/participants`, {
          contactId: contact.id,
          role: 'member',
          category: 'business',
          visaRequired: true,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));

    expect(await figures(trip.id)).toEqual({
      participantCounts: { confirmed: 10, waitlisted: 40 },
      seatsLeft: 0,
      readiness: {
        travelling: 10,
        visaRequired: 10,
        visasNotGranted: 10,
        travelDocumentsMissing: 10,
        passportExpiryWarnings: 0,
      },
    });
    expect(await differences()).toEqual([]);

    // Ten cancel at once: ten promotions, and the figures follow.
    const confirmed = answers
      .map((answer) => answer.body as ParticipantBody)
      .filter((participant) => participant.status === 'confirmed');
    await Promise.all(confirmed.map((participant) => move(participant, 'cancelled')));
    expect((await figures(trip.id)).participantCounts).toEqual({
      confirmed: 10,
      waitlisted: 30,
      cancelled: 10,
    });
    expect(await differences()).toEqual([]);
  });

  it('follows passports, visas, roles, capacity, the trip’s end, the agency’s margin and erasure', async () => {
    const trip = await createTrip(
      t,
      desk,
      tripBody({ startDate: '2031-05-04', endDate: '2031-06-12', capacity: 2 }),
    );
    const people: ParticipantBody[] = [];
    for (const lastName of ['Anders', 'Brandt', 'Conrad']) {
      people.push(
        await addParticipant(t, desk, trip.id, {
          contact: { firstName: 'Test', lastName },
          visaRequired: true,
        }),
      );
    }
    const [first, second, third] = people;
    expect((await figures(trip.id)).participantCounts).toEqual({ confirmed: 2, waitlisted: 1 });

    // A passport expiring five and a half months after the trip: inside the six-month margin.
    await recordPassport(t, desk, first, { ...PASSPORT, expiresOn: '2031-12-01' });
    await recordPassport(t, desk, second, { ...PASSPORT, expiresOn: '2035-01-01' });
    await api('patch', `/trips/${trip.id}/participants/${second.id}`, {
      visaStatus: 'granted',
    }).expect(200);
    expect((await figures(trip.id)).readiness).toEqual({
      travelling: 2,
      visaRequired: 2,
      visasNotGranted: 1,
      travelDocumentsMissing: 0,
      passportExpiryWarnings: 1,
    });

    // The trip ends a month earlier: the passport is valid long enough beyond it now.
    await api('patch', `/trips/${trip.id}`, { endDate: '2031-05-12' }).expect(200);
    expect((await figures(trip.id)).readiness.passportExpiryWarnings).toBe(0);
    expect(await differences()).toEqual([]);

    // The agency asks for a longer margin: it is a warning again.
    await api('patch', '/tenant', { passportValidityMarginMonths: 12 }).expect(200);
    expect((await figures(trip.id)).readiness.passportExpiryWarnings).toBe(1);
    expect(await differences()).toEqual([]);

    // Staff do not take a seat: the one waiting moves up.
    await api('patch', `/trips/${trip.id}/participants/${first.id}`, { role: 'staff' }).expect(200);
    let shown = await figures(trip.id);
    expect(shown.participantCounts).toEqual({ confirmed: 3 });
    expect(shown.seatsLeft).toBe(0);
    expect(shown.readiness.travelDocumentsMissing).toBe(1);
    expect(await differences()).toEqual([]);

    // One more seat, and the passport of the newcomer recorded and deleted.
    await api('patch', `/trips/${trip.id}`, { capacity: 3 }).expect(200);
    await recordPassport(t, desk, third, PASSPORT);
    expect((await figures(trip.id)).readiness.travelDocumentsMissing).toBe(0);
    await t
      .http()
      .delete(`/api/v1/trips/${trip.id}/participants/${third.id}/travel-document`)
      .set(auth)
      .expect(204);
    shown = await figures(trip.id);
    expect(shown.seatsLeft).toBe(1);
    expect(shown.readiness.travelDocumentsMissing).toBe(1);

    // Erasure deletes the person's passport; the participation stays in the figures.
    await api('post', `/contacts/${first.contactId}/erase`, {}).expect(200);
    shown = await figures(trip.id);
    expect(shown.participantCounts).toEqual({ confirmed: 3 });
    expect(shown.readiness).toMatchObject({ travelDocumentsMissing: 2, passportExpiryWarnings: 0 });
    expect(await differences()).toEqual([]);

    await api('patch', '/tenant', { passportValidityMarginMonths: 6 }).expect(200);
  });

  it('the scheduled purge of travel documents leaves the figures true', async () => {
    const past = await createTrip(
      t,
      desk,
      tripBody({ startDate: '2022-09-25', endDate: '2022-10-02', capacity: 5 }),
    );
    const traveller = await addParticipant(t, desk, past.id, {
      contact: { firstName: 'Test', lastName: 'Purge' },
      visaRequired: true,
    });
    await recordPassport(t, desk, traveller, PASSPORT);
    expect((await figures(past.id)).readiness.travelDocumentsMissing).toBe(0);

    await t.app.get(Queues).enqueueAndWait(JobName.SystemPurgeTravelDocuments, {}, 15_000);

    expect((await figures(past.id)).readiness.travelDocumentsMissing).toBe(1);
    expect(await differences()).toEqual([]);
  });

  it('a difference is found by the recount and repaired by counting the trip again', async () => {
    const trip = await createTrip(t, desk, tripBody({ capacity: 5 }));
    await addParticipant(t, desk, trip.id, { contact: { firstName: 'Test', lastName: 'Drift' } });
    // Rows written around the seam (an import, a manual fix) are not counted...
    await t.dataSource.query(
      `UPDATE trip_participant_counts SET participants = participants + 4 WHERE trip_id = $1`,
      [trip.id],
    );
    expect(await differences()).toEqual([
      {
        tripId: trip.id,
        status: 'confirmed',
        counted: [5, 1, 0, 0, 0, 0],
        recounted: [1, 1, 0, 0, 0, 0],
      },
    ]);
    // ...until the trip is counted again from its rows.
    await t.dataSource.transaction((manager) => t.app.get(TripCounts).rebuild(manager, [trip.id]));
    expect(await differences()).toEqual([]);
    expect((await figures(trip.id)).participantCounts).toEqual({ confirmed: 1 });
  });
});
