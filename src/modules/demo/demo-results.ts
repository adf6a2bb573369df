import type {
  ParticipantCategory,
  ParticipantRole,
} from '../participants/participants.constants.js';
import type { MeetingKind } from '../programme/programme.constants.js';
import type { TripKind } from '../trips/trips.constants.js';
import { addDays, type DemoAgreement, type DemoMeeting, type DemoTrip } from './demo-data.js';

/**
 * The rows behind the demo agency's published results
 * (../shared/demo/facts.md), so that its reports reproduce them from data,
 * as they would for a real agency: the April 2023 Central Asia delegation
 * ("more than 40 official appointments, eleven cooperation agreements:
 * 6 academic, 5 business") and the year 2017 ("5 delegation and
 * market-exploration trips, 20 foreign delegations received, 6 joint stands
 * at trade fairs, more than 1,000 people reached"). Partners and people are
 * invented and use example.org addresses.
 */

export const CENTRAL_ASIA_2023_TITLE = 'Delegationsreise Zentralasien';

// ------------------------------------------------------------ April 2023

/** A partner met in 2023, with the person who signed for it. */
interface Partner {
  key: string;
  name: string;
  kind: 'university' | 'research_institute' | 'company' | 'ministry' | 'chamber';
  country: 'KZ' | 'UZ';
  city: string;
  signatory: { firstName: string; lastName: string; position: string };
}

const PARTNERS_2023: Partner[] = [
  {
    key: 'enu',
    name: 'L. N. Gumilyov Eurasian National University',
    kind: 'university',
    country: 'KZ',
    city: 'Astana',
    signatory: { firstName: 'Ерлан', lastName: 'Сыдықов', position: 'Rector' },
  },
  {
    key: 'kazatu',
    name: 'S. Seifullin Kazakh Agrotechnical Research University',
    kind: 'university',
    country: 'KZ',
    city: 'Astana',
    signatory: { firstName: 'Гүлнар', lastName: 'Жақсыбекова', position: 'Vice-Rector' },
  },
  {
    key: 'tstu',
    name: 'Tashkent State Technical University',
    kind: 'university',
    country: 'UZ',
    city: 'Tashkent',
    signatory: { firstName: 'Bakhodir', lastName: 'Tursunov', position: 'Rector' },
  },
  {
    key: 'tiiame',
    name: 'Tashkent Institute of Irrigation and Agricultural Mechanization Engineers',
    kind: 'university',
    country: 'UZ',
    city: 'Tashkent',
    signatory: { firstName: 'Nodira', lastName: 'Yusupova', position: 'Vice-Rector' },
  },
  {
    key: 'uz-academy',
    name: 'Institute of Materials Science of the Academy of Sciences of Uzbekistan',
    kind: 'research_institute',
    country: 'UZ',
    city: 'Tashkent',
    signatory: { firstName: 'Rustam', lastName: 'Karimov', position: 'Director' },
  },
  {
    key: 'steppe-agro',
    name: 'Steppe Agro Technologies LLP',
    kind: 'company',
    country: 'KZ',
    city: 'Astana',
    signatory: { firstName: 'Әсел', lastName: 'Нұрғалиева', position: 'Managing Director' },
  },
  {
    key: 'astana-building',
    name: 'Astana Building Materials LLP',
    kind: 'company',
    country: 'KZ',
    city: 'Astana',
    signatory: { firstName: 'Қайрат', lastName: 'Өмірзақов', position: 'Chief Executive' },
  },
  {
    key: 'samarkand-textile',
    name: 'Samarkand Textile Mills JSC',
    kind: 'company',
    country: 'UZ',
    city: 'Samarkand',
    signatory: { firstName: 'Jasur', lastName: 'Akhmedov', position: 'Chairman of the Board' },
  },
  {
    key: 'tashkent-machine',
    name: 'Tashkent Machine Works LLC',
    kind: 'company',
    country: 'UZ',
    city: 'Tashkent',
    signatory: { firstName: 'Dilshod', lastName: 'Rasulov', position: 'General Director' },
  },
  {
    key: 'kz-ministry',
    name: 'Ministry of Trade and Integration of the Republic of Kazakhstan',
    kind: 'ministry',
    country: 'KZ',
    city: 'Astana',
    signatory: { firstName: 'Нұрлан', lastName: 'Сәрсенбаев', position: 'Vice Minister' },
  },
];

