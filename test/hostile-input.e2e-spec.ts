import { connect } from 'node:net';
import { PublicTokens } from '../src/common/links/public-tokens.js';
import { expectProblem } from './support/api.js';
import { bearer, PASSWORD, signUpAgency, type Agency } from './support/identity.js';
import { addParticipant, createTrip, tripIn } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Values a careless integration or an attacker sends, each of which once
 * reached the database or a recursive validator and became a 500: each is
 * now a 400 naming the field, and changes nothing.
 */
describe('hostile input is refused at the edge', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await signUpAgency(t);
    auth = bearer(desk.owner.accessToken);
  });
  afterAll(() => t.close());

  const count = async (table: string) =>
    (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  const tripBody = (fields: Record<string, unknown> = {}) => ({
    title: 'Geschäftsreise',
    kind: 'delegation',
    countries: ['KZ'],
    startDate: '2027-09-25',
    endDate: '2027-10-02',
    capacity: 5,
    ...fields,
  });

  /** Someone to register: the contact is not what these tests are about. */
  const JANA = { contact: { firstName: 'Jana', lastName: 'Vogt' } };

  function expectField(
    response: Parameters<typeof expectProblem>[0],
    field: string,
    message: RegExp,
  ) {
    const problem = expectProblem(response, 400, 'validation_failed');
    expect(problem.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
  }

  describe('NUL characters', () => {
    it('in a body field, top-level or nested, naming it; nothing is stored', async () => {
      const before = await count('contacts');
      expectField(
        await t
          .http()
          .post('/api/v1/contacts')
          .set(auth)
          .send({ firstName: 'Jana\u0000', lastName: 'Vogt' }),
        'firstName',
        /NUL/,
      );
      const { id: tripId } = await createTrip(t, desk, tripBody());
      expectField(
        await t
          .http()
          .post(`/api/v1/trips/${tripId}/participants`)
          .set(auth)
          .send({
            contact: { firstName: 'Jana', lastName: 'Vogt' },
            role: 'member',
            category: 'business',
            answers: { arrival: 'by train\u0000' },
          }),
        'answers.arrival',
        /NUL/,
      );
      expect(await count('contacts')).toBe(before);
      expect(await count('participants')).toBe(0);
    });

    it('in a search query', async () => {
      expectField(
        await t.http().get('/api/v1/contacts').query({ q: 'Vo\u0000gt' }).set(auth),
        'q',
        /NUL/,
      );
    });

    it('in a login, before any credential is checked', async () => {
      expectField(
        await t
          .http()
          .post('/api/v1/auth/login')
          .send({ email: desk.owner.email, password: `${PASSWORD}\u0000` }),
        'password',
        /NUL/,
      );
    });
  });

  describe('lone surrogates (ill-formed UTF-16)', () => {
    it('in a login and in a body field that would reach the audit trail', async () => {
      expectField(
        await t
          .http()
          .post('/api/v1/auth/login')
          .send({ email: 'a\ud800@example.org', password: 'x' }),
        'email',
        /lone surrogate/,
      );
      const before = await count('audit_events');
      expectField(
        await t
          .http()
          .post('/api/v1/partner-organisations')
          .set(auth)
          .send({ name: 'Petkus \udc00', kind: 'company', country: 'DE' }),
        'name',
        /lone surrogate/,
      );
      expect(await count('audit_events')).toBe(before);
    });

    it('a surrogate pair (an emoji) is ordinary text', async () => {
      await t
        .http()
        .post('/api/v1/partner-organisations')
        .set(auth)
        .send({ name: 'Petkus 🌱 Technologie', kind: 'company', country: 'DE' })
        .expect(201);
    });
  });

  describe('deep nesting', () => {
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

    it.each(['/api/v1/auth/login', '/api/v1/auth/signup', '/api/v1/contacts'])(
      'a body nested 3,000 levels deep is a 400 at %s, with or without login',
      async (path) => {
        const response = await t
          .http()
          .post(path)
          .set(auth)
          .set('content-type', 'application/json')
          .send(deep(3000));
        const problem = expectProblem(response, 400, 'validation_failed');
        expect(problem.errors?.[0]?.message).toBe('must not nest deeper than 32 levels');
      },
    );
  });

  describe('dates outside any trip or passport', () => {
    it.each([
      ['startDate', { startDate: '0000-01-01' }],
      ['endDate', { endDate: '9999-12-31' }],
      ['startDate', { startDate: '1899-12-31' }],
      ['registrationClosesAt', { registrationClosesAt: '0000-01-01T00:00:00Z' }],
      ['registrationClosesAt', { registrationClosesAt: '9999-12-31T00:00:00Z' }],
    ])('%s %j is a 400, and no trip is stored', async (field, fields) => {
      const before = await count('trips');
      const response = await t.http().post('/api/v1/trips').set(auth).send(tripBody(fields));
      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.field)).toEqual([field]);
      expect(problem.errors?.[0]?.message).toMatch(/1900 to 2199/);
      expect(await count('trips')).toBe(before);
    });

    it('a date-time without an offset is refused, not read in the server zone', async () => {
      const response = await t
        .http()
        .post('/api/v1/trips')
        .set(auth)
        .send(tripBody({ registrationClosesAt: '2027-08-01T12:00:00' }));
      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.[0]).toEqual({
        field: 'registrationClosesAt',
        message: expect.stringContaining('with Z or an offset'),
      });
    });

    it('a passport valid until 9999 is refused (it once became year +010000 in the expiry check)', async () => {
      const { id: tripId } = await createTrip(t, desk, tripBody());
      const { id: participantId } = await addParticipant(t, desk, tripId, JANA);
      const response = await t
        .http()
        .put(`/api/v1/trips/${tripId}/participants/${participantId}/travel-document`)
        .set(auth)
        .send({
          passportNumber: 'C01X00T47',
          nationality: 'DE',
          issuingCountry: 'DE',
          expiresOn: '9999-12-31',
        });
      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.field)).toEqual(['expiresOn']);
      expect(await count('travel_documents')).toBe(0);
    });

    it('a list filter from year 0000 is a 400', async () => {
      expectField(
        await t
          .http()
          .get('/api/v1/contacts')
          .query({ updatedSince: '0000-01-01T00:00:00Z' })
          .set(auth),
        'updatedSince',
        /1900 to 2199/,
      );
    });
  });

  describe('an array or text where an object belongs', () => {
    /** 400 saying the field must be an object; any other error is about that field too. */
    function expectObjectRefused(response: Parameters<typeof expectProblem>[0], field: string) {
      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toContainEqual({ field, message: `${field} must be an object` });
      for (const error of problem.errors ?? []) expect(error.field.startsWith(field)).toBe(true);
    }

    async function openTripWithParticipant() {
      const { id: tripId } = await tripIn(
        t,
        desk,
        'registration_open',
        tripBody({ kind: 'market_exploration', registrationClosesAt: '2027-09-01T00:00:00Z' }),
      );
      return { tripId, participantId: (await addParticipant(t, desk, tripId, JANA)).id };
    }

    it.each([[[]], [[{ firstName: 'Jana', lastName: 'Vogt' }]], ['Jana Vogt']])(
      'a participant whose contact is %j is a 400 naming contact; nothing is stored',
      async (contact) => {
        const { tripId } = await openTripWithParticipant();
        const before = await count('participants');
        expectObjectRefused(
          await t
            .http()
            .post(`/api/v1/trips/${tripId}/participants`)
            .set(auth)
            .send({ contact, role: 'member', category: 'business' }),
          'contact',
        );
        expect(await count('participants')).toBe(before);
      },
    );

    it("a participant's own travelDocument sent as a list is a 400 through the self-service link", async () => {
      const { participantId } = await openTripWithParticipant();
      const [{ access_nonce: nonce }] = await t.dataSource.query<{ access_nonce: string }[]>(
        'SELECT access_nonce FROM participants WHERE id = $1',
        [participantId],
      );
      const token = t.app.get(PublicTokens).sign('registration', participantId, nonce);
      expectObjectRefused(
        await t
          .http()
          .patch(`/api/v1/public/registrations/${token}`)
          .send({ travelDocument: [{ passportNumber: 'C01X00T47' }] }),
        'travelDocument',
      );
      expect(await count('travel_documents')).toBe(0);
    });
  });

  describe('URLs the router refuses', () => {
    it('a path segment too long is 414 problem+json that does not echo the path', async () => {
      const token = `${'A'.repeat(22)}.${'b'.repeat(150)}`;
      const response = await t.http().get(`/api/v1/public/invitations/${token}`);
      const problem = expectProblem(response, 414, 'uri_too_long');
      expect(JSON.stringify(problem)).not.toContain('bbbbbbbbbb');
      expect(response.headers['x-request-id']).toBeDefined();
    });
  });

  describe('requests the HTTP parser cannot read', () => {
    /** Sends raw bytes to the listening API and resolves with everything it answers. */
    async function raw(bytes: string): Promise<string> {
      await t.app.listen({ port: 0, host: '127.0.0.1' }).catch(() => undefined);
      const { port } = new URL(await t.app.getUrl());
      return new Promise((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
        let answer = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
        socket.on('close', () => resolve(answer)).on('error', reject);
      });
    }

    it.each([
      ['a malformed request line', 'GARBAGE\r\n\r\n', 400, 'bad_request'],
      [
        'two different Content-Lengths',
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
        400,
        'bad_request',
      ],
      [
        'headers over 16 KB',
        `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'headers_too_large',
      ],
    ])('%s is answered with problem+json', async (_, bytes, status, code) => {
      const answer = await raw(bytes);
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(body)).toMatchObject({ status, code });
    });
  });
});
