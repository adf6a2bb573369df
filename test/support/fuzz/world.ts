import { randomUUID } from 'node:crypto';
import { PublicTokens } from '../../../src/common/links/public-tokens.js';
import { SCOPES } from '../../../src/modules/identity/roles.js';
import { addApiKey, addStaff, bearer, login, signUpAgency, type Agency } from '../identity.js';
import { addContacts, inDays, openTrip } from '../messaging.js';
import type { TestApp } from '../test-app.js';

/** The app is started with this METRICS_TOKEN, so /metrics has a credential to fuzz. */
export const FUZZ_METRICS_TOKEN = 'fuzz-metrics-token-0123456789';

/** Who a fuzzed request is sent as. */
export type PrincipalName = 'owner' | 'viewer' | 'apiKey' | 'otherOwner' | 'none' | 'bogus';

interface StaffPrincipal {
  id: string;
  email: string;
  password: string;
  accessToken: string;
}

/** A trip and the ids below it, so nested paths can name a station of *that* trip. */
export interface TripFamily {
  tripId: string;
  stationIds: string[];
  participantIds: string[];
  invitationIds: string[];
  meetingIds: string[];
  announcementIds: string[];
}

/** An agreement with its follow-ups, so a generated path can name a follow-up of that agreement. */
export interface AgreementFamily {
  agreementId: string;
  followUpIds: string[];
}

/** Real ids of one tenant, read from the database (so the fuzzer's own creations count too). */
export interface TenantPools {
  tenantId: string;
  users: string[];
  apiKeys: string[];
  organisations: string[];
  contacts: string[];
  notifications: string[];
  trips: TripFamily[];
  stations: string[];
  participants: string[];
  invitations: string[];
  meetings: string[];
  announcements: string[];
  agreements: AgreementFamily[];
  followUps: string[];
  webhookEndpoints: string[];
  webhookDeliveries: string[];
  invitationTokens: string[];
  registrationTokens: string[];
  /** Personal calendar feeds, as the path names them (`<token>.ics`). */
  itineraryFeeds: string[];
  /** Trips' public ids (open registration). */
  tripPublicIds: string[];
}

export type IdKind =
  | 'user'
  | 'apiKey'
  | 'organisation'
  | 'contact'
  | 'notification'
  | 'trip'
  | 'station'
  | 'participant'
  | 'invitation'
  | 'meeting'
  | 'announcement'
  | 'agreement'
  | 'followUp'
  | 'webhookEndpoint'
  | 'webhookDelivery';

const POOL_OF: Record<
  IdKind,
  Exclude<keyof TenantPools, 'tenantId' | 'trips' | 'agreements'> | 'trips' | 'agreements'
> = {
  user: 'users',
  apiKey: 'apiKeys',
  organisation: 'organisations',
  contact: 'contacts',
  notification: 'notifications',
  trip: 'trips',
  station: 'stations',
  participant: 'participants',
  invitation: 'invitations',
  meeting: 'meetings',
  announcement: 'announcements',
  agreement: 'agreements',
  followUp: 'followUps',
  webhookEndpoint: 'webhookEndpoints',
  webhookDelivery: 'webhookDeliveries',
};

