import { randomBytes, randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Response } from 'supertest';
import { MessageKinds } from '../src/modules/notifications/message-kinds.js';
import { expectProblem, type PageBody, type ProblemBody } from './support/api.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { createOrganisation, createTrip, transitionTrip } from './support/factories.js';
import {
  addContacts,
  eventually,
  inDays,
  linkToken,
  openTrip,
  recipient,
  type InvitedContact,
  type OpenTrip,
  startWithSink,
  tripStations,
} from './support/messaging.js';
import { SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The links participants are sent (issue 6, DESIGN §5–§6): an invitation
 * link to decide on a trip, and a self-service link to see, correct and
 * cancel the registration. Against the real API and worker, with the tokens
 * taken from the emails an SMTP sink received, as a participant would.
 */

const PUBLIC_BASE_URL = 'https://reisen.agency.example';
const DAY = 24 * 3600_000;
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

interface PublicTripBody {
  title: string;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  registrationOpen: boolean;
  approvalRequired: boolean;
}

interface InvitationViewBody {
  status: string;
  message: string | null;
  invitee: { email: string; lastName: string };
  trip: PublicTripBody;
}

interface TravelDocumentBody {
  passportNumber: string;
  nationality: string;
  issuingCountry: string;
  expiresOn: string;
  version: number;
}

interface RegistrationViewBody {
  status: string;
  waitlistPosition: number | null;
  organisation: { id: string; name: string } | null;
  dietaryNeeds: string | null;
  arrival: string | null;
  answers: Record<string, unknown>;
  consentAt: string | null;
  travelDocument: TravelDocumentBody | null;
  editable: boolean;
  calendarFeed: string | null;
  trip: PublicTripBody;
}

interface RegisteredBody extends RegistrationViewBody {
  registrationToken: string;
}

interface InviteReportBody {
  invited: number;
  results: { contactId: string; outcome: string; invitationId: string | null }[];
}

interface InvitationBody {
  id: string;
  contactId: string;
  status: string;
  answeredAt: string | null;
  participantId: string | null;
}

interface ParticipantBody {
  id: string;
  contactId: string;
  organisationId: string | null;
  role: string;
  category: string;
  status: string;
  waitlistPosition: number | null;
  dietaryNeeds: string | null;
  arrival: string | null;
  answers: Record<string, unknown>;
  consentAt: string | null;
}

/** A German passport as printed. */
const PASSPORT = {
  passportNumber: 'C01X00T47',
  nationality: 'DE',
  issuingCountry: 'DE',
  expiresOn: '2031-03-13',
};

const REGISTRATION = { category: 'business', consent: true } as const;

/** The token with one character changed in its id part (0) or its MAC part (1). */
function tamper(token: string, part: 0 | 1): string {
  const parts = token.split('.');
  const text = parts[part];
  // A middle character: all its bits count (the last one's may be padding).
  const at = Math.floor(text.length / 2);
  parts[part] = `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
  return parts.join('.');
}

/** The id part of one token with the MAC part of another. */
const splice = (idFrom: string, macFrom: string) =>
  `${idFrom.split('.')[0]}.${macFrom.split('.')[1]}`;

describe('public invitation and registration links', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let agency: Agency;

  beforeAll(async () => {
    ({ t, sink } = await startWithSink({
      config: {
        PUBLIC_BASE_URL,
        // Every test here reads links from one address; the limit has its own describe below.
        RATE_LIMIT_PUBLIC_PER_MINUTE: 100_000,
      },
    }));
    agency = await signUpAgency(t);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const staff = (as: Agency = agency) => bearer(as.owner.accessToken);

  /** A company in Jena, as a registration shows its organisation: id and name. */
  async function organisation(name: string): Promise<{ id: string; name: string }> {
    const { id } = await createOrganisation(t, agency, { name, city: 'Jena' });
    return { id, name };
  }

  async function invite(
    trip: { id: string },
    contacts: InvitedContact[],
    message?: string,
    as: Agency = agency,
  ): Promise<InviteReportBody> {
    const response = await t
      .http()
      .post(`/api/v1/trips/${trip.id}/invitations`)
      .set(staff(as))
      .send({ contactIds: contacts.map((contact) => contact.id), message })
      .expect(200);
    return response.body as InviteReportBody;
  }

  /** The invitation email to `email` about `title` (German or English). */
  const invitationMail = (email: string, title: string) =>
    sink.waitFor(
      (mail) =>
        recipient(mail) === email &&
        (mail.subject === `Einladung: ${title}` || mail.subject === `Invitation: ${title}`),
    );

  /** Invites the contacts and returns the token of each one's invitation email, in order. */
  async function invitationTokens(
    trip: { id: string; title: string },
    contacts: InvitedContact[],
    message?: string,
    as: Agency = agency,
  ): Promise<string[]> {
    const report = await invite(trip, contacts, message, as);
    expect(report.invited).toBe(contacts.length);
    return Promise.all(
      contacts.map(async (contact) =>
        linkToken(await invitationMail(contact.email, trip.title), 'invitations'),
      ),
    );
  }

  const register = (token: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/public/invitations/${token}/registration`).send(body);

  async function registered(token: string, body: Record<string, unknown> = REGISTRATION) {
    const response = await register(token, body).expect(201);
    return response.body as RegisteredBody;
  }

  const viewInvitation = (token: string) => t.http().get(`/api/v1/public/invitations/${token}`);
  const viewRegistration = (token: string) => t.http().get(`/api/v1/public/registrations/${token}`);
  const updateRegistration = (token: string, body: Record<string, unknown>) =>
    t.http().patch(`/api/v1/public/registrations/${token}`).send(body);
  const cancelRegistration = (token: string) =>
    t.http().post(`/api/v1/public/registrations/${token}/cancel`);

  async function invitationsOf(trip: { id: string }): Promise<InvitationBody[]> {
    const response = await t
      .http()
      .get(`/api/v1/trips/${trip.id}/invitations?limit=200`)
      .set(staff())
      .expect(200);
    return (response.body as PageBody<InvitationBody>).items;
  }

  async function participantsOf(trip: { id: string }): Promise<ParticipantBody[]> {
    const response = await t
      .http()
      .get(`/api/v1/trips/${trip.id}/participants?limit=200`)
      .set(staff())
      .expect(200);
    return (response.body as PageBody<ParticipantBody>).items;
  }

  async function participantOf(trip: { id: string }, contact: InvitedContact) {
    const found = (await participantsOf(trip)).find((p) => p.contactId === contact.id);
    if (!found) throw new Error(`${contact.email} is not on the trip`);
    return found;
  }

  async function staffTransition(trip: { id: string }, participantId: string, to: string) {
    const response = await t
      .http()
      .post(`/api/v1/trips/${trip.id}/participants/${participantId}/transitions`)
      .set(staff())
      .send({ to })
      .expect(200);
    return response.body as ParticipantBody;
  }

  /**
   * Waits until every message of the agency that is due has been sent (or has failed);
   * reminders planned for later (the trip is ahead) stay scheduled.
   */
  async function settled(as: Agency = agency): Promise<void> {
    await eventually(
      async () => {
        const [{ pending }] = await t.dataSource.query<{ pending: number }[]>(
          `SELECT count(*)::int AS pending FROM notifications
            WHERE tenant_id = $1
              AND (status IN ('queued', 'sending') OR (status = 'scheduled' AND due_at <= now()))`,
          [as.tenantId],
        );
        return pending === 0;
      },
      20_000,
      'the outbox to drain',
    );
  }

  /** The messages the sink received for `email` with exactly this subject. */
  const mails = (email: string, subject: string): ParsedMail[] =>
    sink.messages.filter((mail) => recipient(mail) === email && mail.subject === subject);

  describe('GET /public/invitations/{token}', () => {
    it('shows the trip, its stations, the deadline, the agency and the invitee’s own details, and nothing of anyone else', async () => {
      const company = await organisation('Jenoptik AG');
      const trip = await openTrip(t, agency, {
        description: 'Sondierung von Kooperationen in Optik und Photonik.',
      });
      const [invitee] = await addContacts(t, agency, 1, {
        fields: {
          title: 'Dr.',
          firstName: 'Gulnara',
          lastName: 'Bekova',
          partnerOrganisationId: company.id,
        },
      });
      const others = await addContacts(t, agency, 3, { fields: { firstName: 'Timur' } });
      const tokens = await invitationTokens(
        trip,
        [invitee, ...others],
        'Wir würden uns sehr freuen, Sie in Almaty dabeizuhaben.',
      );
      // Two of the others have registered, with needs of their own.
      await registered(tokens[1], { ...REGISTRATION, dietaryNeeds: 'halal' });
      await registered(tokens[2], { ...REGISTRATION, accessibilityNeeds: 'Rollstuhl' });

      const view = await viewInvitation(tokens[0]).expect(200);

      expect(view.body).toEqual({
        status: 'pending',
        message: 'Wir würden uns sehr freuen, Sie in Almaty dabeizuhaben.',
        invitee: {
          title: 'Dr.',
          firstName: 'Gulnara',
          lastName: 'Bekova',
          email: invitee.email,
          organisation: { id: company.id, name: 'Jenoptik AG' },
        },
        language: 'de',
        agency: {
          name: 'Thüringen International',
          timezone: 'Europe/Berlin',
          logoUrl: null,
          accentColor: null,
          privacyNotice: null,
        },
        trip: {
          title: trip.title,
          kind: 'market_exploration',
          description: 'Sondierung von Kooperationen in Optik und Photonik.',
          startDate: inDays(30),
          endDate: inDays(37),
          countries: ['KZ', 'UZ'],
          stations: tripStations(),
          registrationOpensAt: null,
          registrationClosesAt: trip.registrationClosesAt,
          registrationOpen: true,
          approvalRequired: false,
        },
      });
      const json = JSON.stringify(view.body);
      for (const other of others) {
        expect(json).not.toContain(other.email);
        expect(json).not.toContain(other.lastName);
      }
      for (const leak of ['Timur', 'halal', 'Rollstuhl', agency.owner.email]) {
        expect(json).not.toContain(leak);
      }
      // No tenant, trip, invitation, contact or participant id: the organisation's is the only one.
      expect(json.match(UUIDS)).toEqual([company.id]);
    });
  });

  describe('POST /public/invitations/{token}/registration', () => {
    it('refuses a registration without consent, with unknown fields or another organisation (400), changing nothing', async () => {
      const [own, other] = [await organisation('Analytik Jena'), await organisation('Schott AG')];
      const trip = await openTrip(t, agency);
      const [contact] = await addContacts(t, agency, 1, {
        fields: { partnerOrganisationId: own.id },
      });
      const [token] = await invitationTokens(trip, [contact]);

      for (const body of [
        { category: 'business' },
        { category: 'business', consent: false },
        { category: 'business', consent: 'yes' },
      ]) {
        const problem = expectProblem(await register(token, body), 400, 'validation_failed');
        expect(problem.errors).toEqual([
          { field: 'consent', message: expect.stringContaining('consent') as string },
        ]);
      }
      // The role is not theirs to choose, nor the status or place in line.
      for (const field of ['role', 'status', 'waitlistPosition'] as const) {
        const value = { role: 'delegation_lead', status: 'confirmed', waitlistPosition: 1 }[field];
        const problem = expectProblem(
          await register(token, { ...REGISTRATION, [field]: value }),
          400,
          'validation_failed',
        );
        expect(problem.errors).toEqual([{ field, message: 'is not an allowed field' }]);
      }
      const foreign = expectProblem(
        await register(token, { ...REGISTRATION, organisationId: other.id }),
        400,
        'validation_failed',
      );
      expect(foreign.errors).toEqual([
        { field: 'organisationId', message: expect.any(String) as string },
      ]);

      expect(await participantsOf(trip)).toEqual([]);
      expect(await invitationsOf(trip)).toEqual([
        expect.objectContaining({ status: 'pending', answeredAt: null, participantId: null }),
      ]);
      expect(((await viewInvitation(token).expect(200)).body as InvitationViewBody).status).toBe(
        'pending',
      );
      // The same link still registers once the body is right.
      const done = await registered(token, { ...REGISTRATION, organisationId: own.id });
      expect(done).toMatchObject({ status: 'confirmed', organisation: own });
    });

    it('registers a member, confirmed, with consent, and emails the self-service link it returns (de and en)', async () => {
      const company = await organisation('Carl Zeiss Jena GmbH');
      const trip = await openTrip(t, agency);
      const [german] = await addContacts(t, agency, 1, {
        fields: { partnerOrganisationId: company.id },
      });
      const [english] = await addContacts(t, agency, 1, { fields: { preferredLanguage: 'en' } });
      const [germanToken, englishToken] = await invitationTokens(trip, [german, english]);

      const before = Date.now();
      const answer = await registered(germanToken, {
        category: 'science',
        consent: true,
        dietaryNeeds: 'vegetarisch',
        arrival: 'LH 5738, 06:15 Ortszeit',
        visaRequired: true,
        answers: { hotel: 'Einzelzimmer' },
      });

      expect(answer).toMatchObject({
        status: 'confirmed',
        waitlistPosition: null,
        category: 'science',
        organisation: company,
        dietaryNeeds: 'vegetarisch',
        arrival: 'LH 5738, 06:15 Ortszeit',
        visaRequired: true,
        answers: { hotel: 'Einzelzimmer' },
        travelDocument: null,
        editable: true,
        participant: { firstName: 'Aigerim', lastName: german.lastName },
        trip: { title: trip.title },
      });
      expect(answer.registrationToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(new Date(answer.consentAt!).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(new Date(answer.consentAt!).getTime()).toBeLessThanOrEqual(Date.now() + 1000);

      const confirmation = await sink.waitFor(
        (mail) =>
          recipient(mail) === german.email && mail.subject === `Teilnahme bestätigt: ${trip.title}`,
      );
      expect(confirmation.text).toContain(
        `${PUBLIC_BASE_URL}/registrations/${answer.registrationToken}`,
      );
      expect(linkToken(confirmation, 'registrations')).toBe(answer.registrationToken);
      // The confirmation offers the personal calendar feed the self-service data names.
      expect(answer.calendarFeed).toMatch(
        new RegExp(
          `^${PUBLIC_BASE_URL}/api/v1/public/itineraries/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.ics$`,
        ),
      );
      expect(confirmation.text).toContain(answer.calendarFeed);

      // Staff see a member with the consent recorded, and the invitation accepted.
      const [invitation] = (await invitationsOf(trip)).filter((i) => i.contactId === german.id);
      expect(invitation).toMatchObject({ status: 'accepted', participantId: expect.any(String) });
      const participant = await t
        .http()
        .get(`/api/v1/trips/${trip.id}/participants/${invitation.participantId}`)
        .set(staff())
        .expect(200);
      expect(participant.body).toMatchObject({
        contactId: german.id,
        role: 'member',
        category: 'science',
        status: 'confirmed',
        organisationId: company.id,
        dietaryNeeds: 'vegetarisch',
        consentAt: answer.consentAt,
      });

      // The registration token opens the registration.
      const own = await viewRegistration(answer.registrationToken).expect(200);
      expect(own.body).toMatchObject({ status: 'confirmed', consentAt: answer.consentAt });

      // Registering twice through the same link is refused.
      expectProblem(await register(germanToken, REGISTRATION), 409, 'invitation_answered_already');

      const englishAnswer = await registered(englishToken);
      const englishMail = await sink.waitFor(
        (mail) =>
          recipient(mail) === english.email &&
          mail.subject === `Participation confirmed: ${trip.title}`,
      );
      expect(linkToken(englishMail, 'registrations')).toBe(englishAnswer.registrationToken);

      await settled();
      expect(mails(german.email, `Teilnahme bestätigt: ${trip.title}`)).toHaveLength(1);
      expect(mails(english.email, `Participation confirmed: ${trip.title}`)).toHaveLength(1);
      expect((await participantsOf(trip)).map((p) => p.role)).toEqual(['member', 'member']);
    });

    it('is 409 registration_not_open while the trip is only planned, and before registration opens', async () => {
      const planned = await createTrip(t, agency, {
        title: `Unternehmerreise Südkorea ${randomUUID().slice(0, 4)}`,
        kind: 'delegation',
        countries: ['KR'],
        startDate: inDays(40),
        endDate: inDays(45),
        capacity: 10,
        registrationClosesAt: new Date(Date.now() + 20 * DAY).toISOString(),
      });
      await transitionTrip(t, agency, planned.id, 'planned');
      const [early] = await addContacts(t, agency, 1);
      const [plannedToken] = await invitationTokens(planned, [early]);

      const plannedView = await viewInvitation(plannedToken).expect(200);
      expect(plannedView.body).toMatchObject({
        status: 'pending',
        trip: { registrationOpen: false },
      });
      expectProblem(await register(plannedToken, REGISTRATION), 409, 'registration_not_open');
      expect(await participantsOf(planned)).toEqual([]);

      const opensAt = new Date(Date.now() + 5 * DAY).toISOString();
      const later = await openTrip(t, agency, { registrationOpensAt: opensAt });
      const [patient] = await addContacts(t, agency, 1);
      const [laterToken] = await invitationTokens(later, [patient]);
      const laterView = await viewInvitation(laterToken).expect(200);
      expect(laterView.body).toMatchObject({
        trip: { registrationOpensAt: opensAt, registrationOpen: false },
      });
      expectProblem(await register(laterToken, REGISTRATION), 409, 'registration_not_open');
      expect(await participantsOf(later)).toEqual([]);

      // Once registration opens, the same link registers.
      await transitionTrip(t, agency, planned.id, 'registration_open');
      expect(await registered(plannedToken)).toMatchObject({ status: 'confirmed' });
    });
  });

  describe('POST /public/invitations/{token}/decline', () => {
    it('declines: staff see it, the link still shows it, and no reminder follows', async () => {
      // Registration closes in two days: the reminder (3 days before, at 09:00) is due.
      const trip = await openTrip(t, agency, {}, 2);
      const [declining, silent] = await addContacts(t, agency, 2);
      const [token] = await invitationTokens(trip, [declining, silent]);
      // Both were sent well before the reminder moment (only such invitations get one).
      await t.dataSource.query(
        `UPDATE invitations SET created_at = now() - interval '7 days', last_sent_at = now() - interval '7 days' WHERE trip_id = $1`,
        [trip.id],
      );

      const declined = await t
        .http()
        .post(`/api/v1/public/invitations/${token}/decline`)
        .expect(200);
      expect(declined.body).toMatchObject({
        status: 'declined',
        invitee: { email: declining.email },
        trip: { title: trip.title },
      });
      // Declining again changes nothing.
      await t.http().post(`/api/v1/public/invitations/${token}/decline`).expect(200);
      const again = await viewInvitation(token).expect(200);
      expect(again.body).toMatchObject({ status: 'declined' });

      const byContact = new Map((await invitationsOf(trip)).map((i) => [i.contactId, i]));
      expect(byContact.get(declining.id)).toMatchObject({
        status: 'declined',
        answeredAt: expect.any(String),
        participantId: null,
      });
      expect(byContact.get(silent.id)).toMatchObject({ status: 'pending' });
      const declinedList = await t
        .http()
        .get(`/api/v1/trips/${trip.id}/invitations?status=declined`)
        .set(staff())
        .expect(200);
      expect((declinedList.body as PageBody<InvitationBody>).items.map((i) => i.contactId)).toEqual(
        [declining.id],
      );

      // Reminder planning (normally every minute or so): only the unanswered invitee gets one.
      await t.worker!.get(MessageKinds).planDue();
      await sink.waitFor(
        (mail) =>
          recipient(mail) === silent.email &&
          mail.subject === `Erinnerung: Anmeldung zu „${trip.title}“ endet bald`,
      );
      await settled();
      expect(sink.messages.filter((mail) => recipient(mail) === declining.email)).toEqual([
        expect.objectContaining({ subject: `Einladung: ${trip.title}` }),
      ]);
      expect(await participantsOf(trip)).toEqual([]);
    });
  });

  describe('GET|PATCH /public/registrations/{token}', () => {
    let trip: OpenTrip;
    let company: { id: string; name: string };
    let participant: InvitedContact;
    let undecided: InvitedContact;
    let undecidedToken: string;
    let token: string;
    let participantId: string;

    beforeAll(async () => {
      company = await organisation('IHK Ostthüringen');
      trip = await openTrip(t, agency);
      [participant] = (await addContacts(t, agency, 1, {
        fields: { partnerOrganisationId: company.id },
      })) as [InvitedContact];
      [undecided] = (await addContacts(t, agency, 1, {
        fields: { firstName: 'Timur' },
      })) as [InvitedContact];
      const [invitationToken, otherToken] = await invitationTokens(trip, [participant, undecided]);
      undecidedToken = otherToken!;
      token = (await registered(invitationToken, { ...REGISTRATION, dietaryNeeds: 'vegetarisch' }))
        .registrationToken;
      participantId = (await participantOf(trip, participant)).id;
    });

    const staffView = async () =>
      (
        await t
          .http()
          .get(`/api/v1/trips/${trip.id}/participants/${participantId}`)
          .set(staff())
          .expect(200)
      ).body as ParticipantBody;

    const staffDocument = async () =>
      (
        await t
          .http()
          .get(`/api/v1/trips/${trip.id}/participants/${participantId}/travel-document`)
          .set(staff())
          .expect(200)
      ).body as TravelDocumentBody;

    it('shows the participant their own registration', async () => {
      const view = await viewRegistration(token).expect(200);
      expect(view.body).toMatchObject({
        status: 'confirmed',
        waitlistPosition: null,
        category: 'business',
        organisation: company,
        dietaryNeeds: 'vegetarisch',
        consentAt: expect.any(String),
        travelDocument: null,
        editable: true,
        participant: { firstName: 'Aigerim', lastName: participant.lastName },
        agency: { name: 'Thüringen International' },
        trip: { title: trip.title, registrationClosesAt: trip.registrationClosesAt },
      });
      const json = JSON.stringify(view.body);
      expect(json).not.toContain(undecided.email);
      expect(json).not.toContain('Timur');
      expect(json).not.toContain(agency.tenantId);
      expect(json).not.toContain(trip.id);
    });

    it('PATCH corrects needs, arrival and answers; staff see the change', async () => {
      const changes = {
        dietaryNeeds: 'vegan, keine Nüsse',
        arrival: 'TK 352 über Istanbul, 25.09. 05:40',
        answers: { hotel: 'Einzelzimmer', excursion: true },
      };
      const patched = await updateRegistration(token, changes).expect(200);
      expect(patched.body).toMatchObject({ ...changes, status: 'confirmed' });
      expect((await viewRegistration(token).expect(200)).body).toMatchObject(changes);
      expect(await staffView()).toMatchObject(changes);
    });

    it('PATCH takes the passport: masked to the participant, in full for the owner', async () => {
      const patched = await updateRegistration(token, { travelDocument: PASSPORT }).expect(200);
      const shown = (patched.body as RegistrationViewBody).travelDocument;
      expect(shown).toMatchObject({
        passportNumber: '*****0T47',
        nationality: 'DE',
        issuingCountry: 'DE',
        expiresOn: '2031-03-13',
      });
      expect(JSON.stringify(patched.body)).not.toContain(PASSPORT.passportNumber);
      const view = await viewRegistration(token).expect(200);
      expect((view.body as RegistrationViewBody).travelDocument?.passportNumber).toBe('*****0T47');
      expect(JSON.stringify(view.body)).not.toContain(PASSPORT.passportNumber);
      expect(await staffDocument()).toMatchObject(PASSPORT);
    });

    it('PATCH with bad fields is 400 and changes nothing', async () => {
      const before = (await viewRegistration(token).expect(200)).body as RegistrationViewBody;
      const documentBefore = await staffDocument();
      const refused: [Record<string, unknown>, string][] = [
        [{ role: 'delegation_lead' }, 'role'],
        [{ status: 'cancelled' }, 'status'],
        [{ organisationId: randomUUID() }, 'organisationId'],
        [{ category: 'vip' }, 'category'],
        [{ visaRequired: 'yes' }, 'visaRequired'],
        [{ answers: 'ja' }, 'answers'],
        [{ dietaryNeeds: 'x'.repeat(501) }, 'dietaryNeeds'],
        [
          { dietaryNeeds: 'halal', travelDocument: { ...PASSPORT, passportNumber: 'C0#1' } },
          'travelDocument.passportNumber',
        ],
        [
          { dietaryNeeds: 'halal', travelDocument: { ...PASSPORT, nationality: 'Deutsch' } },
          'travelDocument.nationality',
        ],
        // Valid in itself, wrong together: the needs must not be saved without the passport.
        [
          {
            dietaryNeeds: 'halal',
            travelDocument: { ...PASSPORT, passportNumber: 'C02X00T48', issuedOn: '2032-01-01' },
          },
          'travelDocument.expiresOn',
        ],
      ];
      for (const [body, field] of refused) {
        const problem = expectProblem(
          await updateRegistration(token, body),
          400,
          'validation_failed',
        );
        expect({ body, fields: problem.errors!.map((error) => error.field) }).toEqual({
          body,
          fields: [field],
        });
      }
      expect((await viewRegistration(token).expect(200)).body).toEqual(before);
      expect(await staffDocument()).toEqual(documentBefore);
      expect((await staffView()).dietaryNeeds).toBe(before.dietaryNeeds);
    });

    it('after registration closes, PATCH and cancel are 409 registration_closed; the page still shows, not editable', async () => {
      await transitionTrip(t, agency, trip.id, 'registration_closed');

      expectProblem(
        await updateRegistration(token, { dietaryNeeds: 'halal' }),
        409,
        'registration_closed',
      );
      expectProblem(await cancelRegistration(token), 409, 'registration_closed');
      const view = await viewRegistration(token).expect(200);
      expect(view.body).toMatchObject({
        status: 'confirmed',
        dietaryNeeds: 'vegan, keine Nüsse',
        editable: false,
        trip: { registrationOpen: false },
      });
      expect(await staffView()).toMatchObject({
        status: 'confirmed',
        dietaryNeeds: 'vegan, keine Nüsse',
      });
      // An invitation nobody answered has expired with the registration.
      expectProblem(await viewInvitation(undecidedToken), 404, 'not_found');
    });
  });

  describe('POST /public/registrations/{token}/cancel', () => {
    let trip: OpenTrip;
    let first: InvitedContact;
    let second: InvitedContact;
    let firstToken: string;
    let secondToken: string;
    let secondAnswer: RegisteredBody;

    beforeAll(async () => {
      trip = await openTrip(t, agency, { capacity: 1 });
      [first, second] = (await addContacts(t, agency, 2)) as [InvitedContact, InvitedContact];
      const [a, b] = await invitationTokens(trip, [first, second]);
      const firstAnswer = await registered(a);
      expect(firstAnswer.status).toBe('confirmed');
      firstToken = firstAnswer.registrationToken;
      secondAnswer = await registered(b);
      secondToken = secondAnswer.registrationToken;
    });

    it('a full trip waitlists the registrant and emails their place in line', async () => {
      expect(secondAnswer).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
      const mail = await sink.waitFor(
        (m) => recipient(m) === second.email && m.subject === `Warteliste: ${trip.title}`,
      );
      expect(mail.text).toContain('Platz 1');
      expect(linkToken(mail, 'registrations')).toBe(secondToken);
    });

    it('cancelling frees the seat for the head of the waitlist; each hears of it once', async () => {
      const cancelled = await cancelRegistration(firstToken).expect(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        waitlistPosition: null,
        editable: false,
      });
      const promoted = await viewRegistration(secondToken).expect(200);
      expect(promoted.body).toMatchObject({ status: 'confirmed', waitlistPosition: null });
      expect(
        Object.fromEntries((await participantsOf(trip)).map((p) => [p.contactId, p.status])),
      ).toEqual({ [first.id]: 'cancelled', [second.id]: 'confirmed' });

      const confirmation = await sink.waitFor(
        (m) => recipient(m) === second.email && m.subject === `Teilnahme bestätigt: ${trip.title}`,
      );
      expect(linkToken(confirmation, 'registrations')).toBe(secondToken);
      const cancellation = await sink.waitFor(
        (m) => recipient(m) === first.email && m.subject === `Teilnahme storniert: ${trip.title}`,
      );
      expect(cancellation.text).toContain('storniert');
      await settled();
      expect(mails(second.email, `Teilnahme bestätigt: ${trip.title}`)).toHaveLength(1);
      expect(mails(first.email, `Teilnahme storniert: ${trip.title}`)).toHaveLength(1);
      expect(mails(first.email, `Teilnahme bestätigt: ${trip.title}`)).toHaveLength(1);
    });

    it('cancelling again is 200 and sends nothing more; a cancelled registration cannot be changed', async () => {
      const again = await cancelRegistration(firstToken).expect(200);
      expect(again.body).toMatchObject({ status: 'cancelled' });
      expectProblem(
        await updateRegistration(firstToken, { dietaryNeeds: 'halal' }),
        409,
        'registration_final',
      );
      await settled();
      expect(mails(first.email, `Teilnahme storniert: ${trip.title}`)).toHaveLength(1);
      expect(mails(second.email, `Teilnahme bestätigt: ${trip.title}`)).toHaveLength(1);
    });
  });

  describe('status changes by staff', () => {
    it('with approval: registrations are under review; confirming, rejecting and cancelling each email once', async () => {
      const trip = await openTrip(t, agency, { approvalRequired: true, capacity: 5 });
      const [accepted, refused] = (await addContacts(t, agency, 2)) as [
        InvitedContact,
        InvitedContact,
      ];
      const [a, b] = await invitationTokens(trip, [accepted, refused]);
      const acceptedAnswer = await registered(a);
      const refusedAnswer = await registered(b);
      expect([acceptedAnswer.status, refusedAnswer.status]).toEqual(['applied', 'applied']);
      const received = await sink.waitFor(
        (m) =>
          recipient(m) === accepted.email && m.subject === `Anmeldung eingegangen: ${trip.title}`,
      );
      expect(linkToken(received, 'registrations')).toBe(acceptedAnswer.registrationToken);

      const acceptedId = (await participantOf(trip, accepted)).id;
      const refusedId = (await participantOf(trip, refused)).id;
      expect(await staffTransition(trip, acceptedId, 'confirmed')).toMatchObject({
        status: 'confirmed',
      });
      expect(await staffTransition(trip, refusedId, 'rejected')).toMatchObject({
        status: 'rejected',
      });
      const rejection = await sink.waitFor(
        (m) => recipient(m) === refused.email && m.subject === `Ihre Anmeldung zu „${trip.title}“`,
      );
      // Nothing is left to manage after a rejection.
      expect(rejection.text).not.toContain('/registrations/');
      await sink.waitFor(
        (m) =>
          recipient(m) === accepted.email && m.subject === `Teilnahme bestätigt: ${trip.title}`,
      );
      await staffTransition(trip, acceptedId, 'cancelled');
      await sink.waitFor(
        (m) =>
          recipient(m) === accepted.email && m.subject === `Teilnahme storniert: ${trip.title}`,
      );
      // A rejected registration cannot be cancelled or changed through the link.
      expectProblem(
        await cancelRegistration(refusedAnswer.registrationToken),
        409,
        'registration_final',
      );
      expect(
        (
          (await viewRegistration(acceptedAnswer.registrationToken).expect(200)).body as {
            status: string;
          }
        ).status,
      ).toBe('cancelled');

      await settled();
      for (const [email, subject] of [
        [accepted.email, `Anmeldung eingegangen: ${trip.title}`],
        [accepted.email, `Teilnahme bestätigt: ${trip.title}`],
        [accepted.email, `Teilnahme storniert: ${trip.title}`],
        [refused.email, `Anmeldung eingegangen: ${trip.title}`],
        [refused.email, `Ihre Anmeldung zu „${trip.title}“`],
      ] as const) {
        expect({ subject, count: mails(email, subject).length }).toEqual({ subject, count: 1 });
      }
      // Invitation and "received" for each, then the one decision each.
      expect(sink.messages.filter((m) => recipient(m) === accepted.email)).toHaveLength(4);
      expect(sink.messages.filter((m) => recipient(m) === refused.email)).toHaveLength(3);
    });

    it('a status message overtaken before it went out is not sent; the newer one is', async () => {
      const trip = await openTrip(t, agency);
      const [person] = (await addContacts(t, agency, 1)) as [InvitedContact];
      const [token] = await invitationTokens(trip, [person]);
      await t.stopWorker();
      try {
        const answer = await registered(token);
        expect(answer.status).toBe('confirmed');
        await cancelRegistration(answer.registrationToken).expect(200);
      } finally {
        await t.startWorker();
      }
      await sink.waitFor(
        (m) => recipient(m) === person.email && m.subject === `Teilnahme storniert: ${trip.title}`,
      );
      await settled();
      expect(mails(person.email, `Teilnahme bestätigt: ${trip.title}`)).toHaveLength(0);
      const log = await t
        .http()
        .get('/api/v1/notifications')
        .query({ contactId: person.id, kind: 'registration_confirmed' })
        .set(bearer(agency.owner.accessToken))
        .expect(200);
      expect(log.body.items).toEqual([
        expect.objectContaining({
          status: 'cancelled',
          lastError: 'Not sent: the registration is cancelled now.',
        }),
      ]);
    });

    it('PATCH honours If-Match: a stale version is 412 and changes nothing', async () => {
      const trip = await openTrip(t, agency);
      const [person] = (await addContacts(t, agency, 1)) as [InvitedContact];
      const [token] = await invitationTokens(trip, [person]);
      const answer = await registered(token);
      const view = await viewRegistration(answer.registrationToken).expect(200);
      const etag = String(view.headers.etag);
      expect(etag).toBe(`"${(view.body as { version: number }).version}"`);
      await updateRegistration(answer.registrationToken, { dietaryNeeds: 'vegan' })
        .set('If-Match', etag)
        .expect(200);
      const stale = await updateRegistration(answer.registrationToken, {
        dietaryNeeds: 'halal',
      }).set('If-Match', etag);
      expectProblem(stale, 412, 'precondition_failed');
      const now = await viewRegistration(answer.registrationToken).expect(200);
      expect(now.body).toMatchObject({ dietaryNeeds: 'vegan' });
    });

    it('an applicant under review may withdraw through the link, and hears of it once', async () => {
      const trip = await openTrip(t, agency, { approvalRequired: true });
      const [applicant] = (await addContacts(t, agency, 1)) as [InvitedContact];
      const [token] = await invitationTokens(trip, [applicant]);
      const answer = await registered(token);
      expect(answer.status).toBe('applied');
      const withdrawn = await cancelRegistration(answer.registrationToken).expect(200);
      expect(withdrawn.body).toMatchObject({ status: 'cancelled', editable: false });
      expect((await participantOf(trip, applicant)).status).toBe('cancelled');
      await sink.waitFor(
        (m) =>
          recipient(m) === applicant.email && m.subject === `Teilnahme storniert: ${trip.title}`,
      );
      await settled();
      expect(mails(applicant.email, `Teilnahme storniert: ${trip.title}`)).toHaveLength(1);
    });

    it('a capacity raise promotes from the waitlist, and the promoted hear of it once', async () => {
      const trip = await openTrip(t, agency, { capacity: 1 });
      const [seated, waiting] = (await addContacts(t, agency, 2)) as [
        InvitedContact,
        InvitedContact,
      ];
      const [a, b] = await invitationTokens(trip, [seated, waiting]);
      await registered(a);
      const waitingAnswer = await registered(b);
      expect(waitingAnswer.status).toBe('waitlisted');

      await t
        .http()
        .patch(`/api/v1/trips/${trip.id}`)
        .set(staff())
        .send({ capacity: 2 })
        .expect(200);

      const view = await viewRegistration(waitingAnswer.registrationToken).expect(200);
      expect(view.body).toMatchObject({ status: 'confirmed', waitlistPosition: null });
      await sink.waitFor(
        (m) => recipient(m) === waiting.email && m.subject === `Teilnahme bestätigt: ${trip.title}`,
      );
      await settled();
      expect(mails(waiting.email, `Teilnahme bestätigt: ${trip.title}`)).toHaveLength(1);
      expect(mails(seated.email, `Teilnahme bestätigt: ${trip.title}`)).toHaveLength(1);
    });

    it('staff adding a participant directly sends no email now (their departure reminders are planned for later)', async () => {
      const trip = await openTrip(t, agency);
      const [contact] = await addContacts(t, agency, 1);
      const added = await t
        .http()
        .post(`/api/v1/trips/${trip.id}/participants`)
        .set(staff())
        .send({ contactId: contact.id, role: 'member', category: 'business' })
        .expect(201);
      expect(added.body).toMatchObject({ status: 'confirmed' });

      await settled();
      expect(sink.messages.filter((m) => recipient(m) === contact.email)).toEqual([]);
      const log = await t
        .http()
        .get(`/api/v1/notifications?contactId=${contact.id}`)
        .set(staff())
        .expect(200);
      expect(
        (log.body as PageBody<{ kind: string; status: string; dueAt: string }>).items.map(
          (item) => [item.kind, item.status, item.dueAt > new Date().toISOString()],
        ),
      ).toEqual([
        ['departure_reminder', 'scheduled', true],
        ['departure_reminder', 'scheduled', true],
      ]);
    });
  });

  describe('tokens', () => {
    let trip: OpenTrip;
    let contacts: InvitedContact[];
    let pendingToken: string;
    let registrationToken: string;

    beforeAll(async () => {
      trip = await openTrip(t, agency);
      contacts = await addContacts(t, agency, 2);
      const [pending, accepted] = await invitationTokens(trip, contacts);
      pendingToken = pending!;
      registrationToken = (await registered(accepted)).registrationToken;
    });

    it('tampered, unknown, malformed and cross-purpose tokens are all the same 404', async () => {
      const unknown = `${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      const invitationLinks = [
        tamper(pendingToken, 1),
        tamper(pendingToken, 0),
        splice(registrationToken, pendingToken),
        unknown,
        'garbage',
        'a.b',
        `${pendingToken}.x`,
        randomUUID(),
        registrationToken,
      ];
      const registrationLinks = [
        tamper(registrationToken, 1),
        tamper(registrationToken, 0),
        splice(pendingToken, registrationToken),
        unknown,
        'garbage',
        randomUUID(),
        pendingToken,
      ];
      const responses: Response[] = [];
      for (const token of invitationLinks) {
        responses.push(
          await viewInvitation(token),
          await register(token, REGISTRATION),
          await t.http().post(`/api/v1/public/invitations/${token}/decline`),
        );
      }
      for (const token of registrationLinks) {
        responses.push(
          await viewRegistration(token),
          await updateRegistration(token, { dietaryNeeds: 'halal' }),
          await cancelRegistration(token),
        );
      }
      const shapes = new Set(
        responses.map((response) => {
          // `instance` is the path asked for; everything else must be the same.
          const problem: Partial<ProblemBody> = { ...expectProblem(response, 404, 'not_found') };
          delete problem.instance;
          return JSON.stringify(problem);
        }),
      );
      expect([...shapes].map((shape) => JSON.parse(shape) as unknown)).toEqual([
        {
          type: 'urn:delegation-desk:problem:not-found',
          title: 'Not Found',
          status: 404,
          detail: expect.any(String),
          code: 'not_found',
        },
      ]);

      // The real links are untouched.
      expect((await viewInvitation(pendingToken).expect(200)).body).toMatchObject({
        status: 'pending',
      });
      expect((await viewRegistration(registrationToken).expect(200)).body).toMatchObject({
        status: 'confirmed',
        dietaryNeeds: null,
      });
      expect(await participantsOf(trip)).toHaveLength(1);
    });

    it('a token of one agency never reaches another agency’s data', async () => {
      const other = await signUpAgency(t, { tenantName: 'Sachsen Global' });
      const theirTrip = await openTrip(t, other);
      const [theirContact] = await addContacts(t, other, 1);
      const [theirToken] = await invitationTokens(theirTrip, [theirContact], undefined, other);

      const ours = await viewInvitation(pendingToken).expect(200);
      expect(ours.body).toMatchObject({
        agency: { name: 'Thüringen International' },
        trip: { title: trip.title },
      });
      const theirs = await viewInvitation(theirToken).expect(200);
      expect(theirs.body).toMatchObject({
        agency: { name: 'Sachsen Global' },
        trip: { title: theirTrip.title },
        invitee: { email: theirContact.email },
      });
      for (const json of [JSON.stringify(ours.body), JSON.stringify(theirs.body)]) {
        expect(json).not.toContain(agency.tenantId);
        expect(json).not.toContain(other.tenantId);
      }
      expect(JSON.stringify(ours.body)).not.toContain('Sachsen Global');
      expect(JSON.stringify(theirs.body)).not.toContain(trip.title);

      // One agency's signature on the other's invitation (and back) opens nothing.
      for (const forged of [splice(theirToken, pendingToken), splice(pendingToken, theirToken)]) {
        expectProblem(await viewInvitation(forged), 404, 'not_found');
        expectProblem(await register(forged, REGISTRATION), 404, 'not_found');
      }
      expect(await participantsOf(trip)).toHaveLength(1);
      const theirParticipants = await t
        .http()
        .get(`/api/v1/trips/${theirTrip.id}/participants`)
        .set(staff(other))
        .expect(200);
      expect((theirParticipants.body as PageBody<unknown>).items).toEqual([]);
    });

    it('a revoked invitation’s link is 404; inviting again sends a new link and the old stays dead', async () => {
      const [contact] = await addContacts(t, agency, 1);
      const report = await invite(trip, [contact]);
      const invitationId = report.results[0].invitationId!;
      const oldToken = linkToken(await invitationMail(contact.email, trip.title), 'invitations');
      await viewInvitation(oldToken).expect(200);

      await t
        .http()
        .post(`/api/v1/trips/${trip.id}/invitations/${invitationId}/revoke`)
        .set(staff())
        .expect(200);

      expectProblem(await viewInvitation(oldToken), 404, 'not_found');
      expectProblem(await register(oldToken, REGISTRATION), 404, 'not_found');
      expectProblem(
        await t.http().post(`/api/v1/public/invitations/${oldToken}/decline`),
        404,
        'not_found',
      );

      // Inviting again renews the invitation with a new link.
      expect(await invite(trip, [contact])).toEqual({
        invited: 1,
        results: [{ contactId: contact.id, outcome: 'invited', invitationId }],
      });
      await eventually(
        () => mails(contact.email, `Einladung: ${trip.title}`).length === 2,
        10_000,
        'the second invitation email',
      );
      const newToken = linkToken(
        mails(contact.email, `Einladung: ${trip.title}`)[1],
        'invitations',
      );
      expect(newToken).not.toBe(oldToken);
      expectProblem(await viewInvitation(oldToken), 404, 'not_found');
      expect((await viewInvitation(newToken).expect(200)).body).toMatchObject({
        status: 'pending',
      });
      expect((await participantsOf(trip)).map((p) => p.contactId)).not.toContain(contact.id);
    });

    it('an erased person’s links are 404', async () => {
      const [person] = await addContacts(t, agency, 1);
      const [invitationToken] = await invitationTokens(trip, [person]);
      const { registrationToken: ownToken } = await registered(invitationToken);
      await viewRegistration(ownToken).expect(200);

      await t.http().post(`/api/v1/contacts/${person.id}/erase`).set(staff()).expect(200);

      expectProblem(await viewRegistration(ownToken), 404, 'not_found');
      expectProblem(
        await updateRegistration(ownToken, { dietaryNeeds: 'halal' }),
        404,
        'not_found',
      );
      expectProblem(await cancelRegistration(ownToken), 404, 'not_found');
      expectProblem(await viewInvitation(invitationToken), 404, 'not_found');
      // The participation stays, as a statistic, unchanged by the attempts.
      expect(await participantOf(trip, person)).toMatchObject({
        status: 'confirmed',
        dietaryNeeds: null,
      });
    });
  });
});

/** The public endpoints are rate-limited per client address (its own app: a low limit). */
describe('public links rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      config: { RATE_LIMIT_PUBLIC_PER_MINUTE: 5, TRUST_PROXY: ['loopback'] },
    });
  });

  afterAll(() => t?.close());

  it('answers the sixth request a minute from one client with 429, Retry-After and problem+json', async () => {
    const from = (address: string) => ({ 'X-Forwarded-For': address });
    const token = `${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const client = from('203.0.113.40');
    // Every public endpoint counts, whatever the answer.
    await t.http().get(`/api/v1/public/invitations/${token}`).set(client).expect(404);
    await t
      .http()
      .post(`/api/v1/public/invitations/${token}/registration`)
      .set(client)
      .send(REGISTRATION)
      .expect(404);
    await t.http().post(`/api/v1/public/invitations/${token}/decline`).set(client).expect(404);
    await t.http().get(`/api/v1/public/registrations/${token}`).set(client).expect(404);
    await t.http().post(`/api/v1/public/registrations/${token}/cancel`).set(client).expect(404);

    for (const sixth of [
      t.http().get(`/api/v1/public/invitations/${token}`),
      t.http().patch(`/api/v1/public/registrations/${token}`).send({ dietaryNeeds: 'halal' }),
    ]) {
      const limited = await sixth.set(client);
      expectProblem(limited, 429, 'rate_limited');
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Another client is not affected.
    await t.http().get(`/api/v1/public/invitations/${token}`).set(from('203.0.113.41')).expect(404);
  });
});
