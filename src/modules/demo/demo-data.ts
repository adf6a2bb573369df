import { startOfDay } from '../../common/time.js';
import type {
  AgreementCategory,
  AgreementKind,
  AgreementStatus,
} from '../agreements/agreements.constants.js';
import type { CreateContactDto } from '../directory/dto/contact.dto.js';
import type { CreatePartnerOrganisationDto } from '../directory/dto/partner-organisation.dto.js';
import type {
  ParticipantCategory,
  ParticipantRole,
  VisaStatus,
} from '../participants/participants.constants.js';
import { addMonths } from '../participants/travel-documents.service.js';
import type { MeetingKind } from '../programme/programme.constants.js';
import type { CreateStationDto } from '../trips/dto/station.dto.js';
import type { CreateTripDto } from '../trips/dto/trip.dto.js';
import type { TripStatus } from '../trips/trips.constants.js';

/**
 * The demo tenant, from ../shared/demo/facts.md: real organisations and
 * trips of a German regional trade-promotion agency; people are invented
 * (by role) and use example.org addresses.
 */
export const DEMO_TENANT = 'Thüringen International';
export const DEMO_OWNER = { name: 'Katrin Weber', email: 'demo.owner@example.org' };

type Organisation = CreatePartnerOrganisationDto & { key: string };
export const ORGANISATIONS: Organisation[] = [
  {
    key: 'leg',
    name: 'Landesentwicklungsgesellschaft Thüringen mbH',
    shortName: 'LEG Thüringen',
    kind: 'agency',
    country: 'DE',
    city: 'Erfurt',
    website: 'https://www.leg-thueringen.de',
    sectors: ['economic development'],
  },
  {
    key: 'petkus',
    name: 'Petkus Technologie GmbH',
    shortName: 'Petkus',
    kind: 'company',
    country: 'DE',
    city: 'Wutha-Farnroda',
    sectors: ['agriculture', 'seed technology'],
  },
  {
    key: 'ebz',
    name: 'Erfurt Bildungszentrum gGmbH',
    shortName: 'EBZ',
    kind: 'company',
    country: 'DE',
    city: 'Erfurt',
    sectors: ['vocational training'],
  },
  {
    key: 'titk',
    name: 'Thüringisches Institut für Textil- und Kunststoff-Forschung e.V.',
    shortName: 'TITK',
    kind: 'research_institute',
    country: 'DE',
    city: 'Rudolstadt',
    sectors: ['textile technology', 'plastics'],
  },
  {
    key: 'atameken',
    name: 'National Chamber of Entrepreneurs of the Republic of Kazakhstan',
    shortName: 'ATAMEKEN',
    kind: 'chamber',
    country: 'KZ',
    city: 'Astana',
  },
  {
    key: 'almaty-zone',
    name: 'Almaty Industrial Zone',
    kind: 'other',
    country: 'KZ',
    city: 'Almaty',
    sectors: ['mechanical engineering', 'construction and building materials'],
  },
  {
    key: 'tti',
    name: 'Tashkent Textile Institute',
    kind: 'university',
    country: 'UZ',
    city: 'Tashkent',
    sectors: ['textile technology'],
  },
  {
    key: 'uztextile',
    name: 'Association of the Textile Industry of Uzbekistan',
    shortName: 'Uztextileprom',
    kind: 'association',
    country: 'UZ',
    city: 'Tashkent',
    sectors: ['textile technology'],
  },
  {
    key: 'mift',
    name: 'Ministry of Investments and Foreign Trade of the Republic of Uzbekistan',
    kind: 'ministry',
    country: 'UZ',
    city: 'Tashkent',
  },
  {
    key: 'embassy-kz',
    name: 'Embassy of the Federal Republic of Germany in Kazakhstan',
    kind: 'embassy',
    country: 'KZ',
    city: 'Astana',
  },
  {
    key: 'embassy-uz',
    name: 'Embassy of the Federal Republic of Germany in Uzbekistan',
    kind: 'embassy',
    country: 'UZ',
    city: 'Tashkent',
  },
  {
    key: 'consulate-almaty',
    name: 'Consulate General of the Federal Republic of Germany in Almaty',
    kind: 'consulate',
    country: 'KZ',
    city: 'Almaty',
  },
  {
    key: 'gtai',
    name: 'Germany Trade and Invest',
    shortName: 'GTAI',
    kind: 'agency',
    country: 'DE',
    city: 'Berlin',
    website: 'https://www.gtai.de',
  },
  {
    key: 'optonet',
    name: 'OptoNet e.V.',
    kind: 'association',
    country: 'DE',
    city: 'Jena',
    sectors: ['photonics', 'sensors'],
  },
  {
    key: 'automotive',
    name: 'automotive thüringen e.V.',
    kind: 'association',
    country: 'DE',
    city: 'Erfurt',
    sectors: ['e-mobility', 'automotive'],
  },
];