/** The 2023 partners as directory entries. */
export const PARTNER_ORGANISATIONS_2023 = PARTNERS_2023.map(
  ({ key, name, kind, country, city }) => ({
    key,
    name,
    kind,
    country,
    city,
  }),
);

/** Who signed for each partner (keyed like the partner). */
export const PARTNER_SIGNATORIES_2023 = PARTNERS_2023.map(({ key, signatory }) => ({
  key,
  organisation: key,
  ...signatory,
  email: `${key}.signatory@example.org`,
  preferredLanguage: 'en',
}));

/**
 * The ten agreements signed during the 2023 trip besides the textile
 * institutes' (demo-data.ts): with it, six academic and five business.
 */
export const AGREEMENTS_2023: DemoAgreement[] = (
  [
    [
      'enu',
      'cooperation_agreement',
      'academic',
      'Joint master programme in renewable energy',
      'Astana',
      '2023-04-24',
    ],
    [
      'kazatu',
      'mou',
      'academic',
      'Student exchange in agricultural engineering',
      'Astana',
      '2023-04-24',
    ],
    [
      'tstu',
      'cooperation_agreement',
      'academic',
      'Dual study programme in mechatronics',
      'Tashkent',
      '2023-04-26',
    ],
    [
      'tiiame',
      'mou',
      'academic',
      'Research on water-saving irrigation technology',
      'Tashkent',
      '2023-04-27',
    ],
    [
      'uz-academy',
      'cooperation_agreement',
      'academic',
      'Joint laboratory for optical materials',
      'Tashkent',
      '2023-04-28',
    ],
    [
      'steppe-agro',
      'contract',
      'business',
      'Supply of seed processing lines',
      'Astana',
      '2023-04-24',
    ],
    [
      'astana-building',
      'letter_of_intent',
      'business',
      'Joint venture for insulation materials',
      'Astana',
      '2023-04-25',
    ],
    [
      'samarkand-textile',
      'cooperation_agreement',
      'business',
      'Modernisation of spinning lines',
      'Tashkent',
      '2023-04-27',
    ],
    [
      'tashkent-machine',
      'mou',
      'business',
      'Local assembly of agricultural machinery',
      'Tashkent',
      '2023-04-28',
    ],
    [
      'kz-ministry',
      'mou',
      'business',
      'Thuringian business desk in Astana',
      'Astana',
      '2023-04-25',
    ],
  ] as const
).map(([partner, kind, category, subject, city, signedOn]) => ({
  title: `${subject}: ${PARTNERS_2023.find((p) => p.key === partner)!.name}`,
  kind,
  category,
  parties: [{ organisation: partner, signatories: [partner] }],
  agencyIsParty: category === 'business',
  trip: { title: CENTRAL_ASIA_2023_TITLE },
  summary: `${subject}, agreed during the minister's delegation to Central Asia in April 2023.`,
  signedIn: { city, country: PARTNERS_2023.find((p) => p.key === partner)!.country },
  tags: ['Central Asia 2023', category],
  lifecycle: [
    { to: 'negotiating', on: '2023-03-15' },
    { to: 'signed', on: signedOn },
  ],
}));

/**
 * The minister's programme, 23–29 April 2023: each day's appointments in
 * order (two days in Astana, four in Tashkent after the flight), at the
 * station's local times; the flights are `travel`, not appointments.
 */
