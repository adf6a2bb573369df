import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { OutgoingMail } from '../../src/mail/mail-transport.js';
import type { Body, Headers } from './api.js';
import { bearer, type Agency } from './identity.js';
import type { TestApp } from './test-app.js';

/**
 * Test data with sensible defaults, and the records the e2e tests set up
 * through the API (partner organisations, contacts, trips, stations,
 * participants, passports): pass only what the test is about. Each factory
 * expects the API to accept the request (201, or 200 for a transition or a
 * passport) and returns the record as the API answers it. They are for
 * setting a test up; a request that is itself under test stays in the test.
 */

/** Who sets up: an agency (as its owner), or the headers of a staff member or an API key. */
export type Actor = Agency | Headers;

const isAgency = (as: Actor): as is Agency => typeof (as as Agency).owner === 'object';
const headersOf = (as: Actor): Headers => (isAgency(as) ? bearer(as.owner.accessToken) : as);

/** A short random marker, so names and emails never collide across tests and runs. */
export const tag = () => randomUUID().slice(0, 8);

async function post<T>(
  t: TestApp,
  as: Actor,
  path: string,
  body: object,
  status: 200 | 201 = 201,
): Promise<T> {
  const response = await t.http().post(`/api/v1${path}`).set(headersOf(as)).send(body);
  expectStatus(response, status, `POST ${path}`);
  return response.body as T;
}

/** Fails the test unless the API answered `status`, naming the request and showing the answer. */
function expectStatus(response: Response, status: number, request: string): void {
  if (response.status !== status) {
    throw new Error(
      `${request} answered ${response.status}, expected ${status}: ${JSON.stringify(response.body)}`,
    );
  }
}

// ------------------------------------------------------------------ mail

/** A mail to send, with sensible defaults; pass only what the test is about. */
export function makeMail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: 'aigerim.sadykova@example.kz',
    fromName: 'Thüringen International',
    subject: 'Einladung: Markterkundungsreise Kasachstan und Usbekistan',
    text: 'Sehr geehrte Frau Sadykova,\n\nwir laden Sie herzlich ein.',
    html: '<p>Sehr geehrte Frau Sadykova,</p><p>wir laden Sie herzlich ein.</p>',
    ...overrides,
  };
}

// ------------------------------------------------------------------ directory