type Person = CreateContactDto & { key: string; organisation?: string };
export const CONTACTS: Person[] = [
  {
    key: 'lead',
    organisation: 'leg',
    firstName: 'Thomas',
    lastName: 'Brandt',
    position: 'Authorised officer, head of department',
    email: 'thomas.brandt@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'minister',
    firstName: 'Matthias',
    lastName: 'Keller',
    title: 'Dr.',
    position: 'Minister for Economic Affairs of the Free State of Thuringia',
    email: 'minister.office@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'atameken',
    organisation: 'atameken',
    firstName: 'Aigerim',
    lastName: 'Sadykova',
    position: 'Head of International Relations',
    email: 'a.sadykova@example.org',
    preferredLanguage: 'ru',
  },
  {
    key: 'zone',
    organisation: 'almaty-zone',
    firstName: 'Nurlan',
    lastName: 'Abenov',
    position: 'Director General',
    email: 'n.abenov@example.org',
    preferredLanguage: 'ru',
  },
  {
    key: 'deputy',
    organisation: 'mift',
    firstName: 'Jasur',
    lastName: 'Karimov',
    position: 'First Deputy Minister',
    email: 'j.karimov@example.org',
    preferredLanguage: 'ru',
  },
  {
    key: 'ambassador-kz',
    organisation: 'embassy-kz',
    firstName: 'Claudia',
    lastName: 'Richter',
    position: 'Ambassador',
    email: 'c.richter@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'ambassador-uz',
    organisation: 'embassy-uz',
    firstName: 'Stefan',
    lastName: 'Vogel',
    position: 'Ambassador',
    email: 's.vogel@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'consul',
    organisation: 'consulate-almaty',
    firstName: 'Martina',
    lastName: 'Schulz',
    position: 'Consul General',
    email: 'm.schulz@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'petkus',
    organisation: 'petkus',
    firstName: 'Jens',
    lastName: 'Hoffmann',
    position: 'Managing Director',
    email: 'j.hoffmann@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'titk',
    organisation: 'titk',
    firstName: 'Anja',
    lastName: 'Lehmann',
    title: 'Dr.',
    position: 'Head of Business Development',
    email: 'a.lehmann@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'tti',
    organisation: 'tti',
    firstName: 'Dilnoza',
    lastName: 'Rakhimova',
    title: 'Prof.',
    position: 'Vice-Rector for International Affairs',
    email: 'd.rakhimova@example.org',
    preferredLanguage: 'en',
  },
  {
    key: 'krueger',
    organisation: 'leg',
    firstName: 'Sabine',
    lastName: 'Krüger',
    position: 'Project Manager Central Asia',
    email: 's.krueger@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'wagner',
    organisation: 'petkus',
    firstName: 'Michael',
    lastName: 'Wagner',
    position: 'Head of Export Sales',
    email: 'm.wagner@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'schroeder',
    organisation: 'ebz',
    firstName: 'Ute',
    lastName: 'Schröder',
    position: 'Managing Director',
    email: 'u.schroeder@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'fischer',
    organisation: 'ebz',
    firstName: 'Daniel',
    lastName: 'Fischer',
    position: 'Head of International Projects',
    email: 'd.fischer@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'seidel',
    organisation: 'titk',
    firstName: 'Markus',
    lastName: 'Seidel',
    position: 'Research Associate, Textile Technology',
    email: 'm.seidel@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'zimmermann',
    organisation: 'automotive',
    firstName: 'Frank',
    lastName: 'Zimmermann',
    position: 'Managing Director',
    email: 'f.zimmermann@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'neumann',
    organisation: 'optonet',
    firstName: 'Julia',
    lastName: 'Neumann',
    position: 'Cluster Manager',
    email: 'j.neumann@example.org',
    preferredLanguage: 'en',
  },
  {
    key: 'wolf',
    organisation: 'optonet',
    firstName: 'Katja',
    lastName: 'Wolf',
    title: 'Dr.',
    position: 'Head of Sensor Systems',
    email: 'k.wolf@example.org',
    preferredLanguage: 'de',
  },
  {
    key: 'hartmann',
    organisation: 'gtai',
    firstName: 'Lena',
    lastName: 'Hartmann',
    position: 'Country Manager Central Asia',
    email: 'l.hartmann@example.org',
    preferredLanguage: 'de',
  },
];

