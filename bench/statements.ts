/**
 * SQL statements per request, a part of `npm run bench`
 * (`node --import @swc-node/register/esm-register bench/statements.ts`;
 * add `--show-sql` to print each request's statements).
 *
 * Boots the real API in this process (startTestApp: a private database
 * cloned from the migrated test template) and counts every statement sent
 * to PostgreSQL during one request by any pg client of the process
 * (pg.Client.prototype.query is wrapped, so SQL run around TypeORM counts
 * too; the count through a TypeORM subscriber, as bench/messaging.ts takes
 * it, is printed beside it): authentication, START TRANSACTION and COMMIT,
 * the audit entry included. Counts do not depend on the machine's load, so
 * they are judged as they are, against issue 21's budgets: every
 * single-resource GET ≤ 2, every list page ≤ 2, POST participant ≤ 10, the
 * public registration ≤ 15, each the same for a small agency (3 of
 * everything, pages of 5) and a large one (300 participants and contacts,
 * 100 partner organisations, 30 trips, 30 meetings of 10 attendees, pages of
 * 100). A count that differs between the two (a statement per row: N+1)
 * fails the request too. Each request runs twice (a fresh contact or
 * invitation for the writes) and the smaller count is taken, so a cache
 * filled by the first run or a stray background statement does not count.
 */
import pg from 'pg';
import { PublicTokens } from '../src/common/links/public-tokens.js';
import {
  addParticipant,
  addStation,
  createOrganisation,
  createTrip,
  moveTrip,
  type MeetingBody,
} from '../test/support/factories.js';
import { bearer, signUpAgency, type Agency } from '../test/support/identity.js';
import { addContacts, inDays, tripStations } from '../test/support/messaging.js';
import { startTestApp, type TestApp } from '../test/support/test-app.js';
import { emit, progress, table } from './support.js';
import { ensureTemplate } from './template-database.js';

const SHOW_SQL = process.argv.includes('--show-sql');
const RUNS = 2;

type Size = 'small' | 'large';
const SIZES: Size[] = ['small', 'large'];

const SHAPES: Record<
  Size,
  {
    participants: number;
    organisations: number;
    trips: number;
    meetings: number;
    attendees: number;
    limit: number;
  }
> = {
  small: { participants: 3, organisations: 3, trips: 3, meetings: 3, attendees: 1, limit: 5 },
  large: {
    participants: 300,
    organisations: 100,
    trips: 30,
    meetings: 30,
    attendees: 10,
    limit: 100,
  },
};

const BUDGET = { get: 2, page: 2, postParticipant: 10, registration: 15 };

/** What one agency holds for the requests to read. */
interface Fixture {
  agency: Agency;
  headers: Record<string, string>;
  tripId: string;
  participantId: string;
  contactId: string;
  organisationId: string;
  meetingId: string;
  /** Contacts on no trip yet, for the writes. */
  spareContacts: string[];
  limit: number;
}

interface Measured {
  name: string;
  budget: number;
  counts: Record<Size, number[]>;
  /** The same through TypeORM's subscriber (lower when something runs SQL around TypeORM). */
  typeorm: Record<Size, number[]>;
  sql: Record<Size, string[]>;
}