const SLOTS = ['08:30', '10:00', '11:30', '13:30', '15:00', '16:30', '18:30'];
const DAYS_2023: { city: string; meetings: [MeetingKind, string, string?][] }[] = [
  {
    city: 'Astana',
    meetings: [
      ['travel', 'Arrival in Astana'],
      ['government_talk', 'Ministry of Trade and Integration', 'kz-ministry'],
      ['government_talk', 'Ministry of Industry and Infrastructural Development'],
      ['institution_visit', 'Astana International Financial Centre'],
      ['government_talk', 'Akimat of Astana'],
      ['reception', 'Reception at the German Embassy', 'embassy-kz'],
    ],
  },
  {
    city: 'Astana',
    meetings: [
      ['institution_visit', 'L. N. Gumilyov Eurasian National University', 'enu'],
      ['institution_visit', 'Kazakh Agrotechnical Research University', 'kazatu'],
      ['company_visit', 'Steppe Agro Technologies', 'steppe-agro'],
      ['b2b', 'B2B meetings with Kazakh agricultural companies', 'atameken'],
      ['government_talk', 'Ministry of Agriculture'],
      ['seminar', 'Kazakh-German business forum', 'atameken'],
      ['networking', 'Evening with Thuringian alumni in Kazakhstan'],
    ],
  },
  {
    city: 'Astana',
    meetings: [
      ['company_visit', 'Astana Building Materials', 'astana-building'],
      ['government_talk', 'Ministry of Education and Science'],
      ['institution_visit', 'German-Kazakh University, Astana office'],
      ['government_talk', 'Kazakh Invest national company'],
      ['b2b', 'B2B meetings with building-materials producers'],
      ['travel', 'Flight Astana – Tashkent'],
    ],
  },
  {
    city: 'Tashkent',
    meetings: [
      ['government_talk', 'Ministry of Investments and Foreign Trade', 'mift'],
      ['institution_visit', 'Tashkent State Technical University', 'tstu'],
      ['government_talk', 'Ministry of Higher Education, Science and Innovation'],
      ['b2b', 'B2B meetings with Uzbek machine builders', 'tashkent-machine'],
      ['institution_visit', 'Chamber of Commerce and Industry of Uzbekistan'],
      ['reception', 'Reception at the German Embassy in Tashkent', 'embassy-uz'],
    ],
  },
  {
    city: 'Tashkent',
    meetings: [
      ['institution_visit', 'Tashkent Textile Institute', 'tti'],
      ['company_visit', 'Tashkent Machine Works', 'tashkent-machine'],
      ['institution_visit', 'Institute of Irrigation and Agricultural Mechanization', 'tiiame'],
      ['government_talk', 'Uzbek Agency for Textile and Garment Industry', 'uztextile'],
      ['b2b', 'B2B meetings with textile companies', 'samarkand-textile'],
      ['government_talk', 'Ministry of Energy'],
      ['networking', 'German-Uzbek business evening'],
    ],
  },
  {
    city: 'Tashkent',
    meetings: [
      ['institution_visit', 'Institute of Materials Science', 'uz-academy'],
      ['government_talk', 'Ministry of Agriculture of Uzbekistan'],
      ['site_visit', 'Tashkent Technopark'],
      ['company_visit', 'Samarkand Textile Mills, Tashkent plant', 'samarkand-textile'],
      ['government_talk', 'Khokimiyat of Tashkent'],
      ['seminar', 'Investment seminar with the Uzbek Investment Agency', 'mift'],
    ],
  },
  {
    city: 'Tashkent',
    meetings: [
      ['government_talk', 'Deputy Prime Minister of Uzbekistan'],
      ['institution_visit', 'Westminster International University in Tashkent'],
      ['b2b', 'B2B meetings with Uzbek agricultural companies'],
      ['government_talk', 'Ministry of Economy and Finance'],
      ['seminar', 'Press conference and summary of the trip'],
      ['travel', 'Flight Tashkent – Frankfurt'],
    ],
  },
];

