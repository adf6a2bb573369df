import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { addContacts, openTrip } from './support/messaging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { wireStatements } from './support/wire-statements.js';

/** Statements a single-resource GET or a list page may run, the principal's lookup included. */
const BUDGET = 2;

/** One agency's data, `n` of everything: the ids the GETs name, and the page limit used. */
interface Fixture {
  agency: Agency;
  n: number;
  limit: number;
  tripId: string;
  participantId: string;
  contactId: string;
  organisationId: string;
  meetingId: string;
  agreementId: string;
  followUpId: string;
  endpointId: string;
  announcementId: string;
  invitationId: string;
}

type Route = [name: string, path: (f: Fixture) => string];

/** Every hot GET (issue 21), listed by what it reads. */
const ROUTES: Route[] = [
  ['GET /me', () => '/me'],
  ['GET /trips/{id}', (f) => `/trips/${f.tripId}`],
  ['GET /trips', (f) => `/trips?limit=${f.limit}`],
  ['GET /trips/{id}/stations', (f) => `/trips/${f.tripId}/stations?limit=${f.limit}`],
  ['GET /trips/{id}/participants', (f) => `/trips/${f.tripId}/participants?limit=${f.limit}`],
  [
    'GET /trips/{id}/participants/{id}',
    (f) => `/trips/${f.tripId}/participants/${f.participantId}`,
  ],
  ['GET /contacts', (f) => `/contacts?limit=${f.limit}`],
  ['GET /contacts/{id}', (f) => `/contacts/${f.contactId}`],
  ['GET /partner-organisations', (f) => `/partner-organisations?limit=${f.limit}`],
  ['GET /partner-organisations/{id}', (f) => `/partner-organisations/${f.organisationId}`],
  ['GET /trips/{id}/meetings', (f) => `/trips/${f.tripId}/meetings?limit=${f.limit}`],
  ['GET /trips/{id}/meetings/{id}', (f) => `/trips/${f.tripId}/meetings/${f.meetingId}`],
  ['GET /trips/{id}/programme', (f) => `/trips/${f.tripId}/programme`],
  [
    'GET /trips/{id}/participants/{id}/itinerary',
    (f) => `/trips/${f.tripId}/participants/${f.participantId}/itinerary`,
  ],
  ['GET /agreements', (f) => `/agreements?limit=${f.limit}`],
  ['GET /agreements/{id}', (f) => `/agreements/${f.agreementId}`],
  ['GET /follow-ups', (f) => `/follow-ups?limit=${f.limit}`],
  [
    'GET /agreements/{id}/follow-ups',
    (f) => `/agreements/${f.agreementId}/follow-ups?limit=${f.limit}`,
  ],
  [
    'GET /agreements/{id}/follow-ups/{id}',
    (f) => `/agreements/${f.agreementId}/follow-ups/${f.followUpId}`,
  ],
  ['GET /webhook-endpoints', (f) => `/webhook-endpoints?limit=${f.limit}`],
  ['GET /webhook-endpoints/{id}', (f) => `/webhook-endpoints/${f.endpointId}`],
  [
    'GET /webhook-endpoints/{id}/deliveries',
    (f) => `/webhook-endpoints/${f.endpointId}/deliveries?limit=${f.limit}`,
  ],
  ['GET /trips/{id}/announcements', (f) => `/trips/${f.tripId}/announcements?limit=${f.limit}`],
  [
    'GET /trips/{id}/announcements/{id}',
    (f) => `/trips/${f.tripId}/announcements/${f.announcementId}`,
  ],
  ['GET /trips/{id}/invitations', (f) => `/trips/${f.tripId}/invitations?limit=${f.limit}`],
  [
    'GET /trips/{id}/invitations?status=pending',
    (f) => `/trips/${f.tripId}/invitations?status=pending&limit=${f.limit}`,
  ],
  ['GET /trips/{id}/invitations/{id}', (f) => `/trips/${f.tripId}/invitations/${f.invitationId}`],
];

