import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import { JobName } from '../src/queue/jobs.js';
import { Queues } from '../src/queue/queues.js';
import {
  bufferParser,
  expectProblem,
  type AuditEventBody,
  type Body,
  type Headers,
  type Method,
  type PageBody,
} from './support/api.js';
import {
  addApiKey,
  addStaff,
  bearer,
  signUpAgency,
  type Agency,
  type Staff,
} from './support/identity.js';
import {
  addStation,
  createContact,
  createMeeting,
  createOrganisation,
  createTrip,
  tripBody,
  type ContactBody,
  type OrganisationBody,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** An agreement as the API returns it. */
interface AgreementBody {
  id: string;
  title: string;
  kind: string;
  category: string;
  status: string;
  statusSince: string;
  allowedTransitions: string[];
  parties: { organisationId: string; signatoryContactIds: string[] }[];
  agencyIsParty: boolean;
  tripId: string | null;
  meetingId: string | null;
  signedOn: string | null;
  validUntil: string | null;
  version: number;
}

/** A follow-up as the API returns it. */
interface FollowUpBody {
  id: string;
  agreementId: string;
  title: string;
  dueOn: string;
  ownerUserId: string;
  notes: string | null;
  done: boolean;
  overdue: boolean;
  doneAt: string | null;
  doneBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The agreement table's German headers, in file order. */
const GERMAN_HEADERS = [
  'Titel',
  'Art',
  'Bereich',
  'Status',
  'Status seit',
  'Partner',
  'Länder',
  'Unterzeichnet von',
  'Agentur ist Vertragspartei',
  'Unterzeichnet am',
  'Unterzeichnet in (Ort)',
  'Unterzeichnet in (Land)',
  'Gültig bis',
  'Reise',
  'Termin',
  'Offene Nachverfolgungen',
  'Schlagwörter',
  'Dokument',
  'Zusammenfassung',
];

const ENGLISH_HEADERS = [
  'Title',
  'Kind',
  'Category',
  'Status',
  'Status since',
  'Parties',
  'Countries',
  'Signed by',
  'Agency is a party',
  'Signed on',
  'Signed in (city)',
  'Signed in (country)',
  'Valid until',
  'Trip',
  'Meeting',
  'Open follow-ups',
  'Tags',
  'Document',
  'Summary',
];

/** Titles a spreadsheet would run as formulas. */
const HYPERLINK = '=HYPERLINK("http://evil","x")';
const SUM = '+SUM(1)';
const AT_CMD = '@cmd';

/** A day relative to today in `zone`, as the agency there sees it (`YYYY-MM-DD`). */
const dayIn = (zone: string, offsetDays = 0): string =>
  DateTime.now().setZone(zone).plus({ days: offsetDays }).toISODate()!;

/** The day after `isoDay`. */
const dayAfter = (isoDay: string): string =>
  DateTime.fromISO(isoDay, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;

const byDueThenId = (a: FollowUpBody, b: FollowUpBody) =>
  a.dueOn === b.dueOn ? (a.id < b.id ? -1 : 1) : a.dueOn < b.dueOn ? -1 : 1;

/**
 * Agreements beyond their own record, through HTTP against real PostgreSQL
 * and the worker: follow-ups and the "what is due" view in the agency's
 * timezone, expiry of agreements in force by the scheduled job, the CSV/XLSX
 * export agencies send to their ministry, the directory records agreements
 * hold on to, and erasure of a person who signed.
 */
describe('agreements: follow-ups, expiry, export, directory protection and erasure', () => {
  let t: TestApp;
  /** A German agency in Europe/Berlin (the defaults). */
  let desk: Agency;
  let rival: Agency;
  let organiser: Staff;
  let viewer: Staff;
  let departed: Staff;
  let readKey: string;
  let writeKey: string;
  let writeKeyId: string;
  let tripsKey: string;

  const owner = (agency: Agency = desk): Headers => bearer(agency.owner.accessToken);
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };

  /** Fails with the answer unless the API answered `status`. */
  function expectStatus(response: Response, status: number): void {
    if (response.status !== status) {
      throw new Error(
        `${response.request.method} ${response.request.url} answered ${response.status}, expected ${status}: ${JSON.stringify(response.body)}`,
      );
    }
  }

  async function ok<T>(
    headers: Headers,
    method: Method,
    path: string,
    body?: object,
    status = 200,
  ): Promise<T> {
    const response = await call(headers, method, path, body);
    expectStatus(response, status);
    return response.body as T;
  }

  async function auditEvents(agency: Agency, query: Record<string, string>) {
    const response = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ limit: 200, ...query })
      .set(owner(agency));
    expectStatus(response, 200);
    return (response.body as PageBody<AuditEventBody>).items;
  }

  /** A new (German) agency whose office is in `timezone`. */
  async function agencyIn(timezone: string, tenantName: string): Promise<Agency> {
    const agency = await signUpAgency(t, { tenantName });
    const settings = await ok<{ timezone: string }>(owner(agency), 'patch', '/tenant', {
      timezone,
    });
    expect(settings.timezone).toBe(timezone);
    return agency;
  }

  /** A draft agreement: an MoU with the party (and signatory) given. */
  function newAgreement(
    headers: Headers,
    parties: { organisationId: string; signatoryContactIds?: string[] }[],
    fields: Body = {},
  ): Promise<AgreementBody> {
    return ok<AgreementBody>(
      headers,
      'post',
      '/agreements',
      {
        title: `MoU zur Berufsbildung ${randomUUID().slice(0, 8)}`,
        kind: 'mou',
        category: 'business',
        parties,
        ...fields,
      },
      201,
    );
  }

  async function transition(
    headers: Headers,
    id: string,
    to: string,
    on?: string,
  ): Promise<AgreementBody> {
    return ok<AgreementBody>(headers, 'post', `/agreements/${id}/transitions`, { to, on });
  }

  /** An agreement with one party and signatory of `agency`, signed on `signedOn` and taken to `status`. */
  async function agreementIn(
    agency: Agency,
    status: 'negotiating' | 'signed' | 'in_force',
    fields: Body = {},
    signedOn = '2024-03-01',
  ): Promise<AgreementBody> {
    const organisation = await createOrganisation(t, agency, { country: 'KZ' });
    const signatory = await createContact(t, agency);
    const headers = owner(agency);
    const draft = await newAgreement(
      headers,
      [{ organisationId: organisation.id, signatoryContactIds: [signatory.id] }],
      fields,
    );
    let current = await transition(headers, draft.id, 'negotiating');
    if (status === 'negotiating') return current;
    current = await transition(headers, draft.id, 'signed', signedOn);
    if (status === 'signed') return current;
    return transition(headers, draft.id, 'in_force', dayAfter(signedOn));
  }

  const getAgreement = (agency: Agency, id: string) =>
    ok<AgreementBody>(owner(agency), 'get', `/agreements/${id}`);

  /** A new follow-up of an agreement (as the agency's owner unless `headers` say otherwise). */
  function newFollowUp(headers: Headers, agreementId: string, fields: Body): Promise<FollowUpBody> {
    return ok<FollowUpBody>(
      headers,
      'post',
      `/agreements/${agreementId}/follow-ups`,
      { title: 'Lehrplanentwurf an ATAMEKEN senden', ...fields },
      201,
    );
  }

  beforeAll(async () => {
    t = await startTestApp({ worker: true });
    [desk, rival] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Sachsen Global', name: 'Uwe Richter' }),
    ]);
    const [staff, keys] = await Promise.all([
      Promise.all([
        addStaff(t, desk, 'organiser', 'Jonas Becker'),
        addStaff(t, desk, 'viewer', 'Lena Hoffmann'),
        addStaff(t, desk, 'organiser', 'Paul Neumann'),
      ]),
      Promise.all([
        addApiKey(t, desk, ['agreements:read'], { name: 'Only agreements:read' }),
        addApiKey(t, desk, ['agreements:write'], { name: 'CRM sync' }),
        addApiKey(t, desk, ['trips:write'], { name: 'Only trips:write' }),
      ]),
    ]);
    [organiser, viewer, departed] = staff;
    [readKey, writeKey, tripsKey] = keys.map((key) => key.key);
    writeKeyId = keys[1].id;
    await ok(owner(), 'post', `/users/${departed.id}/deactivate`, {});
  });

  afterAll(async () => {
    await t?.close();
  });

  // ------------------------------------------------------------------ follow-ups

  describe('follow-ups of an agreement', () => {
    let agreement: AgreementBody;
    let rivalAgreement: AgreementBody;

    beforeAll(async () => {
      const [organisation, rivalOrganisation] = await Promise.all([
        createOrganisation(t, desk, { name: 'ATAMEKEN', country: 'KZ' }),
        createOrganisation(t, rival, { country: 'KZ' }),
      ]);
      [agreement, rivalAgreement] = await Promise.all([
        newAgreement(owner(), [{ organisationId: organisation.id }]),
        newAgreement(owner(rival), [{ organisationId: rivalOrganisation.id }]),
      ]);
    });

    const path = (followUpId = '') =>
      `/agreements/${agreement.id}/follow-ups${followUpId ? `/${followUpId}` : ''}`;

    it('is created (201 with its Location), read back with its ETag and listed with its agreement', async () => {
      const created = await call(owner(), 'post', path(), {
        title: '  Lehrplanentwurf an ATAMEKEN senden  ',
        dueOn: '2031-05-04',
        ownerUserId: organiser.id,
        notes: 'Mit Anlage B',
      });
      expect(created.status).toBe(201);
      const body = created.body as FollowUpBody;
      expect(created.headers.location).toBe(
        `/api/v1/agreements/${agreement.id}/follow-ups/${body.id}`,
      );
      expect(body).toMatchObject({
        agreementId: agreement.id,
        title: 'Lehrplanentwurf an ATAMEKEN senden',
        dueOn: '2031-05-04',
        ownerUserId: organiser.id,
        notes: 'Mit Anlage B',
        done: false,
        overdue: false,
        doneAt: null,
        doneBy: null,
        version: 1,
      });

      const read = await call(owner(), 'get', created.headers.location.replace('/api/v1', ''));
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(body);

      const listed = await ok<PageBody<FollowUpBody>>(owner(), 'get', path());
      expect(listed.items.map((item) => item.id)).toContain(body.id);
    });

    it('PATCH changes only the fields sent; notes can be cleared', async () => {
      const followUp = await newFollowUp(owner(), agreement.id, {
        dueOn: '2031-06-01',
        ownerUserId: organiser.id,
        notes: 'Rückruf Frau Sadykova',
      });
      const retitled = await ok<FollowUpBody>(owner(), 'patch', path(followUp.id), {
        title: 'Unterschriebenes Exemplar nach Astana schicken',
      });
      expect(retitled).toMatchObject({
        title: 'Unterschriebenes Exemplar nach Astana schicken',
        dueOn: '2031-06-01',
        ownerUserId: organiser.id,
        notes: 'Rückruf Frau Sadykova',
        done: false,
        version: 2,
      });

      const moved = await ok<FollowUpBody>(owner(), 'patch', path(followUp.id), {
        dueOn: '2031-07-15',
        ownerUserId: desk.owner.id,
        notes: null,
      });
      expect(moved).toMatchObject({
        title: 'Unterschriebenes Exemplar nach Astana schicken',
        dueOn: '2031-07-15',
        ownerUserId: desk.owner.id,
        notes: null,
        version: 3,
      });
      expect(await ok(owner(), 'get', path(followUp.id))).toEqual(moved);
    });

    it('done: true records when and by whom (once); done: false opens it again', async () => {
      // Due long ago: overdue while open, not once done.
      const followUp = await newFollowUp(owner(), agreement.id, {
        dueOn: '2024-01-15',
        ownerUserId: organiser.id,
      });
      expect(followUp.overdue).toBe(true);

      const before = Date.now();
      const done = await ok<FollowUpBody>(
        bearer(organiser.accessToken),
        'patch',
        path(followUp.id),
        {
          done: true,
        },
      );
      const after = Date.now();
      expect(done).toMatchObject({ done: true, overdue: false, doneBy: organiser.id, version: 2 });
      const doneAt = new Date(done.doneAt!).getTime();
      expect(doneAt).toBeGreaterThanOrEqual(before - 1000);
      expect(doneAt).toBeLessThanOrEqual(after + 1000);

      // Marking it done again changes nothing: it stays done by whoever did it.
      const again = await ok<FollowUpBody>(owner(), 'patch', path(followUp.id), { done: true });
      expect(again).toMatchObject({ doneBy: organiser.id, doneAt: done.doneAt, version: 2 });

      const reopened = await ok<FollowUpBody>(owner(), 'patch', path(followUp.id), {
        done: false,
      });
      expect(reopened).toMatchObject({
        done: false,
        overdue: true,
        doneAt: null,
        doneBy: null,
        version: 3,
      });
    });

    it('marked done with an API key: doneAt is set, doneBy stays null, the audit trail names the key', async () => {
      const followUp = await newFollowUp(owner(), agreement.id, {
        dueOn: '2031-08-01',
        ownerUserId: organiser.id,
      });
      const done = await ok<FollowUpBody>(apiKey(writeKey), 'patch', path(followUp.id), {
        done: true,
      });
      expect(done.done).toBe(true);
      expect(done.doneAt).not.toBeNull();
      expect(done.doneBy).toBeNull();

      const [event] = await auditEvents(desk, {
        entityId: followUp.id,
        action: 'follow_up.updated',
      });
      expect(event).toMatchObject({
        actorType: 'api_key',
        actorId: writeKeyId,
        entityType: 'follow_up',
        changes: { done: { before: false, after: true } },
      });
    });

    it("its owner must be an active staff member of the agency: another agency's user, a deactivated user or an unknown id is 400 naming ownerUserId", async () => {
      const countBefore = (await ok<PageBody<FollowUpBody>>(owner(), 'get', `${path()}?limit=200`))
        .items.length;
      for (const ownerUserId of [rival.owner.id, departed.id, randomUUID()]) {
        const refused = await call(owner(), 'post', path(), {
          title: 'Nie angelegt',
          dueOn: '2031-05-04',
          ownerUserId,
        });
        const problem = expectProblem(refused, 400, 'validation_failed');
        expect(problem.errors?.map((error) => error.field)).toEqual(['ownerUserId']);
      }
      expect(
        (await ok<PageBody<FollowUpBody>>(owner(), 'get', `${path()}?limit=200`)).items,
      ).toHaveLength(countBefore);

      // The same on a change of owner; the follow-up keeps its owner.
      const followUp = await newFollowUp(owner(), agreement.id, {
        dueOn: '2031-09-01',
        ownerUserId: organiser.id,
      });
      for (const ownerUserId of [rival.owner.id, departed.id, randomUUID()]) {
        const refused = await call(owner(), 'patch', path(followUp.id), { ownerUserId });
        const problem = expectProblem(refused, 400, 'validation_failed');
        expect(problem.errors?.map((error) => error.field)).toEqual(['ownerUserId']);
      }
      expect(await ok(owner(), 'get', path(followUp.id))).toMatchObject({
        ownerUserId: organiser.id,
        version: 1,
      });
    });

    it('a stale If-Match is 412 for PATCH and DELETE; DELETE answers 204 and the follow-up is gone', async () => {
      const followUp = await newFollowUp(owner(), agreement.id, {
        dueOn: '2031-10-01',
        ownerUserId: organiser.id,
      });
      await ok(owner(), 'patch', path(followUp.id), { title: 'Version 2' });

      const stalePatch = await call(owner(), 'patch', path(followUp.id), {
        title: 'Verloren',
      }).set('If-Match', '"1"');
      expectProblem(stalePatch, 412, 'precondition_failed');
      const staleDelete = await call(owner(), 'delete', path(followUp.id)).set('If-Match', '"1"');
      expectProblem(staleDelete, 412, 'precondition_failed');
      expect(await ok(owner(), 'get', path(followUp.id))).toMatchObject({
        title: 'Version 2',
        version: 2,
      });

      const current = await call(owner(), 'patch', path(followUp.id), {
        title: 'Version 3',
      }).set('If-Match', '"2"');
      expect(current.status).toBe(200);
      expect(current.headers.etag).toBe('"3"');

      const deleted = await call(owner(), 'delete', path(followUp.id)).set('If-Match', '"3"');
      expect(deleted.status).toBe(204);
      expectProblem(await call(owner(), 'get', path(followUp.id)), 404, 'not_found');
      const listed = await ok<PageBody<FollowUpBody>>(owner(), 'get', `${path()}?limit=200`);
      expect(listed.items.map((item) => item.id)).not.toContain(followUp.id);
    });

    it("another agency's follow-ups and agreements are 404, and never listed", async () => {
      const mine = await newFollowUp(owner(), agreement.id, {
        dueOn: '2031-11-01',
        ownerUserId: organiser.id,
      });
      const theirs = await newFollowUp(owner(rival), rivalAgreement.id, {
        dueOn: '2031-11-01',
        ownerUserId: rival.owner.id,
      });
      const theirPath = `/agreements/${rivalAgreement.id}/follow-ups`;
      for (const response of [
        await call(owner(), 'get', `${theirPath}/${theirs.id}`),
        await call(owner(), 'patch', `${theirPath}/${theirs.id}`, { title: 'Übernommen' }),
        await call(owner(), 'delete', `${theirPath}/${theirs.id}`),
        await call(owner(), 'get', theirPath),
        await call(owner(), 'post', theirPath, {
          title: 'Eingeschleust',
          dueOn: '2031-11-01',
          ownerUserId: desk.owner.id,
        }),
        // Their follow-up under my agreement's path, mine under theirs.
        await call(owner(), 'get', path(theirs.id)),
        await call(owner(rival), 'get', `${theirPath}/${mine.id}`),
        await call(owner(rival), 'get', path(mine.id)),
      ]) {
        expectProblem(response, 404, 'not_found');
      }
      expect(await ok(owner(rival), 'get', `${theirPath}/${theirs.id}`)).toMatchObject({
        title: 'Lehrplanentwurf an ATAMEKEN senden',
        version: 1,
      });
      const everything = await ok<PageBody<FollowUpBody>>(owner(), 'get', '/follow-ups?limit=200');
      expect(everything.items.map((item) => item.id)).toContain(mine.id);
      expect(everything.items.map((item) => item.id)).not.toContain(theirs.id);
    });

    it('a viewer reads but cannot write (403); API keys need agreements:read to read and agreements:write to write', async () => {
      const followUp = await newFollowUp(owner(), agreement.id, {
        dueOn: '2031-12-01',
        ownerUserId: organiser.id,
      });
      const body = { title: 'Neu', dueOn: '2031-12-02', ownerUserId: organiser.id };
      for (const headers of [bearer(viewer.accessToken), apiKey(readKey)]) {
        expect((await call(headers, 'get', path(followUp.id))).status).toBe(200);
        expect((await call(headers, 'get', path())).status).toBe(200);
        expect((await call(headers, 'get', '/follow-ups')).status).toBe(200);
        expectProblem(await call(headers, 'post', path(), body), 403, 'forbidden');
        expectProblem(
          await call(headers, 'patch', path(followUp.id), { done: true }),
          403,
          'forbidden',
        );
        expectProblem(await call(headers, 'delete', path(followUp.id)), 403, 'forbidden');
      }
      for (const request of [
        call(apiKey(tripsKey), 'get', path(followUp.id)),
        call(apiKey(tripsKey), 'get', '/follow-ups'),
        call(apiKey(tripsKey), 'post', path(), body),
      ]) {
        expectProblem(await request, 403, 'forbidden');
      }
      expect(await ok(owner(), 'get', path(followUp.id))).toMatchObject({
        done: false,
        version: 1,
      });

      const byKey = await call(apiKey(writeKey), 'post', path(), body);
      expect(byKey.status).toBe(201);
      expect((await call(apiKey(writeKey), 'get', path(followUp.id))).status).toBe(200);
      expect((await call(apiKey(writeKey), 'delete', path(followUp.id))).status).toBe(204);
    });

    it('creation, changes and deletion are audited as follow_up.created, follow_up.updated and follow_up.deleted', async () => {
      const followUp = await newFollowUp(bearer(organiser.accessToken), agreement.id, {
        title: 'Vertrag übersetzen lassen',
        dueOn: '2032-01-10',
        ownerUserId: organiser.id,
      });
      await ok(bearer(organiser.accessToken), 'patch', path(followUp.id), {
        dueOn: '2032-01-17',
        done: true,
      });
      await ok(owner(), 'delete', path(followUp.id), undefined, 204);

      const events = await auditEvents(desk, { entityId: followUp.id });
      expect(events.map((event) => event.action)).toEqual([
        'follow_up.deleted',
        'follow_up.updated',
        'follow_up.created',
      ]);
      const [deleted, updated, created] = events;
      expect(created).toMatchObject({
        actorType: 'user',
        actorId: organiser.id,
        entityType: 'follow_up',
        changes: {
          agreementId: { before: null, after: agreement.id },
          title: { before: null, after: 'Vertrag übersetzen lassen' },
          dueOn: { before: null, after: '2032-01-10' },
          ownerUserId: { before: null, after: organiser.id },
        },
      });
      expect(updated).toMatchObject({
        actorId: organiser.id,
        changes: {
          dueOn: { before: '2032-01-10', after: '2032-01-17' },
          done: { before: false, after: true },
        },
      });
      expect(Object.keys(updated.changes ?? {}).sort()).toEqual(['done', 'dueOn']);
      expect(deleted).toMatchObject({
        actorId: desk.owner.id,
        changes: { title: { before: 'Vertrag übersetzen lassen', after: null } },
      });
    });
  });

  // ------------------------------------------------------------------ what is due

  describe('GET /follow-ups: what is due, in the agency’s timezone', () => {
    /** UTC+14: its date is a day ahead of UTC's from 10:00 UTC on. */
    const KIRITIMATI = 'Pacific/Kiritimati';
    /** UTC−11: its date is a day behind UTC's until 11:00 UTC. */
    const PAGO_PAGO = 'Pacific/Pago_Pago';

    let kiritimati: Agency;
    let pagoPago: Agency;
    let kiritimatiOrganiser: Staff;
    /** Kiritimati's follow-ups, by name. */
    const k: Record<string, FollowUpBody> = {};

    async function listAll(agency: Agency, query: Record<string, string | number> = {}) {
      const response = await t
        .http()
        .get('/api/v1/follow-ups')
        .query({ limit: 200, ...query })
        .set(owner(agency));
      expectStatus(response, 200);
      return response.body as PageBody<FollowUpBody>;
    }
    const ids = (items: FollowUpBody[]) => items.map((item) => item.id);

    beforeAll(async () => {
      [kiritimati, pagoPago] = await Promise.all([
        agencyIn(KIRITIMATI, 'Kiribati Trade Office'),
        agencyIn(PAGO_PAGO, 'American Samoa Trade Office'),
      ]);
      kiritimatiOrganiser = await addStaff(t, kiritimati, 'organiser', 'Teaiwa Tabai');
      const organisation = await createOrganisation(t, kiritimati, { country: 'KI' });
      const [first, second] = [
        await newAgreement(owner(kiritimati), [{ organisationId: organisation.id }]),
        await newAgreement(owner(kiritimati), [{ organisationId: organisation.id }]),
      ];
      const mine = kiritimati.owner.id;
      const theirs = kiritimatiOrganiser.id;
      const plan: [string, AgreementBody, number, string][] = [
        ['yesterday', first, -1, theirs],
        ['today', second, 0, mine],
        ['tomorrow', first, 1, theirs],
        ['doneLongAgo', second, -3, mine],
        ['nextWeek', second, 7, theirs],
        ['alsoYesterday', first, -1, mine],
      ];
      for (const [name, agreement, offset, ownerUserId] of plan) {
        k[name] = await newFollowUp(owner(kiritimati), agreement.id, {
          title: name,
          dueOn: dayIn(KIRITIMATI, offset),
          ownerUserId,
        });
      }
      k.doneLongAgo = await ok<FollowUpBody>(
        owner(kiritimati),
        'patch',
        `/agreements/${second.id}/follow-ups/${k.doneLongAgo.id}`,
        { done: true },
      );
    });

    it('overdue means open and due before today in the agency’s timezone, not UTC’s (Kiritimati UTC+14, Pago Pago UTC−11)', async () => {
      // Whenever this runs, at least one of the two agencies' today is not UTC's.
      const utcToday = dayIn('UTC');
      expect([dayIn(KIRITIMATI), dayIn(PAGO_PAGO)]).not.toEqual([utcToday, utcToday]);

      const organisation = await createOrganisation(t, pagoPago, { country: 'AS' });
      const agreement = await newAgreement(owner(pagoPago), [{ organisationId: organisation.id }]);
      const p: Record<string, FollowUpBody> = {};
      for (const [name, offset] of [
        ['yesterday', -1],
        ['today', 0],
        ['tomorrow', 1],
      ] as const) {
        p[name] = await newFollowUp(owner(pagoPago), agreement.id, {
          title: name,
          dueOn: dayIn(PAGO_PAGO, offset),
          ownerUserId: pagoPago.owner.id,
        });
      }
      for (const [agency, followUps] of [
        [kiritimati, k],
        [pagoPago, p],
      ] as const) {
        const overdue = await listAll(agency, { state: 'overdue' });
        const expected = [followUps.yesterday, followUps.alsoYesterday].filter(Boolean);
        expect(ids(overdue.items).sort()).toEqual(ids(expected).sort());
        const all = await listAll(agency);
        const flags = Object.fromEntries(all.items.map((item) => [item.title, item.overdue]));
        expect(flags).toMatchObject({ yesterday: true, today: false, tomorrow: false });
      }
      // Each follow-up says so itself, too.
      expect(p.yesterday.overdue).toBe(true);
      expect(p.today.overdue).toBe(false);
      expect(k.yesterday.overdue).toBe(true);
      expect(k.today.overdue).toBe(false);
      const listed = await ok<PageBody<FollowUpBody>>(
        owner(pagoPago),
        'get',
        `/agreements/${agreement.id}/follow-ups`,
      );
      expect(listed.items.map((item) => [item.title, item.overdue])).toEqual([
        ['yesterday', true],
        ['today', false],
        ['tomorrow', false],
      ]);
    });

    it('across agreements by due day then id; state, owner and dueBefore filter; done ones are never overdue', async () => {
      const everything = Object.values(k).sort(byDueThenId);
      const all = await listAll(kiritimati);
      expect(ids(all.items)).toEqual(ids(everything));
      expect(all.nextCursor).toBeNull();
      expect(all.items.map((item) => [item.title, item.done, item.overdue])).toEqual(
        everything.map((item) => [
          item.title,
          item.title === 'doneLongAgo',
          ['yesterday', 'alsoYesterday'].includes(item.title),
        ]),
      );

      const titles = async (query: Record<string, string>) =>
        (await listAll(kiritimati, query)).items.map((item) => item.title);
      const ordered = (...names: string[]) =>
        names
          .map((name) => k[name])
          .sort(byDueThenId)
          .map((item) => item.title);

      expect(await titles({ state: 'open' })).toEqual(
        ordered('yesterday', 'alsoYesterday', 'today', 'tomorrow', 'nextWeek'),
      );
      expect(await titles({ state: 'overdue' })).toEqual(ordered('yesterday', 'alsoYesterday'));
      expect(await titles({ state: 'done' })).toEqual(['doneLongAgo']);
      expect(await titles({ ownerUserId: kiritimatiOrganiser.id })).toEqual(
        ordered('yesterday', 'tomorrow', 'nextWeek'),
      );
      expect(await titles({ ownerUserId: kiritimatiOrganiser.id, state: 'overdue' })).toEqual([
        'yesterday',
      ]);
      // "This week": due before a day, that day not included.
      expect(await titles({ dueBefore: dayIn(KIRITIMATI, 1) })).toEqual(
        ordered('doneLongAgo', 'yesterday', 'alsoYesterday', 'today'),
      );
      expect(await titles({ dueBefore: dayIn(KIRITIMATI, 1), state: 'open' })).toEqual(
        ordered('yesterday', 'alsoYesterday', 'today'),
      );
    });

    it('pages with limit and nextCursor through the same order', async () => {
      const seen: FollowUpBody[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page: PageBody<FollowUpBody> = await listAll(kiritimati, {
          limit: 4,
          ...(cursor ? { cursor } : {}),
        });
        sizes.push(page.items.length);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(sizes).toEqual([4, 2]);
      expect(ids(seen)).toEqual(ids(Object.values(k).sort(byDueThenId)));

      const firstOverdue = await listAll(kiritimati, { state: 'overdue', limit: 1 });
      expect(firstOverdue.items).toHaveLength(1);
      const secondOverdue = await listAll(kiritimati, {
        state: 'overdue',
        limit: 1,
        cursor: firstOverdue.nextCursor!,
      });
      expect([...ids(firstOverdue.items), ...ids(secondOverdue.items)]).toEqual(
        ids([k.yesterday, k.alsoYesterday].sort(byDueThenId)),
      );
      expect(secondOverdue.nextCursor).toBeNull();
    });

    it("another agency's follow-ups never appear, not even by their owner's id", async () => {
      const theirs = await listAll(pagoPago);
      for (const item of theirs.items) expect(ids(Object.values(k))).not.toContain(item.id);
      expect((await listAll(kiritimati, { ownerUserId: pagoPago.owner.id })).items).toEqual([]);
      expect((await listAll(pagoPago, { ownerUserId: kiritimatiOrganiser.id })).items).toEqual([]);
    });

    it('an unknown state or a date that is none is 400 naming the parameter', async () => {
      for (const [query, field] of [
        [{ state: 'late' }, 'state'],
        [{ dueBefore: '2031-02-30' }, 'dueBefore'],
        [{ ownerUserId: 'katrin' }, 'ownerUserId'],
      ] as const) {
        const response = await t
          .http()
          .get('/api/v1/follow-ups')
          .query(query)
          .set(owner(kiritimati));
        const problem = expectProblem(response, 400, 'validation_failed');
        expect(problem.errors?.map((error) => error.field)).toEqual([field]);
      }
    });
  });

  // ------------------------------------------------------------------ expiry

  describe('expiry job: agreements in force expire the day after validUntil, in their agency’s timezone', () => {
    const BERLIN = 'Europe/Berlin';
    const KIRITIMATI = 'Pacific/Kiritimati';
    const PAGO_PAGO = 'Pacific/Pago_Pago';

    it('expires what ended before today (Berlin, Kiritimati and Pago Pago each by their own today), records it as done by the system, and a second run changes nothing', async () => {
      const [kiritimati, pagoPago] = await Promise.all([
        agencyIn(KIRITIMATI, 'Kiribati Expiry Office'),
        agencyIn(PAGO_PAGO, 'Samoa Expiry Office'),
      ]);
      // Berlin's today is never both Kiritimati's and Pago Pago's.
      expect([dayIn(KIRITIMATI), dayIn(PAGO_PAGO)]).not.toEqual([dayIn(BERLIN), dayIn(BERLIN)]);

      const cases: { name: string; agency: Agency; agreement: AgreementBody; expires: boolean }[] =
        [];
      for (const [zone, agency] of [
        [BERLIN, desk],
        [KIRITIMATI, kiritimati],
        [PAGO_PAGO, pagoPago],
      ] as const) {
        for (const [name, offset, expires] of [
          ['ended yesterday', -1, true],
          ['valid until today', 0, false],
        ] as const) {
          const agreement = await agreementIn(agency, 'in_force', {
            validUntil: dayIn(zone, offset),
          });
          expect(agreement).toMatchObject({ status: 'in_force', statusSince: '2024-03-02' });
          cases.push({ name: `${zone}: ${name}`, agency, agreement, expires });
        }
      }
      // Signed but never in force: its validity passing changes nothing.
      const signed = await agreementIn(desk, 'signed', { validUntil: '2024-06-30' });
      cases.push({ name: 'signed, not in force', agency: desk, agreement: signed, expires: false });

      await t.app.get(Queues).enqueueAndWait(JobName.AgreementsExpire, {}, 15_000);

      const after = new Map<string, AgreementBody>();
      for (const { name, agency, agreement, expires } of cases) {
        const now = await getAgreement(agency, agreement.id);
        after.set(agreement.id, now);
        const expected = expires
          ? {
              status: 'expired',
              statusSince: dayAfter(agreement.validUntil!),
              allowedTransitions: [],
              version: agreement.version + 1,
            }
          : {
              status: agreement.status,
              statusSince: agreement.statusSince,
              version: agreement.version,
            };
        expect({ name, ...now }).toMatchObject({ name, ...expected });
      }

      // Each agency's audit trail says the system did it, with what changed.
      for (const { agency, agreement, expires } of cases) {
        const events = await auditEvents(agency, {
          entityId: agreement.id,
          action: 'agreement.status_changed',
        });
        const bySystem = events.filter((event) => event.actorType === 'system');
        if (!expires) {
          expect(bySystem).toEqual([]);
          continue;
        }
        expect(bySystem).toHaveLength(1);
        expect(bySystem[0]).toMatchObject({
          actorType: 'system',
          actorId: null,
          entityType: 'agreement',
          changes: { status: { before: 'in_force', after: 'expired' } },
        });
      }
      // ...and only its own: the Berlin desk does not see Kiritimati's expiry.
      const kiritimatiExpired = cases.find((c) => c.agency === kiritimati && c.expires)!.agreement;
      expect(await auditEvents(desk, { entityId: kiritimatiExpired.id })).toEqual([]);

      // The list finds them by their new status.
      const expiredList = await ok<PageBody<AgreementBody>>(
        owner(desk),
        'get',
        '/agreements?status=expired&limit=200',
      );
      const berlinExpired = cases.find((c) => c.agency === desk && c.expires)!.agreement;
      expect(expiredList.items.map((item) => item.id)).toContain(berlinExpired.id);

      // A second run finds nothing more to do.
      expect(await t.app.get(Queues).enqueueAndWait(JobName.AgreementsExpire, {}, 15_000)).toEqual({
        expired: 0,
      });
      for (const { agency, agreement } of cases) {
        const again = await getAgreement(agency, agreement.id);
        expect(again).toMatchObject({
          status: after.get(agreement.id)!.status,
          version: after.get(agreement.id)!.version,
        });
      }
    });
  });

  // ------------------------------------------------------------------ export

  describe('GET /agreements/export', () => {
    let exporter: Agency;
    let exporterViewer: Staff;
    let kazakh: OrganisationBody;
    let uzbek: OrganisationBody;
    let evil: OrganisationBody;
    let aigerim: ContactBody;
    let bakhtiyor: ContactBody;
    let main: AgreementBody;
    let trip: { id: string; title: string };
    let meetingTitle: string;
    const SUMMARY = 'Gemeinsame Ausbildung von Textiltechnikern; Austausch von Lehrkräften.';
    const DOCUMENT = 'https://dms.thueringen-international.example/mou-atameken.pdf';

    function download(headers: Headers, query: Record<string, string | number>) {
      return t
        .http()
        .get('/api/v1/agreements/export')
        .query(query)
        .set(headers)
        .buffer(true)
        .parse(bufferParser);
    }

    async function exported(query: Record<string, string | number>, headers?: Headers) {
      const response = await download(headers ?? owner(exporter), query);
      expectStatus(response, 200);
      return response.body as Buffer;
    }

    async function xlsx(body: Buffer) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      const rows: ExcelJS.Cell[][] = [];
      sheet.eachRow({ includeEmpty: true }, (row) => {
        const cells: ExcelJS.Cell[] = [];
        for (let column = 1; column <= GERMAN_HEADERS.length; column++) {
          cells.push(row.getCell(column));
        }
        rows.push(cells);
      });
      return { sheet, rows };
    }

    const titleColumn = 0;

    beforeAll(async () => {
      exporter = await signUpAgency(t, { tenantName: 'Thüringen Export', name: 'Anke Fischer' });
      exporterViewer = await addStaff(t, exporter, 'viewer', 'Lena Hoffmann');
      [kazakh, uzbek, evil, aigerim, bakhtiyor] = await Promise.all([
        createOrganisation(t, exporter, {
          name: 'Nationale Unternehmerkammer Kasachstans ATAMEKEN',
          country: 'KZ',
        }),
        createOrganisation(t, exporter, {
          name: 'Taschkenter Institut für Textil- und Leichtindustrie',
          kind: 'university',
          country: 'UZ',
        }),
        createOrganisation(t, exporter, { name: '=1+2 Holding', country: 'DE' }),
        createContact(t, exporter, { firstName: 'Aigerim', lastName: 'Sadykova' }),
        createContact(t, exporter, { firstName: 'Bakhtiyor', lastName: 'Karimov' }),
      ]);
      trip = await createTrip(
        t,
        exporter,
        tripBody({ title: 'Markterkundungsreise Kasachstan und Usbekistan' }),
      );
      const astana = await addStation(t, exporter, trip.id, {
        city: 'Astana',
        country: 'KZ',
        timezone: 'Asia/Almaty',
        arrivalDate: '2022-09-25',
        departureDate: '2022-09-28',
      });
      const meeting = await createMeeting(t, exporter, trip.id, astana.id, {
        title: 'Unterzeichnung bei ATAMEKEN',
        startsAt: '2022-09-25T10:00',
        endsAt: '2022-09-25T11:00',
      });
      meetingTitle = meeting.title;
      const headers = owner(exporter);

      // Oldest signing first in creation; the export lists newest first, unsigned ones before all.
      const draft = await newAgreement(
        headers,
        [
          { organisationId: kazakh.id, signatoryContactIds: [aigerim.id] },
          { organisationId: uzbek.id, signatoryContactIds: [bakhtiyor.id] },
        ],
        {
          title: 'MoU zur Berufsbildung mit ATAMEKEN',
          agencyIsParty: true,
          tripId: trip.id,
          meetingId: meeting.id,
          summary: SUMMARY,
          signedIn: { city: 'Astana', country: 'KZ' },
          validUntil: '2027-09-24',
          documentUrl: DOCUMENT,
          tags: ['Berufsbildung', 'Textil'],
        },
      );
      await transition(headers, draft.id, 'negotiating');
      await transition(headers, draft.id, 'signed', '2022-09-25');
      main = await transition(headers, draft.id, 'in_force', '2022-10-01');
      const followUps = await Promise.all(
        ['Lehrplan abstimmen', 'Dozenten benennen'].map((title, index) =>
          newFollowUp(headers, main.id, {
            title,
            dueOn: `2031-0${index + 1}-15`,
            ownerUserId: exporter.owner.id,
          }),
        ),
      );
      await ok(headers, 'patch', `/agreements/${main.id}/follow-ups/${followUps[0].id}`, {
        done: true,
      });

      const atCmd = await newAgreement(
        headers,
        [{ organisationId: uzbek.id, signatoryContactIds: [bakhtiyor.id] }],
        { title: AT_CMD, kind: 'contract', category: 'government' },
      );
      await transition(headers, atCmd.id, 'negotiating');
      await transition(headers, atCmd.id, 'signed', '2023-04-25');
      await newAgreement(headers, [{ organisationId: evil.id }], {
        title: HYPERLINK,
        kind: 'letter_of_intent',
        category: 'academic',
      });
      const sum = await newAgreement(headers, [{ organisationId: kazakh.id }], { title: SUM });
      await transition(headers, sum.id, 'negotiating');
    });

    it('German by default: semicolons, one row per agreement newest first, parties, countries, signatories, German words and dates', async () => {
      const body = await exported({ format: 'csv' });
      const raw = body.subarray(3).toString('utf8');
      expect(raw.split('\r\n')[0]).toBe(GERMAN_HEADERS.join(';'));
      const rows = csv(body, ';');
      expect(rows[0]).toEqual(GERMAN_HEADERS);
      expect(rows.slice(1).map((row) => row[titleColumn])).toEqual([
        `'${SUM}`,
        `'${HYPERLINK}`,
        `'${AT_CMD}`,
        'MoU zur Berufsbildung mit ATAMEKEN',
      ]);
      expect(rows[4]).toEqual([
        'MoU zur Berufsbildung mit ATAMEKEN',
        'Absichtserklärung (MoU)',
        'Wirtschaft',
        'In Kraft',
        '01.10.2022',
        `${kazakh.name}; ${uzbek.name}`,
        'Kasachstan, Usbekistan',
        'Aigerim Sadykova; Bakhtiyor Karimov',
        'Ja',
        '25.09.2022',
        'Astana',
        'Kasachstan',
        '24.09.2027',
        trip.title,
        meetingTitle,
        '1',
        'Berufsbildung, Textil',
        DOCUMENT,
        SUMMARY,
      ]);
      const column = (name: string) => GERMAN_HEADERS.indexOf(name);
      expect(
        rows
          .slice(1, 4)
          .map((row) =>
            ['Art', 'Bereich', 'Status', 'Unterzeichnet am', 'Agentur ist Vertragspartei'].map(
              (name) => row[column(name)],
            ),
          ),
      ).toEqual([
        ['Absichtserklärung (MoU)', 'Wirtschaft', 'In Verhandlung', '', 'Nein'],
        ['Letter of Intent', 'Wissenschaft', 'Entwurf', '', 'Nein'],
        ['Vertrag', 'Regierung', 'Unterzeichnet', '25.04.2023', 'Nein'],
      ]);
    });

    it('lang=en: English headers and words, ISO dates, commas', async () => {
      const body = await exported({ format: 'csv', lang: 'en' });
      const rows = csv(body, ',');
      expect(rows[0]).toEqual(ENGLISH_HEADERS);
      const column = (name: string) => ENGLISH_HEADERS.indexOf(name);
      expect(
        [
          'Kind',
          'Category',
          'Status',
          'Status since',
          'Countries',
          'Agency is a party',
          'Signed on',
          'Signed in (country)',
          'Valid until',
        ].map((name) => rows[4][column(name)]),
      ).toEqual([
        'Memorandum of understanding',
        'Business',
        'In force',
        '2022-10-01',
        'Kazakhstan, Uzbekistan',
        'Yes',
        '2022-09-25',
        'Kazakhstan',
        '2027-09-24',
      ]);
    });

    it("the CSV is safe against formula injection: cells starting with = + - @ begin with '", async () => {
      for (const [query, delimiter] of [
        [{ format: 'csv' }, ';'],
        [{ format: 'csv', lang: 'en' }, ','],
      ] as const) {
        const rows = csv(await exported(query), delimiter);
        const byTitle = new Map(rows.slice(1).map((row) => [row[titleColumn], row]));
        expect([...byTitle.keys()]).toEqual(
          expect.arrayContaining([`'${HYPERLINK}`, `'${SUM}`, `'${AT_CMD}`]),
        );
        // A party named like a formula, too.
        expect(byTitle.get(`'${HYPERLINK}`)![GERMAN_HEADERS.indexOf('Partner')]).toBe(
          `'${evil.name}`,
        );
        for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    });

    it('the XLSX parses back with typed cells: dates, numbers, yes/no; formulas stay text', async () => {
      const { sheet, rows } = await xlsx(await exported({ format: 'xlsx' }));
      expect(sheet.name).toBe('Vereinbarungen');
      expect(rows[0].map((cell) => cell.value)).toEqual(GERMAN_HEADERS);
      expect(rows).toHaveLength(5);
      const cell = (row: number, name: string) => rows[row][GERMAN_HEADERS.indexOf(name)];

      for (const [name, day] of [
        ['Unterzeichnet am', '2022-09-25'],
        ['Gültig bis', '2027-09-24'],
        ['Status seit', '2022-10-01'],
      ]) {
        expect(cell(4, name).type).toBe(ExcelJS.ValueType.Date);
        expect((cell(4, name).value as Date).toISOString()).toBe(`${day}T00:00:00.000Z`);
        expect(cell(4, name).numFmt).toBe('dd.mm.yyyy');
      }
      expect(cell(4, 'Offene Nachverfolgungen').type).toBe(ExcelJS.ValueType.Number);
      expect(cell(4, 'Offene Nachverfolgungen').value).toBe(1);
      expect(cell(1, 'Offene Nachverfolgungen').value).toBe(0);
      expect(cell(4, 'Agentur ist Vertragspartei').type).toBe(ExcelJS.ValueType.Boolean);
      expect(cell(4, 'Agentur ist Vertragspartei').value).toBe(true);
      expect(cell(4, 'Länder').value).toBe('Kasachstan, Usbekistan');
      // Not signed yet: an empty cell, not a date.
      expect(cell(1, 'Unterzeichnet am').type).toBe(ExcelJS.ValueType.Null);

      for (const row of rows)
        for (const c of row) expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
      expect(rows.slice(1, 4).map((row) => row[titleColumn].value)).toEqual([
        SUM,
        HYPERLINK,
        AT_CMD,
      ]);
    });

    it("the list's filters apply: status, year, kind, a party's country, an organisation", async () => {
      const titles = async (query: Record<string, string | number>) =>
        csv(await exported({ format: 'csv', ...query }), ';')
          .slice(1)
          .map((row) => row[titleColumn]);
      expect(await titles({ status: 'in_force' })).toEqual(['MoU zur Berufsbildung mit ATAMEKEN']);
      expect(await titles({ year: 2022 })).toEqual(['MoU zur Berufsbildung mit ATAMEKEN']);
      expect(await titles({ year: 2023 })).toEqual([`'${AT_CMD}`]);
      expect(await titles({ year: 2021 })).toEqual([]);
      expect(await titles({ kind: 'letter_of_intent' })).toEqual([`'${HYPERLINK}`]);
      expect(await titles({ country: 'UZ' })).toEqual([
        `'${AT_CMD}`,
        'MoU zur Berufsbildung mit ATAMEKEN',
      ]);
      expect(await titles({ organisationId: kazakh.id })).toEqual([
        `'${SUM}`,
        'MoU zur Berufsbildung mit ATAMEKEN',
      ]);
      const { rows } = await xlsx(await exported({ format: 'xlsx', status: 'signed' }));
      expect(rows.slice(1).map((row) => row[titleColumn].value)).toEqual([AT_CMD]);
    });

    it('format is required; a wrong format or filter is 400 naming it', async () => {
      for (const [query, fields] of [
        [{}, ['format']],
        [{ format: 'pdf' }, ['format']],
        [{ format: 'csv', status: 'valid' }, ['status']],
        [{ format: 'csv', lang: 'fr' }, ['lang']],
      ] as const) {
        const response = await call(owner(exporter), 'get', '/agreements/export').query(query);
        const problem = expectProblem(response, 400, 'validation_failed');
        expect(problem.errors?.map((error) => error.field).sort()).toEqual(fields);
      }
    });

    it('a viewer may export; each export is audited as agreements.exported with its format and row count; another agency gets only its own', async () => {
      const response = await download(bearer(exporterViewer.accessToken), {
        format: 'xlsx',
        status: 'in_force',
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="vereinbarungen-\d{4}-\d{2}-\d{2}\.xlsx"$/,
      );
      const [event] = await auditEvents(exporter, {
        action: 'agreements.exported',
        actorId: exporterViewer.id,
      });
      expect(event).toMatchObject({
        actorType: 'user',
        entityType: 'agreement',
        entityId: null,
        changes: { export: { before: null, after: { format: 'xlsx', rows: 1 } } },
      });

      const csvResponse = await download(owner(exporter), { format: 'csv' });
      expect(csvResponse.headers['content-type']).toBe('text/csv; charset=utf-8');

      const rivalRows = csv(await exported({ format: 'csv' }, owner(rival)), ';');
      for (const row of rivalRows.slice(1)) {
        expect(row[titleColumn]).not.toBe('MoU zur Berufsbildung mit ATAMEKEN');
      }
    });

    it("the file is named after the agency's today (its timezone), in its language", async () => {
      const zones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago'];
      // Whenever this runs, at least one of the two agencies' today is not UTC's.
      expect(zones.map((zone) => dayIn(zone))).not.toEqual([dayIn('UTC'), dayIn('UTC')]);
      const names: string[] = [];
      const expected: string[] = [];
      for (const zone of zones) {
        const agency = await agencyIn(zone, `Export ${zone}`);
        for (const [query, name] of [
          [{ format: 'csv' }, 'vereinbarungen'],
          [{ format: 'xlsx', lang: 'en' }, 'agreements'],
        ] as const) {
          const response = await download(owner(agency), query);
          expect(response.status).toBe(200);
          names.push(response.headers['content-disposition']);
          expected.push(`attachment; filename="${name}-${dayIn(zone)}.${query.format}"`);
        }
      }
      expect(names).toEqual(expected);
    });
  });

  // ------------------------------------------------------------------ directory

  describe('directory records agreements name cannot be deleted', () => {
    it('an organisation that is a party, or a contact who signs, is 409 in_use naming the agreements; deletable once no agreement names them', async () => {
      const [party, other, signer, successor] = await Promise.all([
        createOrganisation(t, desk, { country: 'KZ' }),
        createOrganisation(t, desk, { country: 'UZ' }),
        createContact(t, desk, { lastName: 'Sadykova' }),
        createContact(t, desk, { lastName: 'Karimov' }),
      ]);
      const first = await newAgreement(owner(), [
        { organisationId: party.id, signatoryContactIds: [signer.id] },
      ]);
      const second = await newAgreement(owner(), [
        { organisationId: party.id },
        { organisationId: other.id, signatoryContactIds: [signer.id] },
      ]);

      const organisationRefused = expectProblem(
        await call(owner(), 'delete', `/partner-organisations/${party.id}`),
        409,
        'in_use',
      );
      expect(organisationRefused.agreementIds).toEqual([second.id, first.id]);
      const contactRefused = expectProblem(
        await call(owner(), 'delete', `/contacts/${signer.id}`),
        409,
        'in_use',
      );
      expect(contactRefused.agreementIds).toEqual([second.id, first.id]);
      expect(contactRefused.detail).toContain(first.title);
      // Both are still there.
      expect((await call(owner(), 'get', `/partner-organisations/${party.id}`)).status).toBe(200);
      expect((await call(owner(), 'get', `/contacts/${signer.id}`)).status).toBe(200);

      // One agreement no longer names them: still in use by the other.
      await ok(owner(), 'patch', `/agreements/${first.id}`, {
        parties: [{ organisationId: other.id, signatoryContactIds: [successor.id] }],
      });
      const stillInUse = expectProblem(
        await call(owner(), 'delete', `/partner-organisations/${party.id}`),
        409,
        'in_use',
      );
      expect(stillInUse.agreementIds).toEqual([second.id]);

      await ok(owner(), 'patch', `/agreements/${second.id}`, {
        parties: [{ organisationId: other.id, signatoryContactIds: [successor.id] }],
      });
      expect((await call(owner(), 'delete', `/partner-organisations/${party.id}`)).status).toBe(
        204,
      );
      expect((await call(owner(), 'delete', `/contacts/${signer.id}`)).status).toBe(204);
      expectProblem(
        await call(owner(), 'get', `/partner-organisations/${party.id}`),
        404,
        'not_found',
      );
    });

    it('a meeting, or a draft trip, an agreement names is 409 in_use; deletable once the agreement drops it', async () => {
      const organisation = await createOrganisation(t, desk, { country: 'KZ' });
      const trip = await createTrip(t, desk, tripBody({ title: 'Delegationsreise Almaty' }));
      const almaty = await addStation(t, desk, trip.id, {
        city: 'Almaty',
        country: 'KZ',
        timezone: 'Asia/Almaty',
        arrivalDate: '2022-09-25',
        departureDate: '2022-09-30',
      });
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        startsAt: '2022-09-26T10:00',
        endsAt: '2022-09-26T11:00',
      });
      const agreement = await newAgreement(owner(), [{ organisationId: organisation.id }], {
        tripId: trip.id,
        meetingId: meeting.id,
      });
      const meetingPath = `/trips/${trip.id}/meetings/${meeting.id}`;

      expectProblem(await call(owner(), 'delete', meetingPath), 409, 'in_use');
      expect((await call(owner(), 'get', meetingPath)).status).toBe(200);
      expectProblem(await call(owner(), 'delete', `/trips/${trip.id}`), 409, 'in_use');
      expect((await call(owner(), 'get', `/trips/${trip.id}`)).status).toBe(200);

      await ok(owner(), 'patch', `/agreements/${agreement.id}`, { meetingId: null });
      expect((await call(owner(), 'delete', meetingPath)).status).toBe(204);
      // The trip is still named.
      expectProblem(await call(owner(), 'delete', `/trips/${trip.id}`), 409, 'in_use');

      await ok(owner(), 'patch', `/agreements/${agreement.id}`, { tripId: null });
      expect((await call(owner(), 'delete', `/trips/${trip.id}`)).status).toBe(204);
      expect(await getAgreement(desk, agreement.id)).toMatchObject({
        tripId: null,
        meetingId: null,
      });
    });
  });

  // ------------------------------------------------------------------ erasure

  describe('erasure of a signatory', () => {
    it('the agreement stays, without the person among its signatories, with a new version', async () => {
      const [organisation, other] = await Promise.all([
        createOrganisation(t, desk, { country: 'KZ' }),
        createOrganisation(t, desk, { country: 'UZ' }),
      ]);
      const [erased, kept, elsewhere] = await Promise.all([
        createContact(t, desk, {
          firstName: 'Dana',
          lastName: `Ersatz-${randomUUID().slice(0, 6)}`,
        }),
        createContact(t, desk, { firstName: 'Bakhtiyor', lastName: 'Karimov' }),
        createContact(t, desk, { firstName: 'Ainur', lastName: 'Bekova' }),
      ]);
      const draft = await newAgreement(owner(), [
        { organisationId: organisation.id, signatoryContactIds: [erased.id, kept.id] },
        { organisationId: other.id, signatoryContactIds: [elsewhere.id] },
      ]);
      await transition(owner(), draft.id, 'negotiating');
      const signed = await transition(owner(), draft.id, 'signed', '2024-05-02');

      const signatoriesExported = async () => {
        const response = await t
          .http()
          .get('/api/v1/agreements/export')
          .query({ format: 'csv', organisationId: organisation.id })
          .set(owner())
          .buffer(true)
          .parse(bufferParser);
        expectStatus(response, 200);
        const rows = csv(response.body as Buffer, ';');
        expect(rows).toHaveLength(2);
        return rows[1][GERMAN_HEADERS.indexOf('Unterzeichnet von')];
      };
      expect(await signatoriesExported()).toBe(
        `Dana ${erased.lastName}; Bakhtiyor Karimov; Ainur Bekova`,
      );

      const erasure = await call(owner(), 'post', `/contacts/${erased.id}/erase`, {});
      expect(erasure.status).toBe(200);

      const after = await getAgreement(desk, signed.id);
      expect(after).toMatchObject({
        status: 'signed',
        signedOn: '2024-05-02',
        parties: [
          { organisationId: organisation.id, signatoryContactIds: [kept.id] },
          { organisationId: other.id, signatoryContactIds: [elsewhere.id] },
        ],
      });
      expect(after.version).toBeGreaterThan(signed.version);
      // A copy read before the erasure is stale now.
      expectProblem(
        await call(owner(), 'patch', `/agreements/${signed.id}`, { summary: 'Nachtrag' }).set(
          'If-Match',
          `"${signed.version}"`,
        ),
        412,
        'precondition_failed',
      );

      expect(await signatoriesExported()).toBe('Bakhtiyor Karimov; Ainur Bekova');
    });

    it('an agreement whose only signatory was erased is not stuck: it can still be changed, put in force and terminated', async () => {
      const organisation = await createOrganisation(t, desk, { country: 'KZ' });
      const signer = await createContact(t, desk, { firstName: 'Erlan', lastName: 'Nurlanov' });
      const draft = await newAgreement(owner(), [
        { organisationId: organisation.id, signatoryContactIds: [signer.id] },
      ]);
      await transition(owner(), draft.id, 'negotiating');
      await transition(owner(), draft.id, 'signed', '2024-05-02');
      expect((await call(owner(), 'post', `/contacts/${signer.id}/erase`, {})).status).toBe(200);
      const erased = await getAgreement(desk, draft.id);
      expect(erased).toMatchObject({
        status: 'signed',
        parties: [{ organisationId: organisation.id, signatoryContactIds: [] }],
      });

      // The person did sign; the agency goes on recording what happens to the agreement.
      const answers = [];
      for (const [method, path, body] of [
        ['patch', '', { summary: 'Der Unterzeichner hat die Löschung seiner Daten verlangt.' }],
        ['post', '/transitions', { to: 'in_force', on: '2024-05-03' }],
        ['post', '/transitions', { to: 'terminated', on: '2024-06-01' }],
      ] as const) {
        const response = await call(owner(), method, `/agreements/${draft.id}${path}`, body);
        const answer = response.body as AgreementBody & { errors?: unknown };
        answers.push({ status: response.status, errors: answer.errors, state: answer.status });
      }
      expect(answers).toEqual([
        { status: 200, errors: undefined, state: 'signed' },
        { status: 200, errors: undefined, state: 'in_force' },
        { status: 200, errors: undefined, state: 'terminated' },
      ]);
    });

    it('an erased person cannot be named as signatory again (400 naming the party), on a new or an existing agreement', async () => {
      const organisation = await createOrganisation(t, desk, { country: 'KZ' });
      const [gone, present] = await Promise.all([
        createContact(t, desk, { firstName: 'Aigerim', lastName: 'Sultanova' }),
        createContact(t, desk, { firstName: 'Marat', lastName: 'Akhmetov' }),
      ]);
      const draft = await newAgreement(owner(), [
        { organisationId: organisation.id, signatoryContactIds: [present.id] },
      ]);
      expect((await call(owner(), 'post', `/contacts/${gone.id}/erase`, {})).status).toBe(200);
      const parties = [{ organisationId: organisation.id, signatoryContactIds: [gone.id] }];
      const refusedNew = await call(owner(), 'post', '/agreements', {
        title: 'Vereinbarung mit einer gelöschten Person',
        kind: 'mou',
        category: 'business',
        parties,
      });
      expect(expectProblem(refusedNew, 400, 'validation_failed').errors).toEqual([
        { field: 'parties[0].signatoryContactIds', message: expect.stringContaining('erased') },
      ]);
      const refusedPatch = await call(owner(), 'patch', `/agreements/${draft.id}`, { parties });
      expectProblem(refusedPatch, 400, 'validation_failed');
      expect((await getAgreement(desk, draft.id)).parties).toEqual([
        { organisationId: organisation.id, signatoryContactIds: [present.id] },
      ]);
    });
  });
});

/** A CSV export, parsed as Excel reads it (BOM stripped, the given separator). */
function csv(body: Buffer, delimiter: ';' | ','): string[][] {
  return parse(body, { bom: true, delimiter });
}