export interface DemoTrip {
  trip: Omit<CreateTripDto, 'leadContactId' | 'coOrganiserIds'>;
  lead?: string;
  coOrganisers?: string[];
  stations: CreateStationDto[];
  /** Where the lifecycle ends up (walked through its transitions). */
  status: TripStatus;
}

export const TRIPS: DemoTrip[] = [
  {
    trip: {
      title: 'Markterkundungsreise Kasachstan und Usbekistan',
      kind: 'market_exploration',
      countries: ['KZ', 'UZ'],
      startDate: '2022-09-25',
      endDate: '2022-10-02',
      capacity: 25,
      registrationClosesAt: new Date('2022-08-31T21:59:59Z'),
      sectors: [
        'mechanical engineering',
        'electrical engineering',
        'agriculture',
        'construction and building materials',
        'mining',
        'textile technology',
      ],
      leadRole: 'Authorised officer, head of department',
      description:
        'B2B meetings arranged in advance for each company, company visits, business associations, talks with ministries and embassies. 25 participants, 17 of them entrepreneurs.',
    },
    lead: 'lead',
    stations: [
      {
        city: 'Astana',
        country: 'KZ',
        timezone: 'Asia/Almaty',
        arrivalDate: '2022-09-25',
        departureDate: '2022-09-26',
      },
      {
        city: 'Almaty',
        country: 'KZ',
        timezone: 'Asia/Almaty',
        arrivalDate: '2022-09-27',
        departureDate: '2022-09-28',
      },
      {
        city: 'Tashkent',
        country: 'UZ',
        timezone: 'Asia/Tashkent',
        arrivalDate: '2022-09-29',
        departureDate: '2022-09-30',
      },
      {
        city: 'Samarkand',
        country: 'UZ',
        timezone: 'Asia/Samarkand',
        arrivalDate: '2022-10-01',
        departureDate: '2022-10-02',
      },
    ],
    status: 'completed',
  },
  {
    trip: {
      title: 'Delegationsreise Zentralasien',
      kind: 'delegation',
      countries: ['KZ', 'UZ'],
      startDate: '2023-04-23',
      endDate: '2023-04-29',
      capacity: 40,
      description:
        'Delegation led by the state economics minister: more than 40 official appointments, eleven cooperation agreements (6 academic, 5 business).',
      leadRole: 'Minister for Economic Affairs',
    },
    lead: 'minister',
    stations: [
      {
        city: 'Astana',
        country: 'KZ',
        timezone: 'Asia/Almaty',
        arrivalDate: '2023-04-23',
        departureDate: '2023-04-25',
      },
      {
        city: 'Tashkent',
        country: 'UZ',
        timezone: 'Asia/Tashkent',
        arrivalDate: '2023-04-26',
        departureDate: '2023-04-29',
      },
    ],
    status: 'completed',
  },
  {
    trip: {
      title: 'Geschäftsreise Südkorea',
      kind: 'market_exploration',
      countries: ['KR'],
      startDate: '2024-09-02',
      endDate: '2024-09-06',
      capacity: 20,
      sectors: ['sensors', 'electronics', 'e-mobility'],
      description:
        'Network event, investor seminar, meeting with representatives of the city of Ansan, business breakfast with the embassy.',
    },
    coOrganisers: ['gtai', 'optonet', 'automotive'],
    stations: [
      {
        city: 'Seoul',
        country: 'KR',
        timezone: 'Asia/Seoul',
        arrivalDate: '2024-09-02',
        departureDate: '2024-09-04',
      },
      {
        city: 'Gyeonggi-do',
        country: 'KR',
        timezone: 'Asia/Seoul',
        arrivalDate: '2024-09-05',
        departureDate: '2024-09-06',
      },
    ],
    status: 'completed',
  },
];