/** A German passport as printed. */
const PASSPORT = {
  passportNumber: 'C01X00T47',
  nationality: 'DE',
  issuingCountry: 'DE',
  issuedOn: '2019-03-14',
  expiresOn: '2034-03-13',
};

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Credentials that must not work, or work only as the principal they name. */
const BOGUS_CREDENTIALS: {
  label: string;
  headers: (world: FuzzWorld) => Record<string, string>;
}[] = [
  { label: 'bearer "abc"', headers: () => ({ Authorization: 'Bearer abc' }) },
  { label: 'empty bearer', headers: () => ({ Authorization: 'Bearer ' }) },
  { label: 'scheme only', headers: () => ({ Authorization: 'Bearer' }) },
  { label: 'basic auth', headers: () => ({ Authorization: 'Basic dXNlcjpwYXNzd29yZA==' }) },
  {
    label: "owner's token, lower-case scheme",
    headers: (w) => ({ Authorization: `bearer ${w.owner.accessToken}` }),
  },
  {
    label: "owner's token after two spaces",
    headers: (w) => ({ Authorization: `Bearer  ${w.owner.accessToken}` }),
  },
  {
    label: "owner's token with a character added",
    headers: (w) => ({ Authorization: `Bearer ${w.owner.accessToken}x` }),
  },
  {
    label: "owner's token cut short",
    headers: (w) => ({ Authorization: `Bearer ${w.owner.accessToken.slice(0, -2)}` }),
  },
  {
    label: 'owner\'s claims with alg "none" and no signature',
    headers: (w) => ({
      Authorization: `Bearer ${base64url('{"alg":"none","typ":"JWT"}')}.${w.owner.accessToken.split('.')[1]}.`,
    }),
  },
  {
    label: 'forged claims under the real header',
    headers: (w) => ({
      Authorization: `Bearer ${w.owner.accessToken.split('.')[0]}.${base64url('{"sub":"x","sid":"\'; drop"}')}.x`,
    }),
  },
  {
    label: 'API key as a bearer token',
    headers: (w) => ({ Authorization: `Bearer ${w.apiKey.key}` }),
  },
  { label: 'empty API key', headers: () => ({ 'X-API-Key': '' }) },
  { label: 'unknown API key', headers: () => ({ 'X-API-Key': 'dd_00000000_nope' }) },
  { label: 'API key upper-cased', headers: (w) => ({ 'X-API-Key': w.apiKey.key.toUpperCase() }) },
  { label: 'API key with a trailing space', headers: (w) => ({ 'X-API-Key': `${w.apiKey.key} ` }) },
  { label: '3,000-character API key', headers: () => ({ 'X-API-Key': 'x'.repeat(3000) }) },
  {
    label: 'API key prefix and %00',
    headers: (w) => ({ 'X-API-Key': `${w.apiKey.key.slice(0, 12)}%00` }),
  },
  {
    label: "owner's token and an unknown API key",
    headers: (w) => ({ ...bearer(w.owner.accessToken), 'X-API-Key': 'dd_00000000_nope' }),
  },
  {
    label: "viewer's token and the API key",
    headers: (w) => ({ ...bearer(w.viewer.accessToken), 'X-API-Key': w.apiKey.key }),
  },
];

/** `pool[index]`, wrapping; a random uuid when the pool is empty. */
export function pick(pool: readonly string[], index: number): string {
  return pool.length === 0 ? '00000000-0000-4000-8000-000000000000' : pool[index % pool.length];
}

/**
 * The data the fuzzer aims at: two agencies, each with staff, API keys,
 * organisations, contacts, trips with stations, participants, a passport
 * and invitations; and the principals requests are sent as. Helper calls
 * (seeding, re-signing in) come from 127.0.0.1, fuzzed ones through
 * X-Forwarded-For from other addresses, so the fuzzer's failed logins and
 * sign-ups never rate-limit the helpers.
 *
 * The principals' own user rows and API key are left out of the id pools:
 * a fuzzed request that deactivated or demoted the owner the fuzzer acts
 * as, or revoked its key, would turn every later request into a 401/403.
 * For the same reason, logins are fuzzed with other users' emails, so the
 * principals' accounts are never locked by failed logins. Their own
 * password changes are followed (see `learn`).
 */
export class FuzzWorld {
  own!: TenantPools;
  other!: TenantPools;
  owner!: StaffPrincipal;
  viewer!: StaffPrincipal;
  otherOwner!: StaffPrincipal;
  apiKey!: { id: string; key: string };
  /** Refresh tokens of spare sessions (never the principals'), renewed from fuzzed refreshes and logins. */
  refreshTokens: string[] = [];
  /** Emails of users who are not principals, for fuzzed logins. */
  loginEmails: string[] = [];
  /** `nextCursor`s seen in fuzzed list answers, by operation. */
  readonly cursors = new Map<string, string[]>();
  readonly metricsToken = FUZZ_METRICS_TOKEN;
  /** Counts the calls `replenish()` made, for the summary. */
  replenished = 0;

  private desk!: Agency;
  private rival!: Agency;
  private readonly tokens: PublicTokens;

  private constructor(private readonly t: TestApp) {
    this.tokens = t.app.get(PublicTokens);
  }

