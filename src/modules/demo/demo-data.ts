import type { CreateContactDto } from '../directory/dto/contact.dto.js';
import type { CreatePartnerOrganisationDto } from '../directory/dto/partner-organisation.dto.js';
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
];

interface DemoTrip {
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