/** An id no agency has: lists under an unknown parent answer 404 within the budget too. */
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/**
 * The statement budget of issue 21, counted on the wire (every query any pg
 * client of the process sends: TypeORM's and the prepared hot reads that
 * skip it) with the principal cache off (so signing in is counted): every single-resource GET
 * and every list page runs at most two SQL statements, and as many for an
 * agency with 2 of everything (pages of 5) as for one with 40 (pages of 100):
 * nothing is read per row.
 */
describe('statement budgets', () => {
  let t: TestApp;
  const wire = wireStatements();
  let small: Fixture;
  let large: Fixture;

  beforeAll(async () => {
    t = await startTestApp({
      config: { PRINCIPAL_CACHE_SECONDS: 0, WEBHOOK_ALLOWED_HOSTS: ['localhost'] },
    });
    [small, large] = await Promise.all([fixture(t, 2, 5), fixture(t, 40, 100)]);
  }, 60_000);

  afterAll(async () => {
    wire.restore();
    await t?.close();
  });

  /** The statements a GET ran, after checking it answered `status`. */
  async function count(fixture: Fixture, path: string, status = 200): Promise<string[]> {
    wire.start();
    const response = await t
      .http()
      .get(`/api/v1${path}`)
      .set(bearer(fixture.agency.owner.accessToken));
    const ran = wire.stop();
    expect([path, response.status]).toEqual([path, status]);
    return ran;
  }

  it.each(ROUTES)(
    '%s runs at most two statements, as many for 40 rows as for 2',
    async (_, path) => {
      const few = await count(small, path(small));
      const many = await count(large, path(large));
      // What runs beyond the budget, shown when a read goes over it.
      expect(few.slice(BUDGET)).toEqual([]);
      expect(many.slice(BUDGET)).toEqual([]);
      expect(many.length).toBe(few.length);
    },
  );

  it.each([
    ['GET /trips/{id}/calendar.ics', (f: Fixture) => `/trips/${f.tripId}/calendar.ics`],
    [
      'GET /trips/{id}/participants/{id}/itinerary.ics',
      (f: Fixture) => `/trips/${f.tripId}/participants/${f.participantId}/itinerary.ics`,
    ],
  ])(
    '%s (a file: the trip, the meetings, the counterparts by name) runs at most four, as many for 40 meetings as for 2',
    async (_, path) => {
      const few = await count(small, path(small));
      const many = await count(large, path(large));
      expect(few.slice(BUDGET + 2)).toEqual([]);
      expect(many.slice(BUDGET + 2)).toEqual([]);
      expect(many.length).toBe(few.length);
    },
  );

  it('counts real rows: the large pages are full, the meeting has its details', async () => {
    const get = async (path: string) =>
      (await t.http().get(`/api/v1${path}`).set(bearer(large.agency.owner.accessToken)).expect(200))
        .body as { items: unknown[] };
    for (const [name, path] of ROUTES) {
      // The agency has one webhook endpoint; the programme is not paged.
      if (!path(large).includes('?limit=') || name === 'GET /webhook-endpoints') continue;
      expect([name, (await get(path(large))).items.length >= large.n]).toEqual([name, true]);
    }
    expect(await get(`/trips/${large.tripId}/meetings/${large.meetingId}`)).toMatchObject({
      attendeeIds: [expect.any(String), expect.any(String)],
      counterparts: {
        organisationIds: [expect.any(String), expect.any(String)],
        contactIds: [large.contactId],
      },
    });
  });

  it.each([
    ['GET /trips/{id}/stations', `/trips/${UNKNOWN}/stations`],
    ['GET /trips/{id}/meetings', `/trips/${UNKNOWN}/meetings`],
    ['GET /trips/{id}/programme', `/trips/${UNKNOWN}/programme`],
    ['GET /trips/{id}/announcements', `/trips/${UNKNOWN}/announcements`],
    ['GET /trips/{id}/invitations', `/trips/${UNKNOWN}/invitations`],
    ['GET /agreements/{id}/follow-ups', `/agreements/${UNKNOWN}/follow-ups`],
    ['GET /webhook-endpoints/{id}/deliveries', `/webhook-endpoints/${UNKNOWN}/deliveries`],
  ])('%s of an unknown parent is 404 within the budget', async (_, path) => {
    expect((await count(small, path, 404)).slice(BUDGET)).toEqual([]);
  });
});

