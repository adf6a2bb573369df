import { PiiCipher } from '../src/common/crypto/pii-cipher.js';
import { loadConfig } from '../src/config/app-config.js';
import { JobName } from '../src/queue/jobs.js';
import { Queues } from '../src/queue/queues.js';
import { PROBLEM } from './support/api.js';
import { addApiKey, addStaff, bearer, signUpAgency, type Agency } from './support/identity.js';
import { addParticipant, createTrip, PASSPORT, recordPassport } from './support/factories.js';
import { runCli } from './support/cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface TenantBody {
  id: string;
  name: string;
  defaultLocale: string;
  timezone: string;
  travelDocumentRetentionDays: number;
  passportValidityMarginMonths: number;
  version: number;
}

interface Readiness {
  travelling: number;
  visaRequired: number;
  visasNotGranted: number;
  travelDocumentsMissing: number;
  passportExpiryWarnings: number;
}

/**
 * The agency's settings for personal data (retention of travel documents,
 * passport validity margin), the trip's readiness built on them, the
 * scheduled purge of travel documents and the rotation of encryption keys.
 */
describe('tenant settings, readiness and retention of travel documents', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ worker: true });
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    auth = bearer(desk.owner.accessToken);
  });

  afterAll(() => t.close());

  /** "Today" as the agency (Europe/Berlin) sees it, from the database's clock. */
  async function berlinToday(offsetDays = 0): Promise<string> {
    const [row] = await t.dataSource.query<{ day: string }[]>(
      `SELECT to_char((now() AT TIME ZONE 'Europe/Berlin')::date + $1::int, 'YYYY-MM-DD') AS day`,
      [offsetDays],
    );
    return row.day;
  }

  /** A delegation to Korea on these dates. */
  const koreaTrip = (startDate: string, endDate: string, title = 'Geschäftsreise Südkorea') => ({
    title,
    kind: 'delegation',
    countries: ['KR'],
    startDate,
    endDate,
    capacity: 15,
  });

  /** Someone new to register, numbered: who it is does not matter here. */
  let contacts = 0;
  const jana = () => ({ contact: { firstName: 'Jana', lastName: `Vogt ${++contacts}` } });

  /** A passport on file that expires on `expiresOn`. */
  const passport = (expiresOn: string) => ({ ...PASSPORT, issuedOn: '2019-03-01', expiresOn });

  const documentsOf = async (tripId: string) =>
    (
      await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM travel_documents d
           JOIN participants p ON p.id = d.participant_id WHERE p.trip_id = $1`,
        [tripId],
      )
    )[0].n;

  describe('GET/PATCH /tenant', () => {
    it('shows the defaults: 30 days of retention, a 6-month passport margin', async () => {
      const response = await t.http().get('/api/v1/tenant').set(auth).expect(200);
      expect(response.body).toMatchObject({
        id: desk.tenantId,
        name: 'Thüringen International',
        defaultLocale: 'de',
        timezone: 'Europe/Berlin',
        travelDocumentRetentionDays: 30,
        passportValidityMarginMonths: 6,
      });
      expect(response.headers.etag).toBe(`"${(response.body as TenantBody).version}"`);
    });

    it('an admin changes the settings; the change is audited and If-Match guards it', async () => {
      const admin = await addStaff(t, desk, 'admin');
      const before = (await t.http().get('/api/v1/tenant').set(auth).expect(200))
        .body as TenantBody;
      const changed = await t
        .http()
        .patch('/api/v1/tenant')
        .set(bearer(admin.accessToken))
        .set('If-Match', `"${before.version}"`)
        .send({ passportValidityMarginMonths: 3, travelDocumentRetentionDays: 14 })
        .expect(200);
      expect(changed.body).toMatchObject({
        passportValidityMarginMonths: 3,
        travelDocumentRetentionDays: 14,
        version: before.version + 1,
      });

      const stale = await t
        .http()
        .patch('/api/v1/tenant')
        .set(auth)
        .set('If-Match', `"${before.version}"`)
        .send({ travelDocumentRetentionDays: 60 });
      expect(stale.status).toBe(412);

      const events = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ action: 'tenant.updated' })
        .set(auth)
        .expect(200);
      expect((events.body as { items: unknown[] }).items[0]).toMatchObject({
        actorId: admin.id,
        changes: {
          passportValidityMarginMonths: { before: 6, after: 3 },
          travelDocumentRetentionDays: { before: 30, after: 14 },
        },
      });

      await t
        .http()
        .patch('/api/v1/tenant')
        .set(auth)
        .send({ passportValidityMarginMonths: 6, travelDocumentRetentionDays: 30 })
        .expect(200);
    });

    it('organisers, viewers and API keys cannot change them', async () => {
      const organiser = await addStaff(t, desk, 'organiser');
      const viewer = await addStaff(t, desk, 'viewer');
      const key = await addApiKey(t, desk, ['trips:write', 'directory:write']);
      for (const headers of [
        bearer(organiser.accessToken),
        bearer(viewer.accessToken),
        { 'X-API-Key': key.key },
      ]) {
        const response = await t
          .http()
          .patch('/api/v1/tenant')
          .set(headers)
          .send({ travelDocumentRetentionDays: 1 });
        expect(response.status).toBe(403);
        expect(response.headers['content-type']).toMatch(PROBLEM);
      }
      const viewed = await t.http().get('/api/v1/tenant').set(bearer(viewer.accessToken));
      expect(viewed.status).toBe(200);
      expect(viewed.body).toMatchObject({ travelDocumentRetentionDays: 30 });
    });

    it('refuses out-of-range values and unknown timezones, naming the field, and keeps the settings', async () => {
      for (const [body, field] of [
        [{ travelDocumentRetentionDays: -1 }, 'travelDocumentRetentionDays'],
        [{ travelDocumentRetentionDays: 1.5 }, 'travelDocumentRetentionDays'],
        [{ passportValidityMarginMonths: 25 }, 'passportValidityMarginMonths'],
        [{ timezone: 'UTC+6' }, 'timezone'],
        [{ defaultLocale: 'fr' }, 'defaultLocale'],
      ] as const) {
        const response = await t.http().patch('/api/v1/tenant').set(auth).send(body);
        expect(response.status).toBe(400);
        expect((response.body as { errors: { field: string }[] }).errors).toEqual([
          expect.objectContaining({ field }),
        ]);
      }
      const now = (await t.http().get('/api/v1/tenant').set(auth).expect(200)).body as TenantBody;
      expect(now).toMatchObject({
        travelDocumentRetentionDays: 30,
        passportValidityMarginMonths: 6,
      });
    });
  });

  describe("the trip's readiness", () => {
    it('counts the confirmed who need a visa, lack a passport on file or carry one expiring too soon', async () => {
      const trip = await createTrip(t, desk, koreaTrip('2027-09-02', '2027-09-06'));
      const ready = await addParticipant(t, desk, trip.id, {
        ...jana(),
        visaRequired: true,
        visaStatus: 'granted',
      });
      const expiring = await addParticipant(t, desk, trip.id, {
        ...jana(),
        visaRequired: true,
        visaStatus: 'applied',
      });
      await addParticipant(t, desk, trip.id, {
        ...jana(),
        visaRequired: true,
        visaStatus: 'to_apply',
      });
      await addParticipant(t, desk, trip.id, { ...jana(), role: 'staff' });
      await recordPassport(t, desk, ready, passport('2030-01-31'));
      // Trip ends 2027-09-06; with 6 months of margin the passport must last until 2028-03-06.
      await recordPassport(t, desk, expiring, passport('2028-03-05'));

      const read = await t.http().get(`/api/v1/trips/${trip.id}`).set(auth).expect(200);
      expect((read.body as { readiness: Readiness }).readiness).toEqual({
        travelling: 4,
        visaRequired: 3,
        visasNotGranted: 2,
        travelDocumentsMissing: 1,
        passportExpiryWarnings: 1,
      });

      // A shorter margin takes the warning away, on the trip and on the document alike.
      await t
        .http()
        .patch('/api/v1/tenant')
        .set(auth)
        .send({ passportValidityMarginMonths: 5 })
        .expect(200);
      const after = await t.http().get(`/api/v1/trips/${trip.id}`).set(auth).expect(200);
      expect((after.body as { readiness: Readiness }).readiness.passportExpiryWarnings).toBe(0);
      const document = await t
        .http()
        .get(`/api/v1/trips/${trip.id}/participants/${expiring.id}/travel-document`)
        .set(auth)
        .expect(200);
      expect(document.body).toMatchObject({
        validityRequiredUntil: '2028-02-06',
        expiryWarning: false,
      });
      await t
        .http()
        .patch('/api/v1/tenant')
        .set(auth)
        .send({ passportValidityMarginMonths: 6 })
        .expect(200);
    });
  });

  describe('the scheduled purge of travel documents', () => {
    it("deletes them once the trip ended more than the retention ago, in the agency's timezone, and audits it", async () => {
      const longAgo = await createTrip(
        t,
        desk,
        koreaTrip('2022-09-25', '2022-10-02', 'Kasachstan 2022'),
      );
      const justPast = await createTrip(
        t,
        desk,
        koreaTrip(await berlinToday(-40), await berlinToday(-31), 'Gestern'),
      );
      const onTheDay = await createTrip(
        t,
        desk,
        koreaTrip(await berlinToday(-40), await berlinToday(-30), 'Heute'),
      );
      const upcoming = await createTrip(
        t,
        desk,
        koreaTrip('2027-04-23', '2027-04-29', 'Zentralasien 2027'),
      );
      for (const trip of [longAgo, justPast, onTheDay, upcoming]) {
        const participant = await addParticipant(t, desk, trip.id, jana());
        await recordPassport(t, desk, participant, passport('2031-05-01'));
      }
      const other = await signUpAgency(t, { tenantName: 'Bayern International' });
      const otherTrip = await createTrip(t, other, {
        title: 'Kasachstan 2022',
        kind: 'delegation',
        countries: ['KZ'],
        startDate: '2022-09-25',
        endDate: '2022-10-02',
        capacity: 5,
      });
      // That agency keeps travel documents for ten years.
      await t
        .http()
        .patch('/api/v1/tenant')
        .set(bearer(other.owner.accessToken))
        .send({ travelDocumentRetentionDays: 3650 })
        .expect(200);
      const otherParticipant = await addParticipant(t, other, otherTrip.id, {
        contact: { lastName: 'Huber' },
      });
      await recordPassport(t, other, otherParticipant, {
        passportNumber: 'X1234567',
        nationality: 'DE',
        issuingCountry: 'DE',
        expiresOn: '2031-01-01',
      });

      const result = await t.app
        .get(Queues)
        .enqueueAndWait(JobName.SystemPurgeTravelDocuments, {}, 15_000);
      expect(result.deleted).toBeGreaterThanOrEqual(2);

      expect(await documentsOf(longAgo.id)).toBe(0);
      expect(await documentsOf(justPast.id)).toBe(0);
      expect(await documentsOf(onTheDay.id)).toBe(1);
      expect(await documentsOf(upcoming.id)).toBe(1);
      expect(await documentsOf(otherTrip.id)).toBe(1);

      const events = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ action: 'travel_documents.purged', entityId: longAgo.id })
        .set(auth)
        .expect(200);
      expect((events.body as { items: unknown[] }).items).toEqual([
        expect.objectContaining({
          actorType: 'system',
          entityType: 'trip',
          changes: { travelDocuments: { before: 1, after: 0 } },
        }),
      ]);

      // Nothing left to purge: running it again deletes nothing.
      const again = await t.app
        .get(Queues)
        .enqueueAndWait(JobName.SystemPurgeTravelDocuments, {}, 15_000);
      expect(again.deleted).toBe(0);
    });
  });

  describe('rotating the encryption key', () => {
    it('reencrypt re-seals every number with the new key; the numbers stay the same', async () => {
      const trip = await createTrip(t, desk, koreaTrip('2027-06-01', '2027-06-05', 'Rotation'));
      const participants = [
        await addParticipant(t, desk, trip.id, jana()),
        await addParticipant(t, desk, trip.id, jana()),
      ];
      for (const participant of participants) {
        await recordPassport(t, desk, participant, passport('2031-05-01'));
      }
      const updatedAt = () =>
        t.dataSource.query<{ participant_id: string; updated_at: Date }[]>(
          `SELECT participant_id, updated_at FROM travel_documents ORDER BY participant_id`,
        );
      const updatedBefore = await updatedAt();
      const newKey = `k2027:${Buffer.alloc(32, 9).toString('base64')}`;
      const keys = [newKey, ...t.config.PII_ENCRYPTION_KEYS].join(',');
      const cli = runCli(t, ['reencrypt'], { PII_ENCRYPTION_KEYS: keys });
      expect((await cli.exited).code).toBe(0);
      expect(cli.stdout()).toMatch(/Re-sealed [1-9]\d* travel document\(s\), .* with key "k2027"/);

      const rows = await t.dataSource.query<
        {
          participant_id: string;
          key_id: string;
          passport_number_sealed: Buffer;
          version: number;
        }[]
      >(`SELECT participant_id, key_id, passport_number_sealed, version FROM travel_documents`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.key_id === 'k2027')).toBe(true);
      // Only the new key is needed now: the old one can be dropped from the configuration.
      const onlyNew = new PiiCipher(loadConfig({ PII_ENCRYPTION_KEYS: newKey }));
      for (const participant of participants) {
        const row = rows.find((r) => r.participant_id === participant.id)!;
        expect(
          onlyNew.open({ keyId: row.key_id, data: row.passport_number_sealed }, participant.id),
        ).toBe('C01X00T47');
        // Re-sealing is not a change of the document: its ETag stays.
        expect(row.version).toBe(1);
      }
      expect(await updatedAt()).toEqual(updatedBefore);
    });
  });
});