  static async seed(t: TestApp): Promise<FuzzWorld> {
    const world = new FuzzWorld(t);
    world.desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    world.rival = await signUpAgency(t, { tenantName: 'Sachsen Global', name: 'Jens Krause' });
    const staff = (agency: Agency): StaffPrincipal => ({
      id: agency.owner.id,
      email: agency.owner.email,
      password: agency.owner.password,
      accessToken: agency.owner.accessToken,
    });
    world.owner = staff(world.desk);
    world.otherOwner = staff(world.rival);
    const viewer = await addStaff(t, world.desk, 'viewer', 'Viola Viewer');
    world.viewer = {
      id: viewer.id,
      email: viewer.email,
      password: viewer.password,
      accessToken: viewer.accessToken,
    };
    const key = await addApiKey(t, world.desk, [...SCOPES], { name: 'Fuzz integration' });
    world.apiKey = { id: key.id, key: key.key };

    for (const agency of [world.desk, world.rival]) {
      await addStaff(t, agency, 'admin', 'Anna Admin');
      await addStaff(t, agency, 'organiser', 'Otto Organiser');
      await addApiKey(t, agency, ['directory:read'], { name: 'Spare key' });
      await world.seedTripFamily(agency);
      await world.createDraftTrip(agency);
    }
    await addApiKey(t, world.desk, ['trips:write', 'pii:read'], { name: 'Second spare key' });
    for (let n = 0; n < 3; n++) {
      world.refreshTokens.push(
        (await login(t, world.owner.email, world.owner.password)).refreshToken,
      );
    }
    world.refreshTokens.push(
      (await login(t, world.otherOwner.email, world.otherOwner.password)).refreshToken,
    );
    await world.refresh();
    return world;
  }

  /** Before each operation: pools read again, dead parts of the world replaced, principals signed in. */
  async prepare(): Promise<void> {
    await this.ensurePrincipals();
    await this.replenish();
    await this.refresh();
  }

  /** Headers that authenticate as `principal` (`bogus`: one of several broken credentials). */
  authHeaders(principal: PrincipalName, variant: number): Record<string, string> {
    switch (principal) {
      case 'owner':
        return bearer(this.owner.accessToken);
      case 'viewer':
        return bearer(this.viewer.accessToken);
      case 'otherOwner':
        return bearer(this.otherOwner.accessToken);
      case 'apiKey':
        return { 'X-API-Key': this.apiKey.key };
      case 'none':
        return {};
      case 'bogus':
        return this.bogusHeaders(variant);
    }
  }

  private bogusHeaders(variant: number): Record<string, string> {
    return BOGUS_CREDENTIALS[variant % BOGUS_CREDENTIALS.length].headers(this);
  }

  /** What broken credential `variant` is, for the failure message (the headers are masked there). */
  static bogusLabel(variant: number): string {
    return BOGUS_CREDENTIALS[variant % BOGUS_CREDENTIALS.length].label;
  }

  /** What a fuzzed exchange teaches the world: cursors, refresh tokens, a principal's new password. */
  async learn(
    operationId: string,
    authorization: string | undefined,
    status: number,
    requestBody: unknown,
    responseBody: unknown,
  ): Promise<void> {
    if (status >= 300) return;
    const body = (responseBody ?? {}) as Record<string, unknown>;
    if (typeof body.nextCursor === 'string') {
      const cursors = this.cursors.get(operationId) ?? [];
      this.remember(cursors, body.nextCursor);
      this.cursors.set(operationId, cursors);
    }
    if (
      (operationId === 'authRefresh' || operationId === 'authLogin') &&
      typeof body.refreshToken === 'string'
    ) {
      this.remember(this.refreshTokens, body.refreshToken);
    }
    if (operationId === 'meChangePassword') {
      // Whoever's token carried it (a bogus variant may carry a real one).
      const staff = [this.owner, this.viewer, this.otherOwner].find((candidate) =>
        authorization?.includes(candidate.accessToken),
      );
      const newPassword = (requestBody as { newPassword?: unknown } | null)?.newPassword;
      if (staff && typeof newPassword === 'string') {
        staff.password = newPassword;
        staff.accessToken = (await login(this.t, staff.email, staff.password)).accessToken;
      }
    }
  }

  private remember(pool: string[], value: string): void {
    if (pool.includes(value)) return;
    pool.push(value);
    if (pool.length > 20) pool.shift();
  }

