import { PiiCipher } from '../src/common/crypto/pii-cipher.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { addParticipant, createContact, createTrip } from './support/factories.js';
import { runCli } from './support/cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NUMBER = 'C01X00T47';

/**
 * PostgreSQL matches a uuid in any letter case; the passport's sealing binds
 * the participant's id. A request spelling the id in upper case must not make
 * the passport unreadable, and rows sealed that way before must still open
 * and be re-sealed by the rotation command.
 */
describe('ids in any letter case, and passports sealed under them', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await signUpAgency(t);
    auth = bearer(desk.owner.accessToken);
  });
  afterAll(() => t.close());

  async function tripWithParticipant(): Promise<{ tripId: string; participantId: string }> {
    const { id: tripId } = await createTrip(t, desk, {
      title: 'Geschäftsreise Kasachstan',
      kind: 'delegation',
      countries: ['KZ'],
      startDate: '2027-09-25',
      endDate: '2027-10-02',
      capacity: 10,
    });
    const participant = await addParticipant(t, desk, tripId, {
      contact: { firstName: 'Jana', lastName: 'Vogt', email: `jana.${tripId}@example.org` },
    });
    return { tripId, participantId: participant.id };
  }

  const passport = (passportNumber = NUMBER) => ({
    passportNumber,
    nationality: 'DE',
    issuingCountry: 'DE',
    expiresOn: '2032-05-01',
  });

  const documentUrl = (tripId: string, participantId: string) =>
    `/api/v1/trips/${tripId}/participants/${participantId}/travel-document`;

  async function readEverywhere(tripId: string, participantId: string): Promise<void> {
    const document = await t.http().get(documentUrl(tripId, participantId)).set(auth).expect(200);
    expect(document.body).toMatchObject({ passportNumber: NUMBER });

    const csv = await t
      .http()
      .get(`/api/v1/trips/${tripId}/participants/export`)
      .query({ format: 'csv', includePassportNumbers: 'true' })
      .set(auth)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    expect(csv.body as string).toContain(NUMBER);

    const [{ contact_id: contactId }] = await t.dataSource.query<{ contact_id: string }[]>(
      'SELECT contact_id FROM participants WHERE id = $1',
      [participantId],
    );
    const personal = await t
      .http()
      .get(`/api/v1/contacts/${contactId}/personal-data`)
      .set(auth)
      .expect(200);
    expect(JSON.stringify(personal.body)).toContain(NUMBER);
  }

  it('a passport stored through an upper-case id stays readable everywhere, and can be replaced', async () => {
    const { tripId, participantId } = await tripWithParticipant();
    const stored = await t
      .http()
      .put(documentUrl(tripId.toUpperCase(), participantId.toUpperCase()))
      .set(auth)
      .send(passport())
      .expect(200);
    expect((stored.body as { participantId: string }).participantId).toBe(participantId);

    await readEverywhere(tripId, participantId);
    await t
      .http()
      .put(documentUrl(tripId, participantId))
      .set(auth)
      .send(passport('C01X00T48'))
      .expect(200);
    const replaced = await t.http().get(documentUrl(tripId, participantId)).set(auth).expect(200);
    expect(replaced.body).toMatchObject({ passportNumber: 'C01X00T48' });
  });

  function runRotation() {
    // `reencrypt` by its former name, which runbooks may still use.
    return runCli(t, ['reencrypt-travel-documents'], {
      PII_ENCRYPTION_KEYS: t.config.PII_ENCRYPTION_KEYS.join(','),
    });
  }

  it('a row sealed under the upper-case spelling (as before this fix) opens, and the rotation command re-seals it under the stored id', async () => {
    const { tripId, participantId } = await tripWithParticipant();
    await t.http().put(documentUrl(tripId, participantId)).set(auth).send(passport()).expect(200);
    const cipher = t.app.get(PiiCipher);
    const legacy = cipher.seal(NUMBER, participantId.toUpperCase());
    await t.dataSource.query(
      'UPDATE travel_documents SET passport_number_sealed = $2 WHERE participant_id = $1',
      [participantId, legacy.data],
    );
    expect(() => cipher.open(legacy, participantId)).toThrow();

    await readEverywhere(tripId, participantId);

    const cli = runRotation();
    expect((await cli.exited).code).toBe(0);
    const [row] = await t.dataSource.query<{ key_id: string; passport_number_sealed: Buffer }[]>(
      'SELECT key_id, passport_number_sealed FROM travel_documents WHERE participant_id = $1',
      [participantId],
    );
    expect(
      cipher.open({ keyId: row.key_id, data: row.passport_number_sealed }, participantId),
    ).toBe(NUMBER);
  });

  it('one unreadable row does not stop the rotation: it is reported, every other row is re-sealed, the exit code says so', async () => {
    const { tripId: firstTrip, participantId: broken } = await tripWithParticipant();
    const { tripId: secondTrip, participantId: legacyId } = await tripWithParticipant();
    await t.http().put(documentUrl(firstTrip, broken)).set(auth).send(passport()).expect(200);
    await t.http().put(documentUrl(secondTrip, legacyId)).set(auth).send(passport()).expect(200);
    const cipher = t.app.get(PiiCipher);
    await t.dataSource.query(
      'UPDATE travel_documents SET passport_number_sealed = $2 WHERE participant_id = $1',
      [broken, Buffer.alloc(48, 1)],
    );
    await t.dataSource.query(
      'UPDATE travel_documents SET passport_number_sealed = $2 WHERE participant_id = $1',
      [legacyId, cipher.seal(NUMBER, legacyId.toUpperCase()).data],
    );

    const cli = runRotation();
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toContain(`Cannot open the travel document of participant ${broken}`);
    expect(cli.stderr()).toMatch(/1 travel document\(s\) could not be re-sealed/);
    expect(cli.stdout()).toMatch(/Re-sealed [1-9]\d* travel document\(s\)/);
    const [row] = await t.dataSource.query<{ key_id: string; passport_number_sealed: Buffer }[]>(
      'SELECT key_id, passport_number_sealed FROM travel_documents WHERE participant_id = $1',
      [legacyId],
    );
    expect(cipher.open({ keyId: row.key_id, data: row.passport_number_sealed }, legacyId)).toBe(
      NUMBER,
    );
  });

  it('ids in path and body are answered, linked and audited in one spelling', async () => {
    const { tripId } = await tripWithParticipant();
    const { id: contactId } = await createContact(t, desk, {
      firstName: 'Aigerim',
      lastName: 'Sadykova',
      email: undefined,
    });
    const created = await t
      .http()
      .post(`/api/v1/trips/${tripId.toUpperCase()}/participants`)
      .set(auth)
      .send({ contactId: contactId.toUpperCase(), role: 'member', category: 'business' })
      .expect(201);
    const participant = created.body as { id: string; tripId: string; contactId: string };
    expect(participant.tripId).toBe(tripId);
    expect(participant.contactId).toBe(contactId);
    expect(created.headers.location).toBe(`/api/v1/trips/${tripId}/participants/${participant.id}`);
    const events = await t.dataSource.query<{ entity_id: string }[]>(
      'SELECT entity_id::text FROM audit_events WHERE entity_id = $1',
      [participant.id],
    );
    expect(events.length).toBeGreaterThan(0);
  });

  it('a retry that spells the path id differently replays the first answer (Idempotency-Key)', async () => {
    const { tripId } = await tripWithParticipant();
    const body = {
      contact: { firstName: 'Aigerim', lastName: 'Sadykova' },
      role: 'member',
      category: 'business',
    };
    const key = `register-${tripId}`;
    const first = await t
      .http()
      .post(`/api/v1/trips/${tripId.toUpperCase()}/participants`)
      .set(auth)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    const retry = await t
      .http()
      .post(`/api/v1/trips/${tripId}/participants`)
      .set(auth)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
  });
});