/** The 2023 programme, each meeting `held` once seeded (the trip is over). */
export const PROGRAMME_2023: DemoMeeting[] = DAYS_2023.flatMap(({ city, meetings }, day) =>
  meetings.map(([kind, title, organisation], slot) => ({
    title,
    kind,
    city,
    day,
    from: SLOTS[slot],
    to: `${SLOTS[slot].slice(0, 3)}${SLOTS[slot].endsWith('30') ? '59' : '45'}`,
    organisations: organisation ? [organisation] : [],
    visibility: 'delegation' as const,
  })),
);

// ------------------------------------------------------------ the year 2017

/** Someone the agency reached in 2017: a registration on one of its trips or events. */
export interface DemoPerson {
  firstName: string;
  lastName: string;
  email: string;
  preferredLanguage: 'de' | 'en';
  role: ParticipantRole;
  category: ParticipantCategory;
}

/** A 2017 trip or event and who registered for it. */
export interface DemoTrip2017 extends DemoTrip {
  people: DemoPerson[];
}

const FIRST_NAMES = [
  'Andreas',
  'Anja',
  'Bernd',
  'Birgit',
  'Christian',
  'Claudia',
  'Daniel',
  'Doris',
  'Elke',
  'Frank',
  'Gabriele',
  'Heike',
  'Holger',
  'Ines',
  'Jana',
  'Jens',
  'Karin',
  'Katrin',
  'Lars',
  'Maik',
  'Manuela',
  'Marco',
  'Nadine',
  'Olaf',
  'Petra',
  'Ralf',
  'René',
  'Sandra',
  'Silke',
  'Steffen',
  'Susanne',
  'Thomas',
  'Torsten',
  'Ulrike',
  'Uwe',
  'Yvonne',
];
const LAST_NAMES = [
  'Bauer',
  'Becker',
  'Böhm',
  'Braun',
  'Dietrich',
  'Engel',
  'Franke',
  'Friedrich',
  'Fuchs',
  'Günther',
  'Hahn',
  'Heinrich',
  'Herrmann',
  'Hoffmann',
  'Jäger',
  'Kaiser',
  'Keller',
  'Klein',
  'Köhler',
  'König',
  'Krause',
  'Kühn',
  'Lange',
  'Lorenz',
  'Ludwig',
  'Meier',
  'Möller',
  'Otto',
  'Pohl',
  'Richter',
  'Roth',
  'Schmidt',
];
/** Visitors of the delegations received, by the delegation's country. */
const VISITOR_NAMES: Record<string, [string[], string[]]> = {
  VN: [
    ['Minh', 'Lan', 'Hùng', 'Thảo', 'Quang', 'Hoa'],
    ['Nguyễn', 'Trần', 'Lê', 'Phạm'],
  ],
  CN: [
    ['Wei', 'Fang', 'Lei', 'Jing', 'Tao', 'Yan'],
    ['Wang', 'Li', 'Zhang', 'Liu'],
  ],
  JP: [
    ['Hiroshi', 'Yuki', 'Takeshi', 'Akiko', 'Kenji', 'Emi'],
    ['Sato', 'Suzuki', 'Tanaka', 'Ito'],
  ],
  US: [
    ['Michael', 'Sarah', 'David', 'Emily', 'James', 'Laura'],
    ['Miller', 'Johnson', 'Brown', 'Davis'],
  ],
  IN: [
    ['Arjun', 'Priya', 'Rahul', 'Ananya', 'Vikram', 'Neha'],
    ['Sharma', 'Patel', 'Iyer', 'Reddy'],
  ],
  KZ: [
    ['Айгүл', 'Ерлан', 'Дәурен', 'Сәуле', 'Нұрлан', 'Жанар'],
    ['Әбенов', 'Қасымова', 'Төлеубаев', 'Жұмабаева'],
  ],
  PL: [
    ['Piotr', 'Anna', 'Tomasz', 'Katarzyna', 'Marek', 'Agnieszka'],
    ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik'],
  ],
  BR: [
    ['João', 'Maria', 'Pedro', 'Ana', 'Lucas', 'Juliana'],
    ['Silva', 'Santos', 'Oliveira', 'Souza'],
  ],
};