await ensureTemplate(progress);
const t = await startTestApp();
let failed = false;
try {
  // Counted twice: on the wire (every query any pg client of this process sends, TypeORM's
  // or not) and through a TypeORM subscriber; the wire count is judged.
  let log: { wire: string[]; typeorm: number } | null = null;
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = client.query;
  client.query = function (this: unknown, ...args: unknown[]): unknown {
    const [first] = args as [string | { text?: string } | undefined];
    const text = typeof first === 'string' ? first : (first?.text ?? '(no text)');
    log?.wire.push(text.replace(/\s+/g, ' ').trim());
    return Reflect.apply(query, this, args);
  };
  t.dataSource.subscribers.push({
    beforeQuery: () => {
      if (log) log.typeorm++;
    },
  });
  const fixtures = {} as Record<Size, Fixture>;
  for (const size of SIZES) {
    progress(`setting up the ${size} agency`);
    fixtures[size] = await setUp(t, size);
  }

  const http = () => t.http();
  const requests: {
    name: string;
    budget: number;
    /** Set-up outside the count (the invitation of the registration); its result goes to `run`. */
    prepare?: (fixture: Fixture, run: number) => Promise<string>;
    run: (fixture: Fixture, run: number, prepared: string) => PromiseLike<{ status: number }>;
  }[] = [
    {
      name: 'GET /trips/{id}',
      budget: BUDGET.get,
      run: (f) => http().get(`/api/v1/trips/${f.tripId}`).set(f.headers),
    },
    {
      name: 'GET /trips (page)',
      budget: BUDGET.page,
      run: (f) => http().get(`/api/v1/trips?limit=${f.limit}`).set(f.headers),
    },
    {
      name: 'GET /trips/{id}/participants (page)',
      budget: BUDGET.page,
      run: (f) =>
        http().get(`/api/v1/trips/${f.tripId}/participants?limit=${f.limit}`).set(f.headers),
    },
    {
      name: 'GET /trips/{id}/participants/{id}',
      budget: BUDGET.get,
      run: (f) =>
        http().get(`/api/v1/trips/${f.tripId}/participants/${f.participantId}`).set(f.headers),
    },
    {
      name: 'GET /contacts/{id}',
      budget: BUDGET.get,
      run: (f) => http().get(`/api/v1/contacts/${f.contactId}`).set(f.headers),
    },
    {
      name: 'GET /contacts (page)',
      budget: BUDGET.page,
      run: (f) => http().get(`/api/v1/contacts?limit=${f.limit}`).set(f.headers),
    },
    {
      name: 'GET /partner-organisations/{id}',
      budget: BUDGET.get,
      run: (f) => http().get(`/api/v1/partner-organisations/${f.organisationId}`).set(f.headers),
    },
    {
      name: 'GET /partner-organisations (page)',
      budget: BUDGET.page,
      run: (f) => http().get(`/api/v1/partner-organisations?limit=${f.limit}`).set(f.headers),
    },
    {
      name: 'GET /trips/{id}/meetings/{id}',
      budget: BUDGET.get,
      run: (f) => http().get(`/api/v1/trips/${f.tripId}/meetings/${f.meetingId}`).set(f.headers),
    },
    {
      name: 'GET /trips/{id}/meetings (page)',
      budget: BUDGET.page,
      run: (f) => http().get(`/api/v1/trips/${f.tripId}/meetings?limit=${f.limit}`).set(f.headers),
    },
    {
      name: 'POST /trips/{id}/participants',
      budget: BUDGET.postParticipant,
      run: (f, run) =>
        http()
          .post(`/api/v1/trips/${f.tripId}/participants`)
          .set(f.headers)
          .send({ contactId: f.spareContacts[run], role: 'member', category: 'business' }),
    },
    {
      name: 'POST /public/invitations/{token}/registration',
      budget: BUDGET.registration,
      prepare: (f, run) => invitationToken(t, f, f.spareContacts[RUNS + run]),
      run: (_f, _run, token) =>
        http()
          .post(`/api/v1/public/invitations/${token}/registration`)
          .send({ category: 'business', consent: true }),
    },
  ];

  const results: Measured[] = [];
  for (const request of requests) {
    const measured: Measured = {
      name: request.name,
      budget: request.budget,
      counts: { small: [], large: [] },
      typeorm: { small: [], large: [] },
      sql: { small: [], large: [] },
    };
    for (const size of SIZES) {
      for (let run = 0; run < RUNS; run++) {
        const prepared = (await request.prepare?.(fixtures[size], run)) ?? '';
        const counted = { wire: [] as string[], typeorm: 0 };
        log = counted;
        const response = await request.run(fixtures[size], run, prepared);
        log = null;
        const statements = counted.wire;
        measured.typeorm[size].push(counted.typeorm);
        if (response.status >= 300) {
          throw new Error(`${request.name} (${size}) answered ${response.status}`);
        }
        measured.counts[size].push(statements.length);
        if (run === RUNS - 1) measured.sql[size] = statements;
      }
    }
    results.push(measured);
  }

  const smallest = (values: number[]) => Math.min(...values);
  process.stdout.write(
    [
      '',
      `SQL statements per request (the smaller of ${RUNS} runs; small: ` +
        `${SHAPES.small.participants} participants, pages of ${SHAPES.small.limit}; large: ` +
        `${SHAPES.large.participants} participants, pages of ${SHAPES.large.limit})`,
      table(
        ['request', 'small', 'large', 'budget', 'constant', 'via TypeORM'],
        results.map((result) => [
          result.name,
          result.counts.small.join('/'),
          result.counts.large.join('/'),
          `≤ ${result.budget}`,
          smallest(result.counts.small) === smallest(result.counts.large) ? 'yes' : 'NO',
          `${result.typeorm.small.join('/')}, ${result.typeorm.large.join('/')}`,
        ]),
      ),
      '',
    ].join('\n'),
  );
  if (SHOW_SQL) {
    for (const result of results) {
      process.stdout.write(`\n${result.name} (large, last run):\n`);
      for (const sql of result.sql.large) process.stdout.write(`    ${sql.slice(0, 200)}\n`);
    }
  }
  for (const result of results) {
    const small = smallest(result.counts.small);
    const large = smallest(result.counts.large);
    const constant = small === large;
    const line = emit({
      item: `statements ${result.name}`,
      measured: Math.max(small, large),
      unit: 'statements',
      limit: result.budget,
      bound: 'max',
      ok: constant && Math.max(small, large) <= result.budget,
      note: `small ${small}, large ${large}${constant ? '' : ': NOT constant'}`,
    });
    if (!line.ok) failed = true;
  }
} finally {
  await t.close();
}
if (failed) process.exitCode = 1;