  /** Signs principals in again (a token expired or a session ended) and replaces a dead API key. */
  private async ensurePrincipals(): Promise<void> {
    for (const staff of [this.owner, this.viewer, this.otherOwner]) {
      const me = await this.t.http().get('/api/v1/me').set(bearer(staff.accessToken));
      if (me.status === 200) continue;
      staff.accessToken = (await login(this.t, staff.email, staff.password)).accessToken;
    }
    this.desk.owner.accessToken = this.owner.accessToken;
    this.rival.owner.accessToken = this.otherOwner.accessToken;
    const probe = await this.t
      .http()
      .get('/api/v1/trips?limit=1')
      .set('X-API-Key', this.apiKey.key);
    if (probe.status !== 200) {
      const key = await addApiKey(this.t, this.desk, [...SCOPES], { name: 'Fuzz integration' });
      this.apiKey = { id: key.id, key: key.key };
    }
  }

  /**
   * Keeps the world worth fuzzing: when fuzzed requests have closed,
   * cancelled or emptied the agency's open trips, or erased its contacts,
   * a new trip family and a draft trip are made.
   */
  private async replenish(): Promise<void> {
    for (const agency of [this.desk, this.rival]) {
      const [state] = await this.t.dataSource.query<
        { open: number; drafts: number; pending: number }[]
      >(
        `SELECT (SELECT count(*)::int FROM trips t WHERE t.tenant_id = $1 AND t.status = 'registration_open'
                   AND EXISTS (SELECT 1 FROM stations s WHERE s.trip_id = t.id)
                   AND EXISTS (SELECT 1 FROM participants p WHERE p.trip_id = t.id)) AS open,
                (SELECT count(*)::int FROM trips WHERE tenant_id = $1 AND status = 'draft') AS drafts,
                (SELECT count(*)::int FROM invitations i JOIN trips t ON t.id = i.trip_id
                  WHERE i.tenant_id = $1 AND i.status = 'pending' AND t.status = 'registration_open') AS pending`,
        [agency.tenantId],
      );
      if (!state || state.open === 0 || state.pending === 0) {
        await this.seedTripFamily(agency);
        this.replenished++;
      }
      if (!state || state.drafts === 0) {
        await this.createDraftTrip(agency);
        this.replenished++;
      }
    }
  }

  /** An open trip with two stations, two participants (one with a passport) and two pending invitations. */
  private async seedTripFamily(agency: Agency): Promise<void> {
    const auth = bearer(agency.owner.accessToken);
    const http = () => this.t.http();
    const organisation = await http()
      .post('/api/v1/partner-organisations')
      .set(auth)
      .send({
        name: `Jenoptik AG ${randomUUID().slice(0, 4)}`,
        kind: 'company',
        country: 'DE',
        sectors: ['photonics'],
      })
      .expect(201);
    const organisationId = (organisation.body as { id: string }).id;
    await http()
      .post('/api/v1/partner-organisations')
      .set(auth)
      .send({ name: 'Atameken', kind: 'chamber', country: 'KZ' })
      .expect(201);
    const contacts = [
      ...(await addContacts(this.t, agency, 2, {
        fields: { partnerOrganisationId: organisationId },
      })),
      ...(await addContacts(this.t, agency, 3, { mixLanguages: true })),
    ];
    await http()
      .post('/api/v1/contacts')
      .set(auth)
      .send({ lastName: 'Ohne-Adresse', firstName: 'Olga' })
      .expect(201);
    const trip = await openTrip(this.t, agency, {
      coOrganiserIds: [organisationId],
      sectors: ['optics'],
    });
    const participants: string[] = [];
    for (const contact of contacts.slice(0, 2)) {
      const created = await http()
        .post(`/api/v1/trips/${trip.id}/participants`)
        .set(auth)
        .send({ contactId: contact.id, role: 'member', category: 'business', visaRequired: true })
        .expect(201);
      participants.push((created.body as { id: string }).id);
    }
    await http()
      .put(`/api/v1/trips/${trip.id}/participants/${participants[0]}/travel-document`)
      .set(auth)
      .send(PASSPORT)
      .expect(200);
    const stations = await http().get(`/api/v1/trips/${trip.id}/stations`).set(auth).expect(200);
    const [station] = (stations.body as { items: { id: string; arrivalDate: string }[] }).items;
    await http()
      .post(`/api/v1/trips/${trip.id}/meetings`)
      .set(auth)
      .send({
        title: 'Ministry of Trade',
        kind: 'government_talk',
        stationId: station.id,
        startsAt: `${station.arrivalDate}T10:00`,
        endsAt: `${station.arrivalDate}T11:00`,
        attendeeIds: participants,
        counterparts: { organisationIds: [organisationId] },
      })
      .expect(201);
    await http()
      .post(`/api/v1/trips/${trip.id}/announcements`)
      .set(auth)
      .send({
        subject: { de: 'Treffpunkt' },
        body: { de: 'Wir treffen uns um **06:30**.' },
        sendAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
      })
      .expect(201);
    const agreement = await http()
      .post('/api/v1/agreements')
      .set(auth)
      .send({
        title: 'MoU on vocational training',
        kind: 'mou',
        category: 'business',
        tripId: trip.id,
        parties: [{ organisationId, signatoryContactIds: [contacts[0].id] }],
      })
      .expect(201);
    // A receiver that refuses connections (localhost is allowed in the fuzz run), and one
    // delivery in its log.
    const endpoint = await http()
      .post('/api/v1/webhook-endpoints')
      .set(auth)
      .send({ url: 'http://localhost:9/hooks', eventTypes: ['*'] })
      .expect(201);
    await http()
      .post(`/api/v1/webhook-endpoints/${(endpoint.body as { id: string }).id}/test`)
      .set(auth)
      .expect(200);
    await http()
      .post(`/api/v1/agreements/${(agreement.body as { id: string }).id}/follow-ups`)
      .set(auth)
      .send({ title: 'Send the curriculum', dueOn: inDays(30), ownerUserId: agency.owner.id })
      .expect(201);
    await http()
      .post(`/api/v1/trips/${trip.id}/invitations`)
      .set(auth)
      .send({
        contactIds: contacts.slice(2, 4).map((contact) => contact.id),
        message: 'Herzlich willkommen!',
      })
      .expect(200);
  }