/** The `index`-th person of the agency's home pool (Thuringian companies and institutes). */
function local(index: number, category: ParticipantCategory = 'business'): DemoPerson {
  const firstName = FIRST_NAMES[index % FIRST_NAMES.length];
  const lastName = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length];
  return {
    firstName,
    lastName,
    email: `${ascii(firstName)}.${ascii(lastName)}@firmen-thueringen.example.org`,
    preferredLanguage: 'de',
    role: 'member',
    category,
  };
}

const ascii = (name: string) =>
  name
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .normalize('NFKD')
    .replace(/[^a-z]/g, '');

/** People `from` to `from + count - 1` of the home pool. */
const locals = (from: number, count: number, category?: ParticipantCategory) =>
  Array.from({ length: count }, (_, offset) => local(from + offset, category));

/** A delegation of `count` visitors from `country`, the first of them leading it. */
function visitors(country: string, delegation: number, count: number): DemoPerson[] {
  const [firstNames, lastNames] = VISITOR_NAMES[country];
  return Array.from({ length: count }, (_, index) => ({
    firstName: firstNames[index % firstNames.length],
    lastName: lastNames[Math.floor(index / firstNames.length) % lastNames.length],
    email: `visitor${delegation}-${index + 1}@delegation-${country.toLowerCase()}.example.org`,
    preferredLanguage: 'en' as const,
    role: index === 0 ? ('delegation_lead' as const) : ('member' as const),
    category: index % 3 === 2 ? ('science' as const) : ('business' as const),
  }));
}

function trip2017(
  title: string,
  kind: TripKind,
  [city, country, timezone]: [string, string, string],
  startDate: string,
  days: number,
  people: DemoPerson[],
): DemoTrip2017 {
  const endDate = addDays(startDate, days - 1);
  return {
    trip: { title, kind, countries: [country], startDate, endDate, capacity: people.length },
    stations: [{ city, country, timezone, arrivalDate: startDate, departureDate: endDate }],
    status: 'completed',
    people,
  };
}

const ERFURT: [string, string, string] = ['Erfurt', 'DE', 'Europe/Berlin'];
const JENA: [string, string, string] = ['Jena', 'DE', 'Europe/Berlin'];

const INCOMING_2017: [string, string, string][] = [
  ['VN', 'Vietnamese medical-technology companies', '2017-01-23'],
  ['CN', 'Chengdu High-Tech Zone', '2017-02-13'],
  ['JP', 'Japanese optics companies', '2017-03-06'],
  ['US', 'Michigan Economic Development Corporation', '2017-03-20'],
  ['IN', 'Indian automotive suppliers', '2017-04-03'],
  ['KZ', 'Kazakh Ministry of Education and Science', '2017-04-24'],
  ['PL', 'Lower Silesian chamber of commerce', '2017-05-08'],
  ['BR', 'Brazilian agricultural-machinery buyers', '2017-05-22'],
  ['CN', 'Chinese photonics research institutes', '2017-06-12'],
  ['VN', 'Vietnamese universities of technology', '2017-06-26'],
  ['US', 'California clean-tech investors', '2017-07-10'],
  ['JP', 'Japanese medical-device makers', '2017-08-28'],
  ['IN', 'Indian pharmaceutical companies', '2017-09-11'],
  ['KZ', 'Kazakh agricultural holding companies', '2017-09-25'],
  ['PL', 'Polish regional development agency', '2017-10-09'],
  ['BR', 'São Paulo industry federation', '2017-10-23'],
  ['CN', 'Shanghai municipal commerce commission', '2017-11-06'],
  ['VN', 'Vietnamese textile association', '2017-11-20'],
  ['US', 'Illinois manufacturers', '2017-12-04'],
  ['JP', 'Japanese automotive suppliers', '2017-12-11'],
];