/** `2026-01-31` plus 3 days is `2026-02-03`. */
export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Two days in a city. */
function station(city: string, country: string, timezone: string, arrivalDate: string) {
  return { city, country, timezone, arrivalDate, departureDate: addDays(arrivalDate, 1) };
}

const OPEN_TRIP_TITLE = 'Markterkundungsreise Kasachstan und Usbekistan';

/**
 * The trip the agency is taking registrations for, with dates counted from
 * `today` so that a demo seeded on any day has one to act on: the 2022
 * route again, Sunday to Sunday, leaving about nine weeks ahead; registration
 * closes at the end of the day four weeks before departure (agency's
 * timezone). Four seats and approval required, so the delegation below has
 * people confirmed, waitlisted and under review.
 */
export function openTrip(today: string, timezone: string): DemoTrip {
  const nineWeeks = addDays(today, 63);
  const start = addDays(nineWeeks, (7 - new Date(`${nineWeeks}T00:00:00Z`).getUTCDay()) % 7);
  const day = (n: number) => addDays(start, n);
  return {
    trip: {
      title: `${OPEN_TRIP_TITLE} ${start.slice(0, 4)}`,
      kind: 'market_exploration',
      countries: ['KZ', 'UZ'],
      startDate: start,
      endDate: day(7),
      capacity: 4,
      approvalRequired: true,
      registrationClosesAt: new Date(startOfDay(day(-27), timezone).getTime() - 1000),
      sectors: [
        'mechanical engineering',
        'agriculture',
        'vocational training',
        'textile technology',
        'e-mobility',
      ],
      leadRole: 'Authorised officer, head of department',
      description:
        'Follow-up to the 2022 trip: B2B meetings arranged in advance for each company, company visits, talks with ATAMEKEN, the Almaty industrial zone and the Uzbek textile industry. Four seats; the agency reviews every registration.',
    },
    lead: 'lead',
    stations: [
      station('Astana', 'KZ', 'Asia/Almaty', day(0)),
      station('Almaty', 'KZ', 'Asia/Almaty', day(2)),
      station('Tashkent', 'UZ', 'Asia/Tashkent', day(4)),
      station('Samarkand', 'UZ', 'Asia/Samarkand', day(6)),
    ],
    status: 'registration_open',
  };
}

/** The personal note of the open trip's invitations. */
export const INVITATION_NOTE =
  'Nach der erfolgreichen Reise 2022 laden wir Sie herzlich ein, erneut mit uns nach Kasachstan und Usbekistan zu reisen. Die Plätze sind begrenzt; wir prüfen jede Anmeldung.';

/** Passport data on file; an `expiring` one runs out within the agency's margin after the trip. */
export type DemoPassport = { number: string } & ({ issuedYearsAgo: number } | { expiring: true });

interface DemoRegistration {
  contact: string;
  category: ParticipantCategory;
  visaRequired: boolean;
  dietaryNeeds?: string;
  /** Staff approve the registration: a seat while one is left, else the waiting list; otherwise it stays under review. */
  approve: boolean;
  /** Set by staff once they are on the list. */
  visaStatus?: VisaStatus;
  passport?: DemoPassport;
}

/** `link`: invited, then registers through the invitation's link (as a member); `staff`: added by staff. */
export type DemoParticipant = DemoRegistration &
  ({ via: 'link' } | { via: 'staff'; role: ParticipantRole });

/**
 * The delegation of the open trip, in the order they arrive (the waiting list
 * keeps it). Approving in this order fills the four seats with the lead and
 * the first three companies; the next two approved wait for a seat; the
 * last is still under review. Staff travel without taking a seat.
 */