/**
 * An agency with a trip open for registration (through the API, with its
 * two stations), a webhook endpoint and an announcement to its `n` confirmed
 * participants; the rest written in bulk: `n` partner organisations,
 * contacts, participants, meetings (each with two attendees, two
 * organisations and a contact met), agreements (two parties, a signatory
 * each), follow-ups of the first agreement, further stations, deliveries
 * (two attempts each), announcements and trips.
 */
async function fixture(t: TestApp, n: number, limit: number): Promise<Fixture> {
  const agency = await signUpAgency(t);
  const auth = bearer(agency.owner.accessToken);
  const trip = await openTrip(t, agency);
  const endpoint = await t
    .http()
    .post('/api/v1/webhook-endpoints')
    .set(auth)
    .send({ url: 'http://localhost:9/hook', eventTypes: ['trip.status_changed'] })
    .expect(201);
  const endpointId = (endpoint.body as { id: string }).id;
  const [first] = await t.dataSource.query<Omit<Fixture, 'agency' | 'n' | 'limit' | 'tripId'>[]>(
    `WITH seed AS MATERIALIZED (
       SELECT n, gen_random_uuid() AS org, gen_random_uuid() AS contact,
              gen_random_uuid() AS participant, gen_random_uuid() AS meeting,
              gen_random_uuid() AS agreement, gen_random_uuid() AS delivery,
              gen_random_uuid() AS follow_up
         FROM generate_series(1, $3::int) AS n
     ), pair AS MATERIALIZED (
       -- Each with the next one (the last with the first).
       SELECT s.*, o.org AS next_org, o.contact AS next_contact, o.participant AS next_participant
         FROM seed s JOIN seed o ON o.n = s.n % $3 + 1
     ), station AS MATERIALIZED (
       SELECT id, timezone, arrival_date FROM stations WHERE trip_id = $2 ORDER BY position LIMIT 1
     ), timed AS MATERIALIZED (
       SELECT p.*, st.id AS station_id,
              (st.arrival_date + time '03:00') AT TIME ZONE st.timezone
                + make_interval(mins => 15 * p.n) AS starts_at
         FROM pair p, station st
     ), organisations AS (
       INSERT INTO partner_organisations (id, tenant_id, name, kind, country)
       SELECT org, $1, 'Budget ' || lpad(n::text, 3, '0'), 'company', 'KZ' FROM seed
     ), contacts AS (
       INSERT INTO contacts (id, tenant_id, partner_organisation_id, first_name, last_name, email)
       SELECT contact, $1, org, 'Aigerim', 'Budget-' || n,
              'budget.' || $2::text || '.' || n || '@example.kz'
         FROM seed
     ), participants AS (
       INSERT INTO participants (id, tenant_id, trip_id, contact_id, organisation_id, role,
                                 category, status, registered_at, status_changed_at)
       SELECT participant, $1, $2, contact, org, 'member', 'business', 'confirmed',
              now() - make_interval(secs => $3 - n), now()
         FROM seed
     ), meetings AS (
       INSERT INTO meetings (id, tenant_id, trip_id, station_id, title, kind, starts_at, ends_at)
       SELECT meeting, $1, $2, station_id, 'Budget meeting ' || n, 'b2b', starts_at,
              starts_at + interval '10 minutes'
         FROM timed
     ), attendees AS (
       INSERT INTO meeting_attendees (meeting_id, participant_id, tenant_id, starts_at, ends_at, active)
       SELECT meeting, who, $1, starts_at, starts_at + interval '10 minutes', true
         FROM timed, LATERAL (VALUES (participant), (next_participant)) AS a(who)
     ), met_organisations AS (
       INSERT INTO meeting_organisations (meeting_id, partner_organisation_id)
       SELECT meeting, o FROM pair, LATERAL (VALUES (org), (next_org)) AS m(o)
     ), met_contacts AS (
       INSERT INTO meeting_contacts (meeting_id, contact_id) SELECT meeting, contact FROM seed
     ), agreements AS (
       INSERT INTO agreements (id, tenant_id, title, kind, category, trip_id, listed_on)
       SELECT agreement, $1, 'Budget agreement ' || n, 'mou', 'business', $2, DATE '9999-12-31'
         FROM seed
     ), parties AS (
       INSERT INTO agreement_parties (agreement_id, partner_organisation_id, position)
       SELECT agreement, o, position FROM pair,
              LATERAL (VALUES (org, 0), (next_org, 1)) AS p(o, position)
     ), signatories AS (
       INSERT INTO agreement_signatories (agreement_id, partner_organisation_id, contact_id, position)
       SELECT agreement, o, c, 0 FROM pair,
              LATERAL (VALUES (org, contact), (next_org, next_contact)) AS s(o, c)
     ), follow_ups AS (
       INSERT INTO follow_ups (id, tenant_id, agreement_id, title, due_on, owner_user_id)
       SELECT follow_up, $1, (SELECT agreement FROM seed WHERE n = 1), 'Budget follow-up ' || n,
              current_date + n - 5, $4
         FROM seed
     ), more_stations AS (
       INSERT INTO stations (tenant_id, trip_id, city, country, timezone, arrival_date,
                             departure_date, position)
       SELECT $1, $2, 'Budget ' || n, 'KZ', st.timezone, st.arrival_date, st.arrival_date, 100 + n
         FROM seed, station st
     ), deliveries AS (
       INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload,
                                       status, attempts, attempt_limit, due_at)
       SELECT delivery, $1, $5, gen_random_uuid(), 'trip.status_changed', '{}'::jsonb, 'failed',
              2, 2, now()
         FROM seed
     ), attempts AS (
       INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, error)
       SELECT delivery, attempt, now(), 5, 'connect ECONNREFUSED'
         FROM seed, generate_series(1, 2) AS attempt
     ), announcements AS (
       INSERT INTO announcements (tenant_id, trip_id, subject, body, audience, send_at,
                                  recipient_count)
       SELECT $1, $2, '{"en": "Budget"}', '{"en": "Budget"}',
              '{"statuses": ["confirmed"], "roles": null, "categories": null,
                "stationId": null, "participantIds": null}',
              now() + interval '1 day', 0
         FROM seed
     ), trips AS (
       INSERT INTO trips (tenant_id, title, kind, start_date, end_date, capacity)
       SELECT $1, 'Budget trip ' || n, 'delegation', current_date + 60, current_date + 65, 10
         FROM seed
     )
     SELECT participant AS "participantId", contact AS "contactId", org AS "organisationId",
            meeting AS "meetingId", agreement AS "agreementId", follow_up AS "followUpId"
       FROM seed WHERE n = 1`,
    [agency.tenantId, trip.id, n, agency.owner.id, endpointId],
  );
  // Written to every confirmed participant: one outbox message each.
  const announcement = await t
    .http()
    .post(`/api/v1/trips/${trip.id}/announcements`)
    .set(auth)
    .send({ subject: { en: 'Briefing' }, body: { en: 'We meet at the gate.' } })
    .expect(201);
  // `n` more contacts, not on the trip, invited through the API.
  const invitees = await addContacts(t, agency, n);
  await t
    .http()
    .post(`/api/v1/trips/${trip.id}/invitations`)
    .set(auth)
    .send({ contactIds: invitees.map((contact) => contact.id) })
    .expect(200);
  const [{ id: invitationId }] = await t.dataSource.query<{ id: string }[]>(
    `SELECT id FROM invitations WHERE trip_id = $1 ORDER BY created_at, id LIMIT 1`,
    [trip.id],
  );
  return {
    ...first,
    agency,
    n,
    limit,
    tripId: trip.id,
    endpointId,
    announcementId: (announcement.body as { id: string }).id,
    invitationId,
  };
}