const FAIRS_2017: [string, [string, string, string], string, number][] = [
  ['Arab Health', ['Dubai', 'AE', 'Asia/Dubai'], '2017-01-30', 4],
  ['SPIE Photonics West', ['San Francisco', 'US', 'America/Los_Angeles'], '2017-01-31', 3],
  ['LASER World of PHOTONICS CHINA', ['Shanghai', 'CN', 'Asia/Shanghai'], '2017-03-14', 3],
  ['Vietnam Medi-Pharm EXPO', ['Hanoi', 'VN', 'Asia/Ho_Chi_Minh'], '2017-05-11', 4],
  ['Automechanika Istanbul', ['Istanbul', 'TR', 'Europe/Istanbul'], '2017-04-06', 4],
  ['Medical Fair India', ['Mumbai', 'IN', 'Asia/Kolkata'], '2017-03-17', 3],
];

const INFO_TOPICS = [
  'Exportfinanzierung und Hermes-Bürgschaften',
  'Markt Kasachstan',
  'Markt Vietnam',
  'Zoll und Ursprungsregeln',
  'Markt Japan',
  'Förderprogramme für Messebeteiligungen',
  'Markt USA nach der Wahl',
  'Markt Iran',
  'Vertriebspartner im Ausland finden',
  'Markt China',
  'Markt Indien',
  'Exportkontrolle',
  'Markt Brasilien',
  'Internationale Verträge',
  'Markt Polen',
  'Markt Südkorea',
  'Digitales Marketing im Auslandsgeschäft',
  'Markt Usbekistan',
  'Fachkräfte aus dem Ausland',
  'Markt Mexiko',
];

/**
 * The year 2017: three ministerial delegations (California, Japan,
 * Detroit/Chicago) with more than 100 from business and science, two
 * market-exploration trips, 20 delegations received, 6 joint stands at
 * trade fairs, 20 information events and the foreign-trade day with more
 * than 200 participants. The home pool's people come to several events
 * (each counted once among the people reached).
 */
export const YEAR_2017: DemoTrip2017[] = [
  trip2017(
    'Delegationsreise Kalifornien 2017',
    'delegation',
    ['San Francisco', 'US', 'America/Los_Angeles'],
    '2017-02-20',
    5,
    locals(0, 38),
  ),
  trip2017(
    'Delegationsreise Japan 2017',
    'delegation',
    ['Tokyo', 'JP', 'Asia/Tokyo'],
    '2017-05-15',
    6,
    [...locals(38, 26), ...locals(64, 10, 'science')],
  ),
  trip2017(
    'Delegationsreise Detroit und Chicago 2017',
    'delegation',
    ['Detroit', 'US', 'America/Detroit'],
    '2017-09-18',
    5,
    locals(74, 32),
  ),
  trip2017(
    'Markterkundungsreise Kasachstan 2017 (EXPO Astana)',
    'market_exploration',
    ['Astana', 'KZ', 'Asia/Almaty'],
    '2017-06-19',
    5,
    locals(106, 14),
  ),
  trip2017(
    'Markterkundungsreise Indien 2017',
    'market_exploration',
    ['Bengaluru', 'IN', 'Asia/Kolkata'],
    '2017-11-13',
    5,
    locals(120, 12),
  ),
  ...INCOMING_2017.map(([country, who, start], index) =>
    trip2017(
      `Delegation empfangen: ${who}`,
      'incoming_delegation',
      index % 2 ? JENA : ERFURT,
      start,
      3,
      visitors(country, index + 1, 12),
    ),
  ),
  ...FAIRS_2017.map(([fair, place, start, days], index) =>
    trip2017(
      `Gemeinschaftsstand ${fair} 2017`,
      'trade_fair',
      place,
      start,
      days,
      locals(100 + index * 6, 6),
    ),
  ),
  trip2017(
    'Außenwirtschaftstag Thüringen 2017',
    'information_event',
    ERFURT,
    '2017-10-12',
    1,
    locals(150, 220),
  ),
  ...INFO_TOPICS.map((topic, index) =>
    trip2017(
      `Informationsveranstaltung: ${topic}`,
      'information_event',
      index % 2 ? JENA : ERFURT,
      addDays('2017-01-17', index * 17),
      1,
      locals(300 + index * 25, 35),
    ),
  ),
];