/**
 * An agency of `size`: partner organisations, a trip open for registration
 * (capacity 10,000, so every registration is confirmed alike), its
 * participants, more trips in draft, meetings with attendees and
 * counterparts, and spare contacts for the writes.
 */
async function setUp(app: TestApp, size: Size): Promise<Fixture> {
  const shape = SHAPES[size];
  const agency = await signUpAgency(app);
  const organisations = [];
  for (let start = 0; start < shape.organisations; start += 20) {
    organisations.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, shape.organisations - start) }, () =>
          createOrganisation(app, agency),
        ),
      )),
    );
  }
  const trip = await createTrip(app, agency, {
    title: `Statement count trip (${size})`,
    kind: 'market_exploration',
    countries: ['KZ', 'UZ'],
    startDate: inDays(30),
    endDate: inDays(37),
    capacity: 10_000,
    registrationClosesAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    coOrganiserIds: organisations.slice(0, 2).map((organisation) => organisation.id),
  });
  const stations = [];
  for (const station of tripStations())
    stations.push(await addStation(app, agency, trip.id, station));
  await moveTrip(app, agency, trip, ['planned', 'registration_open']);
  for (let n = 1; n < shape.trips; n++) {
    await createTrip(app, agency, {
      title: `Draft trip ${n} (${size})`,
      kind: 'delegation',
      countries: ['KZ'],
      startDate: inDays(60 + n),
      endDate: inDays(65 + n),
      capacity: 20,
    });
  }
  const contacts = await addContacts(app, agency, shape.participants + 2 * RUNS);
  const participants: string[] = [];
  for (const [n, contact] of contacts.slice(0, shape.participants).entries()) {
    const participant = await addParticipant(app, agency, trip.id, {
      contactId: contact.id,
      visaRequired: n % 3 === 0,
      organisationId: organisations[n % organisations.length].id,
    });
    participants.push(participant.id);
  }
  let meetingId = '';
  for (let m = 0; m < shape.meetings; m++) {
    // Eight one-hour meetings a day at the first station, nobody in two of them.
    const day = inDays(30 + Math.floor(m / 8));
    const hour = String(9 + (m % 8)).padStart(2, '0');
    const response = await app
      .http()
      .post(`/api/v1/trips/${trip.id}/meetings`)
      .set(bearer(agency.owner.accessToken))
      .send({
        title: `B2B meeting ${m + 1}`,
        kind: 'b2b',
        stationId: stations[0].id,
        startsAt: `${day}T${hour}:00`,
        endsAt: `${day}T${hour}:45`,
        attendeeIds: participants.slice(m * shape.attendees, (m + 1) * shape.attendees),
        counterparts: {
          organisationIds: organisations
            .slice(0, Math.min(3, organisations.length))
            .map((o) => o.id),
          contactIds: [contacts[m % shape.participants].id],
        },
      });
    if (response.status !== 201) {
      throw new Error(`POST meeting answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    meetingId ||= (response.body as MeetingBody).id;
  }
  return {
    agency,
    headers: bearer(agency.owner.accessToken),
    tripId: trip.id,
    participantId: participants[Math.floor(participants.length / 2)],
    contactId: contacts[0].id,
    organisationId: organisations[0].id,
    meetingId,
    spareContacts: contacts.slice(shape.participants).map((contact) => contact.id),
    limit: shape.limit,
  };
}

/** Invites the contact to the fixture's trip and returns the token of its link. */
async function invitationToken(app: TestApp, fixture: Fixture, contactId: string): Promise<string> {
  await app
    .http()
    .post(`/api/v1/trips/${fixture.tripId}/invitations`)
    .set(fixture.headers)
    .send({ contactIds: [contactId] })
    .expect(200);
  const [row] = await app.dataSource.query<{ id: string; token_nonce: string }[]>(
    'SELECT id, token_nonce FROM invitations WHERE trip_id = $1 AND contact_id = $2',
    [fixture.tripId, contactId],
  );
  return app.app.get(PublicTokens).sign('invitation', row.id, row.token_nonce);
}