export const OPEN_TRIP_PARTICIPANTS: DemoParticipant[] = [
  {
    contact: 'lead',
    via: 'staff',
    role: 'delegation_lead',
    category: 'administration',
    visaRequired: true,
    approve: true,
    visaStatus: 'granted',
    passport: { number: 'C4K7M2P9R', issuedYearsAgo: 4 },
  },
  {
    contact: 'krueger',
    via: 'staff',
    role: 'staff',
    category: 'administration',
    visaRequired: true,
    approve: false,
    visaStatus: 'applied',
    passport: { number: 'CF2H8J5L1', issuedYearsAgo: 2 },
  },
  {
    contact: 'petkus',
    via: 'link',
    category: 'business',
    visaRequired: true,
    approve: true,
    visaStatus: 'to_apply',
    passport: { number: 'C9T3V6X2Z', expiring: true },
  },
  {
    contact: 'schroeder',
    via: 'link',
    category: 'business',
    visaRequired: true,
    approve: true,
    visaStatus: 'to_apply',
    passport: { number: 'CG5N1R8T4', issuedYearsAgo: 6 },
  },
  {
    contact: 'titk',
    via: 'link',
    category: 'science',
    visaRequired: true,
    dietaryNeeds: 'vegetarian',
    approve: true,
    visaStatus: 'to_apply',
    passport: { number: 'CJ3M7P2W6', issuedYearsAgo: 1 },
  },
  {
    contact: 'seidel',
    via: 'link',
    category: 'science',
    visaRequired: true,
    approve: true,
    visaStatus: 'to_apply',
  },
  {
    contact: 'zimmermann',
    via: 'link',
    category: 'business',
    visaRequired: true,
    approve: true,
    visaStatus: 'to_apply',
  },
  {
    contact: 'neumann',
    via: 'link',
    category: 'business',
    visaRequired: true,
    approve: false,
    visaStatus: 'to_apply',
  },
];

/**
 * Invitations to the open trip that lead to no registration: one not
 * answered yet, one declined through its link, one withdrawn by staff (GTAI
 * co-organises such trips and travels on its own). Daniel Fischer (EBZ) is
 * left uninvited for the README's walkthrough.
 */
export const OPEN_TRIP_INVITATIONS: {
  contact: string;
  outcome: 'pending' | 'declined' | 'revoked';
}[] = [
  { contact: 'wagner', outcome: 'pending' },
  { contact: 'wolf', outcome: 'declined' },
  { contact: 'hartmann', outcome: 'revoked' },
];

/**
 * Issue and expiry of a demo passport (ten years' validity); an expiring
 * one ends 45 days before the trip's end plus the agency's margin.
 */
export function passportDates(
  passport: DemoPassport,
  today: string,
  tripEnd: string,
  marginMonths: number,
): { issuedOn: string; expiresOn: string } {
  const tenYears = 120;
  if ('expiring' in passport) {
    const expiresOn = addDays(addMonths(tripEnd, marginMonths), -45);
    return { issuedOn: addDays(addMonths(expiresOn, -tenYears), 1), expiresOn };
  }
  const issuedOn = addMonths(today, -12 * passport.issuedYearsAgo);
  return { issuedOn, expiresOn: addDays(addMonths(issuedOn, tenYears), -1) };
}

/** A meeting of the open trip's programme, on a day counted from its start, at local times. */
export interface DemoMeeting {
  title: string;
  kind: MeetingKind;
  city: string;
  day: number;
  from: string;
  to: string;
  location?: { name: string; address?: string };
  organisations?: string[];
  contacts?: string[];
  /** Contacts of the delegation who attend (those who may: confirmed or applied). */
  attendees?: string[];
  visibility: 'delegation' | 'attendees';
}

/**
 * The open trip's programme: government talks, the chamber, the embassy's
 * reception and B2B meetings in Astana and Almaty, then Tashkent, in each
 * city's local time.
 */