/** A partner organisation as the API returns it. */
export interface OrganisationBody {
  id: string;
  name: string;
  shortName: string | null;
  kind: string;
  country: string;
  city: string | null;
  website: string | null;
  sectors: string[];
  registerId: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A contact as the API returns it. */
export interface ContactBody {
  id: string;
  partnerOrganisationId: string | null;
  title: string | null;
  firstName: string | null;
  lastName: string;
  position: string | null;
  email: string | null;
  phone: string | null;
  preferredLanguage: string | null;
  notes: string | null;
  erasedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A valid organisation body with a unique name. */
export const organisationBody = (fields: Body = {}): Body => ({
  name: `Kasachisch-Deutsche Handelsgesellschaft ${tag()}`,
  kind: 'company',
  country: 'DE',
  ...fields,
});

/** A valid contact body with a unique email (`email: undefined` leaves it out). */
export const contactBody = (fields: Body = {}): Body => ({
  firstName: 'Aigerim',
  lastName: 'Sadykova',
  email: `aigerim.${tag()}@partner.example`,
  ...fields,
});

/** A new partner organisation: `organisationBody(fields)`. */
export function createOrganisation(
  t: TestApp,
  as: Actor,
  fields: Body = {},
): Promise<OrganisationBody> {
  return post(t, as, '/partner-organisations', organisationBody(fields));
}

/** A new contact: `contactBody(fields)`. */
export function createContact(t: TestApp, as: Actor, fields: Body = {}): Promise<ContactBody> {
  return post(t, as, '/contacts', contactBody(fields));
}

// ------------------------------------------------------------------ trips

export type TripStatus =
  | 'draft'
  | 'planned'
  | 'registration_open'
  | 'registration_closed'
  | 'in_progress'
  | 'completed'
  | 'cancelled';

/** The transitions that take a new (draft) trip to each status. */
export const ROUTE_TO: Record<TripStatus, TripStatus[]> = {
  draft: [],
  planned: ['planned'],
  registration_open: ['planned', 'registration_open'],
  registration_closed: ['planned', 'registration_open', 'registration_closed'],
  in_progress: ['planned', 'registration_open', 'registration_closed', 'in_progress'],
  completed: ['planned', 'registration_open', 'registration_closed', 'in_progress', 'completed'],
  cancelled: ['cancelled'],
};

/** A trip as the API returns it. */
export interface TripBody {
  id: string;
  title: string;
  kind: string;
  status: TripStatus;
  countries: string[];
  startDate: string;
  endDate: string;
  capacity: number;
  seatsPerOrganisation: number | null;
  waitlistPolicy: string;
  registrationMode: string;
  approvalRequired: boolean;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  sectors: string[];
  coOrganiserIds: string[];
  leadContactId: string | null;
  leadRole: string | null;
  description: string | null;
  allowedTransitions: TripStatus[];
  participantCounts: Record<string, number>;
  seatsLeft: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A station as the API returns it. */
export interface StationBody {
  id: string;
  tripId: string;
  city: string;
  country: string;
  timezone: string;
  arrivalDate: string;
  departureDate: string;
  position: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * The demo trip (DESIGN §1), in the past: it ends 2 Oct 2022, so passports
 * must last until 2 Apr 2023. Tests take a copy with the capacity they need.
 */
export const KASACHSTAN = {
  title: 'Markterkundungsreise Kasachstan und Usbekistan',
  kind: 'market_exploration',
  countries: ['KZ', 'UZ'],
  startDate: '2022-09-25',
  endDate: '2022-10-02',
  capacity: 25,
};

/** The other demo trips (past). */
export const ZENTRALASIEN = {
  title: 'Delegationsreise Zentralasien',
  kind: 'delegation',
  countries: ['KZ', 'UZ', 'KG'],
  startDate: '2023-04-23',
  endDate: '2023-04-29',
  capacity: 20,
};
export const SUEDKOREA = {
  title: 'Geschäftsreise Südkorea',
  kind: 'delegation',
  countries: ['KR'],
  startDate: '2024-09-02',
  endDate: '2024-09-06',
  capacity: 15,
};

/** KASACHSTAN with `fields`. */
export const tripBody = (fields: Body = {}): Body => ({ ...KASACHSTAN, ...fields });

/** A new (draft) trip: `body` as it is, KASACHSTAN unless given. */
export function createTrip(t: TestApp, as: Actor, body: Body = KASACHSTAN): Promise<TripBody> {
  return post(t, as, '/trips', body);
}

/** One transition of a trip; returns the trip as it left it. */
export function transitionTrip(
  t: TestApp,
  as: Actor,
  tripId: string,
  to: TripStatus,
): Promise<TripBody> {
  return post(t, as, `/trips/${tripId}/transitions`, { to }, 200);
}

/** Takes a trip through `steps`, one transition each; returns it as the last step left it. */
export async function moveTrip<T extends { id: string }>(
  t: TestApp,
  as: Actor,
  trip: T,
  steps: readonly TripStatus[],
): Promise<T | TripBody> {
  let current: T | TripBody = trip;
  for (const to of steps) current = await transitionTrip(t, as, trip.id, to);
  return current;
}

/** A new trip (`body`, KASACHSTAN unless given), taken to `status`. */
export async function tripIn(
  t: TestApp,
  as: Actor,
  status: TripStatus,
  body: Body = KASACHSTAN,
): Promise<TripBody> {
  return moveTrip(t, as, await createTrip(t, as, body), ROUTE_TO[status]);
}

/** A new station of a trip. */
export function addStation(
  t: TestApp,
  as: Actor,
  tripId: string,
  body: Body,
): Promise<StationBody> {
  return post(t, as, `/trips/${tripId}/stations`, body);
}

// ------------------------------------------------------------------ participants

export type ParticipantStatus =
  'applied' | 'confirmed' | 'waitlisted' | 'rejected' | 'cancelled' | 'attended' | 'no_show';

/** A participant as the API returns it. */
export interface ParticipantBody {
  id: string;
  tripId: string;
  contactId: string;
  organisationId: string | null;
  role: string;
  category: string;
  status: ParticipantStatus;
  waitlistPosition: number | null;
  registeredAt: string;
  statusChangedAt: string;
  dietaryNeeds: string | null;
  accessibilityNeeds: string | null;
  arrival: string | null;
  departure: string | null;
  visaRequired: boolean;
  visaStatus: string;
  answers: Record<string, unknown>;
  notes: string | null;
  consentAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A passport on file as the API returns it. */
export interface TravelDocumentBody {
  participantId: string;
  passportNumber: string;
  nationality: string;
  issuingCountry: string;
  issuedOn: string | null;
  expiresOn: string;
  validityRequiredUntil: string;
  expiryWarning: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What a registration is unless the test says otherwise. */
export const MEMBER = { role: 'member', category: 'business' } as const;

/**
 * Registers someone on a trip: `fields` name the person (`contactId` of a
 * contact, or an inline `contact`) and anything beyond a business member.
 */
export function addParticipant(
  t: TestApp,
  as: Actor,
  tripId: string,
  fields: Body,
): Promise<ParticipantBody> {
  return post(t, as, `/trips/${tripId}/participants`, { ...MEMBER, ...fields });
}

/** A new contact (`contactBody()`) of the agency, registered on the trip with `fields`. */
export async function enrol(
  t: TestApp,
  agency: Agency,
  tripId: string,
  fields: Body = {},
): Promise<ParticipantBody> {
  const contact = await createContact(t, agency);
  return addParticipant(t, agency, tripId, { contactId: contact.id, ...fields });
}

/** Enrols one after the other, so their arrival order is the order given. */
export async function enrolInTurn(
  t: TestApp,
  agency: Agency,
  tripId: string,
  fieldsList: Body[],
): Promise<ParticipantBody[]> {
  const participants: ParticipantBody[] = [];
  for (const fields of fieldsList) participants.push(await enrol(t, agency, tripId, fields));
  return participants;
}

/** A German passport as printed. */
export const PASSPORT = {
  passportNumber: 'C01X00T47',
  nationality: 'DE',
  issuingCountry: 'DE',
  issuedOn: '2019-03-14',
  expiresOn: '2029-03-13',
};

/** Puts a passport on file for a participant (`body`, PASSPORT unless given). */
export async function recordPassport(
  t: TestApp,
  as: Actor,
  participant: { tripId: string; id: string },
  body: Body = PASSPORT,
): Promise<TravelDocumentBody> {
  const response = await t
    .http()
    .put(`/api/v1/trips/${participant.tripId}/participants/${participant.id}/travel-document`)
    .set(headersOf(as))
    .send(body);
  expectStatus(response, 200, `PUT travel-document of participant ${participant.id}`);
  return response.body as TravelDocumentBody;
}

// ------------------------------------------------------------------ programme

export type MeetingStatus = 'planned' | 'confirmed' | 'held' | 'cancelled';

/** A meeting as the API returns it. */
export interface MeetingBody {
  id: string;
  tripId: string;
  stationId: string;
  title: string;
  kind: string;
  status: MeetingStatus;
  /** UTC instants (ISO, Z). */
  startsAt: string;
  endsAt: string;
  /** The same instants as they read at the station, from the IANA zone at the start. */
  local: { startsAt: string; endsAt: string; date: string; timeZone: string; utcOffset: string };
  location: { name: string; address: string | null } | null;
  counterparts: { organisationIds: string[]; contactIds: string[] };
  attendeeIds: string[];
  hostUserId: string | null;
  notes: string | null;
  outcome: string | null;
  visibility: 'delegation' | 'attendees';
  allowedTransitions: MeetingStatus[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A valid meeting body at a station: a B2B hour, 10:00 to 11:00 local on 1 March 2024. */
export const meetingBody = (stationId: string, fields: Body = {}): Body => ({
  title: `B2B-Gespräch ${tag()}`,
  kind: 'b2b',
  stationId,
  startsAt: '2024-03-01T10:00',
  endsAt: '2024-03-01T11:00',
  ...fields,
});

/** A new (planned) meeting of a trip: `meetingBody(stationId, fields)`. */
export function createMeeting(
  t: TestApp,
  as: Actor,
  tripId: string,
  stationId: string,
  fields: Body = {},
): Promise<MeetingBody> {
  return post(t, as, `/trips/${tripId}/meetings`, meetingBody(stationId, fields));
}

/** Takes a meeting through `steps`, one transition each; returns it as the last step left it. */
export async function moveMeeting(
  t: TestApp,
  as: Actor,
  meeting: MeetingBody,
  steps: readonly MeetingStatus[],
): Promise<MeetingBody> {
  let current = meeting;
  for (const to of steps) {
    current = await post<MeetingBody>(
      t,
      as,
      `/trips/${meeting.tripId}/meetings/${meeting.id}/transitions`,
      { to },
      200,
    );
  }
  return current;
}