  private async createDraftTrip(agency: Agency): Promise<void> {
    const auth = bearer(agency.owner.accessToken);
    const trip = await this.t
      .http()
      .post('/api/v1/trips')
      .set(auth)
      .send({
        title: 'Entwurf Mongolei',
        kind: 'delegation',
        countries: ['MN'],
        startDate: inDays(90),
        endDate: inDays(95),
        capacity: 8,
      })
      .expect(201);
    await this.t
      .http()
      .post(`/api/v1/trips/${(trip.body as { id: string }).id}/stations`)
      .set(auth)
      .send({
        city: 'Ulaanbaatar',
        country: 'MN',
        timezone: 'Asia/Ulaanbaatar',
        arrivalDate: inDays(90),
        departureDate: inDays(95),
      })
      .expect(201);
  }

  /** Reads every pool from the database again (lively rows first: the generators favour low indexes). */
  private async refresh(): Promise<void> {
    const tenants = [this.desk.tenantId, this.rival.tenantId];
    const principalUsers = [this.owner.id, this.viewer.id, this.otherOwner.id];
    const q = <T>(sql: string, parameters: unknown[] = [tenants]) =>
      this.t.dataSource.query<(T & { tenant_id: string })[]>(sql, parameters);
    const users = await q<{ id: string; email: string }>(
      `SELECT id, tenant_id, email FROM users WHERE tenant_id = ANY($1) AND id <> ALL($2)
        ORDER BY active DESC, created_at, id`,
      [tenants, principalUsers],
    );
    const apiKeys = await q<{ id: string }>(
      `SELECT id, tenant_id FROM api_keys WHERE tenant_id = ANY($1) AND id <> $2 ORDER BY created_at, id`,
      [tenants, this.apiKey.id],
    );
    const organisations = await q<{ id: string }>(
      `SELECT id, tenant_id FROM partner_organisations WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const contacts = await q<{ id: string }>(
      `SELECT id, tenant_id FROM contacts WHERE tenant_id = ANY($1)
        ORDER BY erased_at IS NULL DESC, email IS NOT NULL DESC, created_at, id`,
    );
    const notifications = await q<{ id: string }>(
      `SELECT id, tenant_id FROM notifications WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const trips = await q<{ id: string; public_id: string }>(
      `SELECT id, tenant_id, public_id FROM trips WHERE tenant_id = ANY($1)
        ORDER BY status = 'registration_open' DESC, status = 'draft' DESC, created_at DESC, id`,
    );
    const stations = await q<{ id: string; trip_id: string }>(
      `SELECT id, tenant_id, trip_id FROM stations WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const participants = await q<{ id: string; trip_id: string; access_nonce: string }>(
      `SELECT p.id, p.tenant_id, p.trip_id, p.access_nonce FROM participants p
         JOIN trips t ON t.id = p.trip_id
         LEFT JOIN travel_documents d ON d.participant_id = p.id
        WHERE p.tenant_id = ANY($1)
        ORDER BY t.status = 'registration_open' DESC, d.participant_id IS NOT NULL DESC, p.created_at DESC, p.id`,
    );
    const invitations = await q<{ id: string; trip_id: string; token_nonce: string }>(
      `SELECT i.id, i.tenant_id, i.trip_id, i.token_nonce FROM invitations i JOIN trips t ON t.id = i.trip_id
        WHERE i.tenant_id = ANY($1)
        ORDER BY i.status = 'pending' AND t.status = 'registration_open' DESC, i.created_at DESC, i.id`,
    );
    const meetings = await q<{ id: string; trip_id: string }>(
      `SELECT id, tenant_id, trip_id FROM meetings WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const announcements = await q<{ id: string; trip_id: string }>(
      `SELECT id, tenant_id, trip_id FROM announcements WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const agreements = await q<{ id: string }>(
      `SELECT id, tenant_id FROM agreements WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const followUps = await q<{ id: string; agreement_id: string }>(
      `SELECT id, tenant_id, agreement_id FROM follow_ups WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const webhookEndpoints = await q<{ id: string }>(
      `SELECT id, tenant_id FROM webhook_endpoints WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    const webhookDeliveries = await q<{ id: string }>(
      `SELECT id, tenant_id FROM webhook_deliveries WHERE tenant_id = ANY($1) ORDER BY created_at, id`,
    );
    this.loginEmails = [...users.map((user) => user.email).slice(0, 30), 'nobody@example.org'];
    const pools = (tenantId: string): TenantPools => {
      const mine = <T extends { tenant_id: string }>(rows: T[]) =>
        rows.filter((row) => row.tenant_id === tenantId);
      const ids = (rows: { id: string; tenant_id: string }[]) => mine(rows).map((row) => row.id);
      const under = (rows: { id: string; trip_id: string }[], tripId: string) =>
        rows.filter((row) => row.trip_id === tripId).map((row) => row.id);
      return {
        tenantId,
        users: ids(users),
        apiKeys: ids(apiKeys),
        organisations: ids(organisations),
        contacts: ids(contacts),
        notifications: ids(notifications),
        trips: mine(trips).map((trip) => ({
          tripId: trip.id,
          stationIds: under(stations, trip.id),
          participantIds: under(participants, trip.id),
          invitationIds: under(invitations, trip.id),
          meetingIds: under(meetings, trip.id),
          announcementIds: under(announcements, trip.id),
        })),
        stations: ids(stations),
        participants: ids(participants),
        invitations: ids(invitations),
        meetings: ids(meetings),
        announcements: ids(announcements),
        agreements: mine(agreements).map((agreement) => ({
          agreementId: agreement.id,
          followUpIds: followUps
            .filter((followUp) => followUp.agreement_id === agreement.id)
            .map((followUp) => followUp.id),
        })),
        followUps: ids(followUps),
        webhookEndpoints: ids(webhookEndpoints),
        webhookDeliveries: ids(webhookDeliveries),
        invitationTokens: mine(invitations).map((row) =>
          this.tokens.sign('invitation', row.id, row.token_nonce),
        ),
        registrationTokens: mine(participants).map((row) =>
          this.tokens.sign('registration', row.id, row.access_nonce),
        ),
        tripPublicIds: mine(trips).map((trip) => trip.public_id),
        itineraryFeeds: mine(participants).map(
          (row) => `${this.tokens.sign('itinerary', row.id, row.access_nonce)}.ics`,
        ),
      };
    };
    this.own = pools(this.desk.tenantId);
    this.other = pools(this.rival.tenantId);
  }

  /** The pool of ids of `kind` in `pools`. */
  static idsOf(pools: TenantPools, kind: IdKind): string[] {
    const pool = POOL_OF[kind];
    if (pool === 'trips') return pools.trips.map((trip) => trip.tripId);
    if (pool === 'agreements') return pools.agreements.map((agreement) => agreement.agreementId);
    return pools[pool];
  }

  /** The password a staff principal signs in with now (for `currentPassword`). */
  passwordOf(principal: 'owner' | 'viewer'): string {
    return this[principal].password;
  }
}