export const OPEN_TRIP_PROGRAMME: DemoMeeting[] = [
  {
    title: 'Reception at the German Embassy',
    kind: 'reception',
    city: 'Astana',
    day: 0,
    from: '18:30',
    to: '20:30',
    location: { name: 'Embassy of the Federal Republic of Germany', address: 'Kosmonavtov 62' },
    organisations: ['embassy-kz'],
    contacts: ['ambassador-kz'],
    visibility: 'delegation',
  },
  {
    title: 'Talks with ATAMEKEN, the National Chamber of Entrepreneurs',
    kind: 'institution_visit',
    city: 'Astana',
    day: 1,
    from: '09:30',
    to: '11:00',
    location: { name: 'ATAMEKEN', address: 'Kabanbay Batyr 6/3' },
    organisations: ['atameken'],
    contacts: ['atameken'],
    attendees: ['lead', 'petkus', 'schroeder', 'titk'],
    visibility: 'delegation',
  },
  {
    title: 'B2B: Petkus Technologie with Kazakh grain processors',
    kind: 'b2b',
    city: 'Astana',
    day: 1,
    from: '11:30',
    to: '12:30',
    organisations: ['atameken'],
    attendees: ['petkus'],
    visibility: 'attendees',
  },
  {
    title: 'Almaty Industrial Zone: site visit',
    kind: 'site_visit',
    city: 'Almaty',
    day: 2,
    from: '10:00',
    to: '12:00',
    organisations: ['almaty-zone'],
    contacts: ['zone'],
    attendees: ['lead', 'petkus', 'schroeder', 'titk'],
    visibility: 'delegation',
  },
  {
    title: 'B2B: EBZ with vocational training providers',
    kind: 'b2b',
    city: 'Almaty',
    day: 2,
    from: '14:00',
    to: '15:00',
    attendees: ['schroeder'],
    visibility: 'attendees',
  },
  {
    title: 'Market briefing at the Consulate General',
    kind: 'government_talk',
    city: 'Almaty',
    day: 3,
    from: '09:00',
    to: '10:00',
    organisations: ['consulate-almaty'],
    contacts: ['consul'],
    visibility: 'delegation',
  },
  {
    title: 'Ministry of Investments and Foreign Trade',
    kind: 'government_talk',
    city: 'Tashkent',
    day: 4,
    from: '10:00',
    to: '11:30',
    organisations: ['mift'],
    contacts: ['deputy'],
    attendees: ['lead', 'titk'],
    visibility: 'delegation',
  },
  {
    title: 'Tashkent Textile Institute',
    kind: 'institution_visit',
    city: 'Tashkent',
    day: 5,
    from: '10:00',
    to: '11:30',
    organisations: ['tti'],
    contacts: ['tti'],
    attendees: ['titk'],
    visibility: 'attendees',
  },
];

/** An agreement of the demo's trips, as staff record it: a draft, then walked along its lifecycle. */
export interface DemoAgreement {
  title: string;
  kind: AgreementKind;
  category: AgreementCategory;
  /** Partner organisations by key, each with the contacts (by key) who sign for it. */
  parties: { organisation: string; signatories?: string[] }[];
  agencyIsParty: boolean;
  /** The trip it came from: a past one by title, or `open`, the trip taking registrations. */
  trip: { title: string } | 'open';
  /** The meeting of that trip's programme it is on, by title. */
  meeting?: string;
  summary: string;
  signedIn?: { city: string; country: string };
  validUntil?: string;
  tags: string[];
  /** Its transitions from draft; `on` is the day (for `signed` the signing day), else the seeding day. */
  lifecycle: { to: AgreementStatus; on?: string }[];
  /** Follow-ups of the demo owner, due some days from the seeding day (negative: before it). */
  followUps?: { title: string; dueInDays: number; notes?: string; done: boolean }[];
}

const CENTRAL_ASIA_2022 = { title: 'Markterkundungsreise Kasachstan und Usbekistan' };
const CENTRAL_ASIA_2023 = { title: 'Delegationsreise Zentralasien' };

/**
 * What the trips led to (../shared/demo/facts.md): the MoU with ATAMEKEN
 * signed in Astana in 2022 and in force; the textile institutes' academic
 * agreements signed in Tashkent, the first expired after its two years, the
 * second (from the minister's 2023 delegation) in force; and, for the open
 * trip, a letter of intent with the Uzbek textile association under
 * negotiation, with what is to be done about it, and a draft for the
 * ministry talks in Tashkent.
 */
export const DEMO_AGREEMENTS: DemoAgreement[] = [
  {
    title: 'Memorandum of Understanding on joint projects with ATAMEKEN',
    kind: 'mou',
    category: 'business',
    parties: [{ organisation: 'atameken', signatories: ['atameken'] }],
    agencyIsParty: true,
    trip: CENTRAL_ASIA_2022,
    summary:
      'ATAMEKEN and Thüringen International arrange B2B meetings for each other’s companies, share market information on mechanical engineering, agriculture and building materials, and prepare joint projects. No financial obligations; in force until either side ends it in writing.',
    signedIn: { city: 'Astana', country: 'KZ' },
    tags: ['Kazakhstan', 'chamber'],
    lifecycle: [
      { to: 'negotiating', on: '2022-08-22' },
      { to: 'signed', on: '2022-09-26' },
      { to: 'in_force', on: '2022-09-26' },
    ],
  },
  {
    title: 'Internships and research stays: Tashkent Textile Institute and TITK',
    kind: 'cooperation_agreement',
    category: 'academic',
    parties: [
      { organisation: 'tti', signatories: ['tti'] },
      { organisation: 'titk', signatories: ['titk'] },
    ],
    agencyIsParty: false,
    trip: CENTRAL_ASIA_2022,
    summary:
      'Up to four students and young researchers of the institute a year at TITK in Rudolstadt for internships and research stays of three to six months; for two academic years.',
    signedIn: { city: 'Tashkent', country: 'UZ' },
    validUntil: '2024-09-30',
    tags: ['Uzbekistan', 'textile technology', 'exchange'],
    lifecycle: [
      { to: 'negotiating', on: '2022-09-01' },
      { to: 'signed', on: '2022-09-29' },
      { to: 'in_force', on: '2022-10-01' },
      { to: 'expired', on: '2024-10-01' },
    ],
  },
  {
    title:
      'Research cooperation on technical textiles and composites: Tashkent Textile Institute and TITK',
    kind: 'cooperation_agreement',
    category: 'academic',
    parties: [
      { organisation: 'tti', signatories: ['tti'] },
      { organisation: 'titk', signatories: ['titk'] },
    ],
    agencyIsParty: false,
    trip: CENTRAL_ASIA_2023,
    summary:
      'Joint research and funding applications on cellulose fibres, technical textiles and fibre-reinforced composites; exchange of researchers and doctoral students. Follows the 2022 internship agreement; for an indefinite period, six months’ notice.',
    signedIn: { city: 'Tashkent', country: 'UZ' },
    tags: ['Uzbekistan', 'textile technology', 'research'],
    lifecycle: [
      { to: 'negotiating', on: '2023-02-15' },
      { to: 'signed', on: '2023-04-27' },
      { to: 'in_force', on: '2023-04-27' },
    ],
  },
  {
    title: 'Letter of intent on a textile technology partnership with Uztextileprom',
    kind: 'letter_of_intent',
    category: 'business',
    parties: [{ organisation: 'uztextile' }, { organisation: 'titk', signatories: ['titk'] }],
    agencyIsParty: true,
    trip: 'open',
    summary:
      'Thuringian machinery and research for the Uzbek textile industry: demonstrations at the association’s members, training with TITK and a joint stand at a Tashkent trade fair. To be signed in Tashkent during the trip.',
    tags: ['Uzbekistan', 'textile technology'],
    lifecycle: [{ to: 'negotiating' }],
    followUps: [
      {
        title: 'Ask TITK for its comments on the first draft',
        dueInDays: -10,
        done: true,
      },
      {
        title: 'Send Uztextileprom the revised draft with TITK’s comments',
        dueInDays: 21,
        notes: 'In Russian and English; the association wants it three weeks before the trip.',
        done: false,
      },
    ],
  },
  {
    title:
      'Memorandum of Understanding on investment promotion with the Ministry of Investments and Foreign Trade of Uzbekistan',
    kind: 'mou',
    category: 'government',
    parties: [{ organisation: 'mift', signatories: ['deputy'] }],
    agencyIsParty: true,
    trip: 'open',
    meeting: 'Ministry of Investments and Foreign Trade',
    summary:
      'Draft for the talks with the first deputy minister: a contact point for Thuringian investors in Uzbekistan and a business forum every year, in Erfurt and Tashkent by turns.',
    tags: ['Uzbekistan', 'investment'],
    lifecycle: [],
  },
];
