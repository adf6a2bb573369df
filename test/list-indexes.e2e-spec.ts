import pg from 'pg';
import { SelectQueryBuilder, type ObjectLiteral, type QueryRunner } from 'typeorm';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * "Lists stay correct under pagination and use an index (no sequential scan
 * of the table on a 100k-row tenant)."
 *
 * The first agency gets 100,000 partner organisations, contacts, trips,
 * messages, agreements (with one or two parties each) and follow-ups (and
 * 30,000 audit events); the second agency a few thousand of each, so a
 * missing tenant filter would show. Users and API keys are small per agency
 * by nature: the first agency gets 500 of each and the second 20,000, so
 * those tables are big enough that the planner has no excuse for a seq scan
 * either; the assertion therefore covers all nine listed tables, and the
 * agreements' parties, which their filters and search read.
 *
 * The SQL checked is the app's own: SelectQueryBuilder#getMany is wrapped so
 * that, while a request of this file is running, every query is first
 * EXPLAINed (with its real parameters, on the app's pool) and the plan is
 * recorded under the request's name. Each case reads two pages and checks
 * them against the same list in plain SQL (except fuzzy search, where it
 * checks order, no duplicates and tenant only).
 */

/** LIST_INDEXES_REPORT=1 prints every plan, with the rows each node really read (EXPLAIN ANALYZE). */
const REPORT = Boolean(process.env.LIST_INDEXES_REPORT);
const EXPLAIN = REPORT ? 'EXPLAIN (ANALYZE, FORMAT JSON)' : 'EXPLAIN (FORMAT JSON)';

const LIMIT = 25;
const ORGS_A = 100_000;
const ORGS_B = 5_000;
const CONTACTS_A = 100_000;
const CONTACTS_B = 5_000;
const TRIPS_A = 100_000;
const TRIPS_B = 5_000;
const EVENTS_A = 30_000;
const EVENTS_B = 3_000;
const MESSAGES_A = 100_000;
const MESSAGES_B = 5_000;
const STAFF_A = 500;
const STAFF_B = 20_000;
const AGREEMENTS_A = 100_000;
const AGREEMENTS_B = 5_000;
const FOLLOW_UPS_A = 100_000;
const FOLLOW_UPS_B = 5_000;

/** A seq scan on one of these is a failure, whatever else the plan does. */
const LISTED_TABLES = [
  'partner_organisations',
  'contacts',
  'trips',
  'users',
  'api_keys',
  'audit_events',
  'notifications',
  'agreements',
  'follow_ups',
] as const;
type ListedTable = (typeof LISTED_TABLES)[number];
/** Not listed themselves, but read by list filters: a seq scan on these fails too. */
const SCANNED_TABLES: readonly string[] = [...LISTED_TABLES, 'agreement_parties'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Plan Rows'?: number;
  /** With ANALYZE only. */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
}

interface Captured {
  request: string;
  sql: string;
  plan: PlanNode;
}

interface PageBody {
  items: { id: string }[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------
// Test data: one INSERT ... SELECT FROM generate_series per table and tenant.
// Values come from hashint4 of the row number, so every run loads the same rows.
// ---------------------------------------------------------------------------

/** Whitespace-separated words. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

const PLACES = words(`
  Atameken Samruk Baiterek Steppe Caspian Altai Tashkent Samarkand Bukhara Almaty Astana
  Bishkek Osh Dushanbe Khujand Ashgabat Ulaanbaatar Tbilisi Baku Yerevan Jena Erfurt
  Weimar Gotha Suhl Ilmenau Eisenach Nordhausen Thüringer Sächsische Mitteldeutsche
  Fergana Karaganda Aktobe
`);
const TRADES = words(`
  Agro Energie Solar Textil Maschinenbau Logistik Digital Pharma Wasser Optik Bergbau
  Chemie Handel Medizintechnik Bau Holz Keramik Glas Lebensmittel Software Automotive
  Consulting
`);
const FORMS = words(`
  GmbH AG LLP JSC LLC Holding Group Institut Universität Kammer Verband Cluster Zentrum
  Agentur
`);
const ORGANISATION_KINDS = words(`
  company company company company research_institute university chamber association
  ministry embassy consulate agency other
`);
/** Skewed like a real agency's partners; 'IS' is added to one row in 2,000 only. */
const COUNTRIES = words(`
  KZ KZ KZ KZ KZ KZ UZ UZ UZ UZ KG KG TJ TM MN AZ GE AM DE DE PL CZ CN TR AE IN VN
`);
const SECTORS = words(`
  agriculture energy renewables mining healthcare water logistics textiles machinery ict
  education construction food chemicals optics
`);
const FIRST_NAMES = words(`
  Aigerim Nurlan Dilnoza Bekzod Gulnara Timur Aida Rustam Zarina Askar Madina Jürgen
  Katrin Jörg Sabine Björn Uwe Anke Dirk Renée Ömer Zoé Amélie
`);
const LAST_NAMES = words(`
  Sadykova Abenov Yusupova Rakhimov Ismoilova Tursunov Omarova Seitkali Dzhumabaev
  Kurbanova Aliev Mamedova Müller Schröder Weiß Köhler Fischer Böhm Krüger Hoffmann
  Schäfer Zimmermann Lehmann Jäger Wagner
`);
const TRIP_KINDS = words(`
  delegation market_exploration virtual_mission incoming_delegation trade_fair
  information_event
`);
const UPCOMING_STATUSES = words('draft planned registration_open registration_closed');
const ROLES = words('owner admin organiser organiser viewer viewer viewer');
const ACTIONS = words(`
  partner_organisation.created partner_organisation.updated contact.created
  contact.updated trip.created trip.updated trip.transitioned user.created
  auth.login_failed
`);

/** A non-negative pseudo-random integer for row `g.i`; `salt` (0-15) draws an independent one. */
const h = (salt: number) => `(hashint4(g.i * 16 + ${salt})::bigint & 2147483647)`;
/** One element of the text[] parameter `$n`, drawn with `salt`. */
const pick = (param: number, salt: number) =>
  `($${param}::text[])[1 + ${h(salt)} % cardinality($${param}::text[])]`;

async function loadOrganisations(t: TestApp, tenantId: string, count: number): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO partner_organisations
       (tenant_id, name, short_name, kind, country, sectors, created_at, updated_at)
     SELECT $1, name, short_name, ${pick(6, 4)},
            CASE WHEN g.i % 2000 = 0 THEN 'IS' ELSE ${pick(5, 5)} END,
            ARRAY[${pick(7, 6)}]
              || CASE WHEN ${h(7)} % 2 = 0 THEN ARRAY[${pick(7, 8)}] ELSE '{}' END
              || CASE WHEN g.i % 4000 = 5 THEN ARRAY['aerospace'] ELSE '{}' END,
            changed - interval '400 days', changed
       FROM generate_series(1, $8::int) AS g(i)
      CROSS JOIN LATERAL (SELECT ${pick(2, 1)} AS place, ${pick(3, 2)} AS trade) AS w
      CROSS JOIN LATERAL (SELECT
             CASE WHEN g.i % 5000 = 17 THEN 'Saksaul Agro Kooperative'
                  ELSE w.place || ' ' || w.trade || ' ' || ${pick(4, 3)} END AS name,
             CASE WHEN ${h(9)} % 3 = 0 THEN upper(left(w.place, 3)) || left(w.trade, 1) END
               AS short_name,
             date_trunc('milliseconds', now() - ${h(10)} % (5 * 365 * 86400) * interval '1 second')
               AS changed) AS v`,
    [tenantId, PLACES, TRADES, FORMS, COUNTRIES, ORGANISATION_KINDS, SECTORS, count],
  );
}

async function loadContacts(t: TestApp, tenantId: string, count: number): Promise<void> {
  // Nine in ten contacts belong to one of the tenant's organisations.
  await t.dataSource.query(
    `WITH org AS (
       SELECT id, row_number() OVER (ORDER BY id) AS n FROM partner_organisations WHERE tenant_id = $1)
     INSERT INTO contacts
       (tenant_id, partner_organisation_id, first_name, last_name, email, created_at, updated_at)
     SELECT $1, org.id, v.first_name, v.last_name,
            CASE WHEN ${h(3)} % 10 < 7
                 THEN lower(left(v.first_name, 1)) || '.' || g.i || '@partner.example' END,
            v.changed - interval '200 days', v.changed
       FROM generate_series(1, $4::int) AS g(i)
      CROSS JOIN LATERAL (SELECT ${pick(2, 1)} AS first_name,
             CASE WHEN g.i % 5000 = 3 THEN 'Zhylkybayeva' ELSE ${pick(3, 2)} END AS last_name,
             date_trunc('milliseconds', now() - ${h(4)} % (5 * 365 * 86400) * interval '1 second')
               AS changed) AS v
       LEFT JOIN org ON g.i % 10 <> 0
                    AND org.n = 1 + ${h(5)} % (SELECT count(*) FROM org)`,
    [tenantId, FIRST_NAMES, LAST_NAMES, count],
  );
}

async function loadTrips(t: TestApp, tenantId: string, count: number): Promise<void> {
  // Start dates over 20 years up to two years ahead; past trips are completed
  // (or cancelled), running ones in progress, future ones somewhere before that.
  await t.dataSource.query(
    `INSERT INTO trips
       (tenant_id, title, kind, status, countries, start_date, end_date, capacity, sectors,
        created_at, updated_at)
     SELECT $1, 'Reise ' || g.i, ${pick(2, 1)},
            CASE WHEN d.end_date < current_date
                   THEN CASE WHEN ${h(2)} % 10 = 0 THEN 'cancelled' ELSE 'completed' END
                 WHEN d.start_date <= current_date THEN 'in_progress'
                 ELSE ${pick(3, 3)} END,
            ARRAY[${pick(4, 4)}]
              || CASE WHEN ${h(5)} % 2 = 0 THEN ARRAY[${pick(4, 6)}] ELSE '{}' END
              || CASE WHEN g.i % 2000 = 0 THEN ARRAY['IS'] ELSE '{}' END,
            d.start_date, d.end_date, 10 + ${h(7)} % 40, ARRAY[${pick(5, 8)}],
            d.changed - interval '300 days', d.changed
       FROM generate_series(1, $6::int) AS g(i)
      CROSS JOIN LATERAL (SELECT current_date - 6570 + (${h(9)} % 7300)::int AS start_date) AS s
      CROSS JOIN LATERAL (SELECT s.start_date, s.start_date + (${h(10)} % 14)::int AS end_date,
             date_trunc('milliseconds', least(now(), s.start_date - interval '30 days'
               + ${h(11)} % (200 * 86400) * interval '1 second')) AS changed) AS d`,
    [tenantId, TRIP_KINDS, UPCOMING_STATUSES, COUNTRIES, SECTORS, count],
  );
}

async function loadStaffAndKeys(
  t: TestApp,
  tenantId: string,
  tag: string,
  count: number,
): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO users (tenant_id, email, name, role, password_hash, active, created_at, updated_at)
     SELECT $1, 'bulk.' || $2 || '.' || g.i || '@staff.example',
            ${pick(3, 1)} || ' ' || ${pick(4, 2)}, ${pick(5, 3)}, 'not-a-hash', ${h(4)} % 20 <> 0,
            v.changed, v.changed
       FROM generate_series(1, $6::int) AS g(i)
      CROSS JOIN LATERAL (SELECT date_trunc('milliseconds',
             now() - ${h(5)} % (3 * 365 * 86400) * interval '1 second') AS changed) AS v`,
    [tenantId, tag, FIRST_NAMES, LAST_NAMES, ROLES, count],
  );
  await t.dataSource.query(
    `INSERT INTO api_keys (tenant_id, name, prefix, secret_hash, scopes, created_at, updated_at)
     SELECT $1, 'Sync ' || g.i, 'dd_' || $2 || g.i, md5($2 || g.i) || md5(g.i || $2),
            ARRAY['directory:read'], v.created, v.created
       FROM generate_series(1, $3::int) AS g(i)
      CROSS JOIN LATERAL (SELECT date_trunc('milliseconds',
             now() - ${h(1)} % (3 * 365 * 86400) * interval '1 second') AS created) AS v`,
    [tenantId, tag, count],
  );
}

const MESSAGE_KINDS = words(`
  invitation invitation invitation invitation_reminder registration_received
  registration_waitlisted registration_confirmed registration_confirmed registration_rejected
  registration_cancelled
`);

async function loadNotifications(t: TestApp, tenantId: string, count: number): Promise<void> {
  // Messages to the tenant's contacts about its trips over two years; nearly all sent,
  // one in a hundred failed, a few still scheduled.
  await t.dataSource.query(
    `WITH contact AS (
       SELECT id, email, row_number() OVER (ORDER BY id) AS n FROM contacts
        WHERE tenant_id = $1 AND email IS NOT NULL),
     trip AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM trips WHERE tenant_id = $1)
     INSERT INTO notifications
       (tenant_id, kind, locale, recipient_email, contact_id, trip_id, dedupe_key, due_at,
        status, attempts, sent_at, created_at, updated_at)
     SELECT $1, ${pick(2, 1)}, 'de', contact.email, contact.id, trip.id, 'bulk:' || g.i, v.created,
            CASE WHEN ${h(4)} % 100 = 0 THEN 'failed'
                 WHEN ${h(4)} % 100 = 1 THEN 'scheduled' ELSE 'sent' END,
            1, v.created + interval '1 minute', v.created, v.created + interval '2 minutes'
       FROM generate_series(1, $3::int) AS g(i)
      CROSS JOIN LATERAL (SELECT date_trunc('milliseconds',
             now() - ${h(5)} % (2 * 365 * 86400) * interval '1 second') AS created) AS v
       JOIN contact ON contact.n = 1 + ${h(6)} % (SELECT count(*) FROM contact)
       JOIN trip ON trip.n = 1 + ${h(7)} % (SELECT count(*) FROM trip)`,
    [tenantId, MESSAGE_KINDS, count],
  );
}

/** A valid (version 4) uuid made from the SQL text `seed`: the same seed, the same uuid. */
const uuidFrom = (seed: string) =>
  `overlay(overlay(md5(${seed}) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid`;

async function loadAuditEvents(
  t: TestApp,
  tenantId: string,
  actorId: string,
  count: number,
): Promise<void> {
  // The owner acted in one event in 40, one of 39 other ids in the rest; 5,000 entities.
  await t.dataSource.query(
    `INSERT INTO audit_events (tenant_id, at, actor_type, actor_id, action, entity_type, entity_id)
     SELECT $1, date_trunc('milliseconds', now() - ${h(1)} % (3 * 365 * 86400) * interval '1 second'),
            'user',
            CASE WHEN ${h(2)} % 40 = 0 THEN $2::uuid ELSE ${uuidFrom(`'actor' || ${h(3)} % 39`)} END,
            v.action, split_part(v.action, '.', 1), ${uuidFrom(`'entity' || ${h(5)} % 5000`)}
       FROM generate_series(1, $4::int) AS g(i)
      CROSS JOIN LATERAL (SELECT ${pick(3, 4)} AS action) AS v`,
    [tenantId, actorId, ACTIONS, count],
  );
}

const AGREEMENT_TOPICS = words(`
  Berufsbildung Wasserstoff Rohstoffpartnerschaft Hochschulkooperation Lieferketten Forschung
  Studierendenaustausch Windenergie Bewässerung Digitalisierung Gesundheitswesen Fachkräfte
  Absichtserklärung Messebeteiligung Technologietransfer Wassermanagement
`);
const AGREEMENT_KINDS = words(`
  mou mou mou cooperation_agreement cooperation_agreement letter_of_intent contract
`);
const AGREEMENT_CATEGORIES = words('business business business academic government');
const FOLLOW_UP_TASKS = words(`
  Protokoll Entwurf Rückmeldung Unterschrift Bericht Einladung Angebot Evaluierung Übersetzung
`);

/**
 * The id of the tenant `$1`'s `n`th bulk agreement (`n` is SQL): parties and
 * follow-ups name their agreement without looking it up.
 */
const agreementId = (n: string) => uuidFrom(`'agreement:' || $1::uuid::text || ':' || ${n}`);

async function loadAgreements(t: TestApp, tenantId: string, count: number): Promise<void> {
  // A quarter unsigned (listed first, on 9999-12-31), the rest signed over 15 years up to
  // yesterday; in force until a day ahead or open-ended, expired before today. One in ten
  // belongs to a trip (one in a thousand to the tenant's first trip); one in 5,000 has a
  // rare word in its title.
  await t.dataSource.query(
    `WITH trip AS (
       SELECT id, row_number() OVER (ORDER BY id) AS n FROM trips WHERE tenant_id = $1::uuid)
     INSERT INTO agreements
       (id, tenant_id, title, kind, category, status, status_since, agency_is_party, trip_id,
        signed_on, signed_in_city, signed_in_country, valid_until, document_url, listed_on,
        created_at, updated_at)
     SELECT ${agreementId('g.i')}, $1::uuid,
            CASE WHEN g.i % 5000 = 7 THEN 'Tulpenfeld ' ELSE '' END
              || ${pick(2, 1)} || ' ' || ${pick(3, 2)},
            ${pick(4, 3)}, ${pick(5, 4)}, s.status,
            CASE WHEN s.status = 'expired' THEN d.valid_until + 1
                 ELSE coalesce(d.signed_on, c.created::date) END,
            ${h(6)} % 3 = 0, trip.id, d.signed_on,
            CASE WHEN d.signed_on IS NOT NULL THEN ${pick(3, 7)} END,
            CASE WHEN d.signed_on IS NOT NULL THEN ${pick(6, 8)} END,
            d.valid_until,
            CASE WHEN d.signed_on IS NOT NULL AND ${h(9)} % 2 = 0
                 THEN 'https://docs.example/agreements/' || g.i END,
            coalesce(d.signed_on, DATE '9999-12-31'), c.created,
            date_trunc('milliseconds', c.created + ${h(10)}
              % greatest(1, extract(epoch FROM now() - c.created)::bigint) * interval '1 second')
       FROM generate_series(1, $7::int) AS g(i)
      CROSS JOIN LATERAL (SELECT CASE WHEN r < 2 THEN 'draft' WHEN r < 4 THEN 'negotiating'
             WHEN r < 5 THEN 'abandoned' WHEN r < 7 THEN 'signed' WHEN r < 15 THEN 'in_force'
             WHEN r < 19 THEN 'expired' ELSE 'terminated' END AS status
             FROM (SELECT ${h(11)} % 20 AS r) AS x) AS s
      CROSS JOIN LATERAL (SELECT CASE WHEN s.status IN ('signed', 'in_force', 'expired', 'terminated')
             THEN current_date - 1 - (${h(12)} % 5475)::int END AS signed_on) AS sg
      CROSS JOIN LATERAL (SELECT sg.signed_on, CASE s.status
             WHEN 'in_force' THEN CASE WHEN ${h(13)} % 3 > 0
                                       THEN current_date + (${h(14)} % 1500)::int END
             WHEN 'expired' THEN sg.signed_on + (${h(14)} % (current_date - sg.signed_on))::int
             WHEN 'signed' THEN sg.signed_on + 365 * (1 + ${h(14)} % 5)::int
             WHEN 'terminated' THEN sg.signed_on + 365 * (1 + ${h(14)} % 5)::int
             END AS valid_until) AS d
      CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', CASE WHEN sg.signed_on IS NULL
               THEN now() - ${h(15)} % (2 * 365 * 86400) * interval '1 second'
               ELSE sg.signed_on::timestamptz - interval '30 days'
                      - ${h(15)} % (300 * 86400) * interval '1 second' END) AS created) AS c
       LEFT JOIN trip ON g.i % 10 = 0
                     AND trip.n = CASE WHEN g.i % 1000 = 0 THEN 1
                                       ELSE 1 + ${h(5)} % (SELECT count(*) FROM trip) END`,
    [tenantId, AGREEMENT_TOPICS, PLACES, AGREEMENT_KINDS, AGREEMENT_CATEGORIES, COUNTRIES, count],
  );
}

async function loadAgreementParties(t: TestApp, tenantId: string, count: number): Promise<void> {
  // One party each, a third a second one (never the same organisation twice); one agreement
  // in a thousand has the tenant's first organisation as its first party.
  await t.dataSource.query(
    `WITH org AS (
       SELECT id, row_number() OVER (ORDER BY id) AS n
         FROM partner_organisations WHERE tenant_id = $1::uuid),
     orgs AS (SELECT count(*) AS c FROM org)
     INSERT INTO agreement_parties (agreement_id, partner_organisation_id, position)
     SELECT ${agreementId('g.i')}, org.id, p.position
       FROM generate_series(1, $2::int) AS g(i)
      CROSS JOIN orgs
      CROSS JOIN LATERAL (SELECT CASE WHEN g.i % 1000 = 0 THEN 1
                                      ELSE 1 + ${h(1)} % orgs.c END AS first) AS f
      CROSS JOIN LATERAL (VALUES (0, f.first),
             (1, CASE WHEN ${h(2)} % 3 = 0 THEN 1 + (f.first + ${h(3)} % (orgs.c - 1)) % orgs.c END))
        AS p(position, n)
       JOIN org ON org.n = p.n`,
    [tenantId, count],
  );
}

async function loadFollowUps(
  t: TestApp,
  tenantId: string,
  agreements: number,
  count: number,
): Promise<void> {
  // Due over three years back and one ahead; nine in ten past ones done, one in twenty
  // future ones; owned by the tenant's active staff. One in a thousand belongs to the
  // tenant's first bulk agreement, the rest to any.
  await t.dataSource.query(
    `WITH staff AS (
       SELECT id, row_number() OVER (ORDER BY id) AS n FROM users
        WHERE tenant_id = $1::uuid AND active)
     INSERT INTO follow_ups
       (tenant_id, agreement_id, title, due_on, owner_user_id, done_at, done_by,
        created_at, updated_at)
     SELECT $1::uuid,
            ${agreementId(`CASE WHEN g.i % 1000 = 0 THEN 1 ELSE 1 + ${h(1)} % $3::int END`)},
            ${pick(2, 2)}, s.due_on, staff.id, d.done_at,
            CASE WHEN d.done_at IS NOT NULL THEN staff.id END,
            c.created, coalesce(d.done_at, c.created)
       FROM generate_series(1, $4::int) AS g(i)
      CROSS JOIN LATERAL (SELECT current_date - 1095 + (${h(3)} % 1460)::int AS due_on) AS s
      CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', least(now(),
             s.due_on - interval '90 days' + ${h(4)} % (60 * 86400) * interval '1 second'))
               AS created) AS c
      CROSS JOIN LATERAL (SELECT CASE
             WHEN ${h(5)} % 100 < CASE WHEN s.due_on < current_date THEN 90 ELSE 5 END
             THEN date_trunc('milliseconds', c.created + ${h(6)}
               % greatest(1, extract(epoch FROM now() - c.created)::bigint) * interval '1 second')
             END AS done_at) AS d
       JOIN staff ON staff.n = 1 + ${h(7)} % (SELECT count(*) FROM staff)`,
    [tenantId, FOLLOW_UP_TASKS, agreements, count],
  );
}

// ---------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

function describeNode(node: PlanNode): string {
  const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const relation = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  return `${node['Node Type']}${index}${relation}`;
}

/** The plan as an indented tree, one node per line, for failure messages and the report. */
function planText(plan: PlanNode, depth = 0): string {
  const actual =
    plan['Actual Rows'] === undefined
      ? ''
      : `, actual=${plan['Actual Rows'] * (plan['Actual Loops'] ?? 1)}` +
        (plan['Rows Removed by Filter']
          ? `, removed by filter=${plan['Rows Removed by Filter']}`
          : '') +
        `, ${plan['Actual Total Time']} ms`;
  return [
    `${'  '.repeat(depth)}${describeNode(plan)} (estimated=${plan['Plan Rows']}${actual})`,
    ...(plan.Plans ?? []).map((child) => planText(child, depth + 1)),
  ].join('\n');
}

const isSeqScanOfListedTable = (node: PlanNode) =>
  node['Node Type'] === 'Seq Scan' && SCANNED_TABLES.includes(node['Relation Name'] ?? '');

describe('list queries on a 100k-row tenant use an index', () => {
  let t: TestApp;
  let agency: Agency;
  let other: Agency;
  let organisationWithContacts: string;
  let tripEntityId: string;
  let messagedTrip: string;
  let messagedContact: string;
  let frequentParty: string;
  let tripWithAgreements: string;
  let agreementWithFollowUps: string;
  let followUpOwner: string;
  const captured: Captured[] = [];
  let request: string | undefined;
  /* eslint-disable @typescript-eslint/unbound-method */
  const originals = {
    getMany: SelectQueryBuilder.prototype.getMany,
    getRawAndEntities: SelectQueryBuilder.prototype.getRawAndEntities,
  };
  const poolQuery = pg.Pool.prototype.query;
  /* eslint-enable @typescript-eslint/unbound-method */

  beforeAll(async () => {
    t = await startTestApp();
    agency = await signUpAgency(t, { tenantName: 'Thüringen International' });
    other = await signUpAgency(t, { tenantName: 'Sachsen Global', name: 'Jens Richter' });

    // Independent loads run side by side on the app's pool, each as soon as what it names is
    // there: contacts name organisations; messages contacts and trips; agreements trips;
    // their parties organisations; follow-ups agreements and staff.
    const timings: string[] = [];
    const timed = async (name: string, load: () => Promise<unknown>) => {
      const started = Date.now();
      await load();
      timings.push(`${name} ${Date.now() - started} ms`);
    };
    const A = agency.tenantId;
    const B = other.tenantId;
    await timed('all', async () => {
      const organisations = timed('organisations', () =>
        Promise.all([loadOrganisations(t, A, ORGS_A), loadOrganisations(t, B, ORGS_B)]),
      );
      const contacts = organisations.then(() =>
        timed('contacts', () =>
          Promise.all([loadContacts(t, A, CONTACTS_A), loadContacts(t, B, CONTACTS_B)]),
        ),
      );
      const trips = timed('trips', () =>
        Promise.all([loadTrips(t, A, TRIPS_A), loadTrips(t, B, TRIPS_B)]),
      );
      const staff = timed('users, API keys, audit events', async () => {
        await loadStaffAndKeys(t, A, 'a', STAFF_A);
        await loadStaffAndKeys(t, B, 'b', STAFF_B);
        await loadAuditEvents(t, A, agency.owner.id, EVENTS_A);
        await loadAuditEvents(t, B, other.owner.id, EVENTS_B);
      });
      const notifications = Promise.all([contacts, trips]).then(() =>
        timed('notifications', () =>
          Promise.all([loadNotifications(t, A, MESSAGES_A), loadNotifications(t, B, MESSAGES_B)]),
        ),
      );
      const agreements = trips.then(() =>
        timed('agreements', () =>
          Promise.all([loadAgreements(t, A, AGREEMENTS_A), loadAgreements(t, B, AGREEMENTS_B)]),
        ),
      );
      const parties = Promise.all([organisations, agreements]).then(() =>
        timed('agreement parties', () =>
          Promise.all([
            loadAgreementParties(t, A, AGREEMENTS_A),
            loadAgreementParties(t, B, AGREEMENTS_B),
          ]),
        ),
      );
      const followUps = Promise.all([agreements, staff]).then(() =>
        timed('follow-ups', () =>
          Promise.all([
            loadFollowUps(t, A, AGREEMENTS_A, FOLLOW_UPS_A),
            loadFollowUps(t, B, AGREEMENTS_B, FOLLOW_UPS_B),
          ]),
        ),
      );
      await Promise.all([contacts, notifications, parties, followUps]);
    });
    await timed('ANALYZE', () => t.dataSource.query(`ANALYZE ${SCANNED_TABLES.join(', ')}`));
    if (REPORT) console.log(`Data loaded: ${timings.join(', ')}`);

    [{ id: organisationWithContacts }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT partner_organisation_id AS id FROM contacts
        WHERE tenant_id = $1 AND partner_organisation_id IS NOT NULL
        ORDER BY partner_organisation_id LIMIT 1`,
      [agency.tenantId],
    );
    [{ trip: messagedTrip, contact: messagedContact }] = await t.dataSource.query<
      { trip: string; contact: string }[]
    >(
      `SELECT trip_id AS trip, contact_id AS contact FROM notifications
        WHERE tenant_id = $1 ORDER BY trip_id LIMIT 1`,
      [agency.tenantId],
    );
    [{ id: tripEntityId }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT entity_id AS id FROM audit_events
        WHERE tenant_id = $1 AND entity_type = 'trip' ORDER BY entity_id LIMIT 1`,
      [agency.tenantId],
    );
    // The first organisation and trip by id, and the first bulk agreement, have a hundred
    // agreements or follow-ups more than the others (see the loaders).
    [{ id: frequentParty }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM partner_organisations WHERE tenant_id = $1 ORDER BY id LIMIT 1`,
      [agency.tenantId],
    );
    [{ id: tripWithAgreements }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM trips WHERE tenant_id = $1 ORDER BY id LIMIT 1`,
      [agency.tenantId],
    );
    [{ id: agreementWithFollowUps }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT ${agreementId('1')} AS id`,
      [agency.tenantId],
    );
    [{ id: followUpOwner }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT owner_user_id AS id FROM follow_ups
        WHERE tenant_id = $1 ORDER BY owner_user_id LIMIT 1`,
      [agency.tenantId],
    );

    /** EXPLAINs a SELECT run while a request of this file is, on `run` (the app's pool or runner). */
    const explain = async (
      sql: string,
      parameters: unknown[] | undefined,
      run: (sql: string, parameters?: unknown[]) => Promise<unknown>,
    ) => {
      if (!request || !/^\s*(SELECT|WITH)\b/i.test(sql)) return;
      const [row] = (await run(`${EXPLAIN} ${sql}`, parameters)) as {
        'QUERY PLAN': { Plan: PlanNode }[];
      }[];
      captured.push({ request, sql, plan: row['QUERY PLAN'][0].Plan });
    };
    for (const method of ['getMany', 'getRawAndEntities'] as const) {
      const original = originals[method];
      (SelectQueryBuilder.prototype as unknown as Record<string, unknown>)[method] =
        async function <E extends ObjectLiteral>(this: SelectQueryBuilder<E>) {
          const [sql, parameters] = this.getQueryAndParameters();
          const runner = (this as unknown as { queryRunner?: QueryRunner }).queryRunner;
          await explain(sql, parameters, (text, values) =>
            (runner ?? this.dataSource).query(text, values),
          );
          return (original as () => Promise<unknown>).call(this);
        };
    }
    // Hot reads written as plain SQL (issue 21) go through the DataSource itself.
    const query = t.dataSource.query.bind(t.dataSource);
    t.dataSource.query = async <T>(sql: string, parameters?: unknown[], runner?: QueryRunner) => {
      await explain(sql, parameters, (text, values) => query(text, values, runner));
      return query<T>(sql, parameters, runner);
    };
    // The hottest reads run as named prepared statements on the pool (src/database/prepared.ts).
    pg.Pool.prototype.query = async function (this: pg.Pool, config: pg.QueryConfig) {
      await explain(config.text, config.values, (text, values) => query(text, values));
      return Reflect.apply(poolQuery, this, [config]) as Promise<pg.QueryResult>;
    } as typeof pg.Pool.prototype.query;
  }, 120_000);

  afterAll(async () => {
    Object.assign(SelectQueryBuilder.prototype, originals);
    pg.Pool.prototype.query = poolQuery;
    if (REPORT) {
      console.log(
        captured.map(({ request: name, plan }) => `${name}\n${planText(plan, 1)}`).join('\n\n'),
      );
    }
    await t?.close();
  });

  /** GET `path` as the first agency's owner, EXPLAINing the queries it runs under `name`. */
  async function list(name: string, path: string): Promise<{ body: PageBody; plans: Captured[] }> {
    request = name;
    try {
      const response = await t.http().get(path).set(bearer(agency.owner.accessToken));
      const problem: unknown = response.status === 200 ? null : response.body;
      expect({ name, status: response.status, problem }).toEqual({
        name,
        status: 200,
        problem: null,
      });
      return {
        body: response.body as PageBody,
        plans: captured.filter((entry) => entry.request === name),
      };
    } finally {
      request = undefined;
    }
  }

  /** Each plan with a seq scan on a listed table, as request, query (select list left out) and plan. */
  function seqScans(plans: Captured[], table: ListedTable): string[] {
    // The list query itself was captured (the wrapper works), plus any follow-up queries.
    expect(plans.some((entry) => nodes(entry.plan).some((n) => n['Relation Name'] === table))).toBe(
      true,
    );
    return plans
      .filter(({ plan }) => nodes(plan).some(isSeqScanOfListedTable))
      .map(
        ({ request: name, sql, plan }) =>
          `${name}\n${sql.replace(/^SELECT .+? FROM /, 'SELECT ... FROM ')}\n${planText(plan)}`,
      );
  }

  /** Rows of `table` with these ids that belong to the first agency. */
  async function countInAgency(table: ListedTable, ids: string[]): Promise<number> {
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM ${table} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [agency.tenantId, ids],
    );
    return count;
  }

  const ORDER: Record<ListedTable, string> = {
    partner_organisations: 'name, id',
    contacts: 'last_name, id',
    trips: 'start_date DESC, id DESC',
    users: 'name, id',
    api_keys: 'created_at DESC, id DESC',
    audit_events: 'at DESC, id DESC',
    notifications: 'created_at DESC, id DESC',
    agreements: 'listed_on DESC, created_at DESC, id DESC',
    follow_ups: 'due_on, id',
  };

  interface Reference {
    /** Condition added to `WHERE tenant_id = $1`; its parameters are $2, $3... */
    where?: string;
    params: string[];
  }
  interface Case {
    name: string;
    path: string;
    query: string;
    table: ListedTable;
    /** The same list in plain SQL, to check the pages against; none for fuzzy search. */
    reference?: Reference;
  }

  const endpoint =
    (table: ListedTable, label: string, path: string) =>
    (name: string, query: string, reference?: Reference): Case => ({
      name: `${label}: ${name}`,
      path,
      query,
      table,
      reference,
    });
  const sql = (where?: string, ...params: string[]): Reference => ({ where, params });
  const organisations = endpoint(
    'partner_organisations',
    'organisations',
    '/api/v1/partner-organisations',
  );
  const contacts = endpoint('contacts', 'contacts', '/api/v1/contacts');
  const trips = endpoint('trips', 'trips', '/api/v1/trips');
  const users = endpoint('users', 'users', '/api/v1/users');
  const apiKeys = endpoint('api_keys', 'api keys', '/api/v1/api-keys');
  const auditEvents = endpoint('audit_events', 'audit events', '/api/v1/audit-events');
  const notifications = endpoint('notifications', 'delivery log', '/api/v1/notifications');
  const agreements = endpoint('agreements', 'agreements', '/api/v1/agreements');
  const followUps = endpoint('follow_ups', 'follow-ups', '/api/v1/follow-ups');
  const agreementFollowUps = endpoint(
    'follow_ups',
    "an agreement's follow-ups",
    '/api/v1/agreements/{agreement}/follow-ups',
  );
  /** Agreements with a party matching the SQL condition on `o`, the party's organisation. */
  const withParty = (condition: string) =>
    `id IN (SELECT p.agreement_id FROM agreement_parties p
              JOIN partner_organisations o ON o.id = p.partner_organisation_id
             WHERE ${condition})`;
  /** The first agency's today in its timezone, as the follow-ups' `overdue` means it. */
  const AGENCY_TODAY = `(now() AT TIME ZONE (SELECT timezone FROM tenants WHERE id = $1))::date`;

  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const WEEK_AGO = daysAgo(7);
  const MONTH_AGO = daysAgo(30);
  const FOUR_YEARS_AGO = daysAgo(4 * 365);
  const YEAR = new Date().getUTCFullYear();
  const TODAY = new Date().toISOString().slice(0, 10);
  const NEXT_WEEK = daysAgo(-7).slice(0, 10);
  const TWO_YEARS_AGO = daysAgo(2 * 365).slice(0, 10);

  const cases: Case[] = [
    // (tenant_id, name, id); trigram GIN on the search text; GIN on sectors; (tenant_id, updated_at).
    organisations('no filter', '', sql()),
    organisations('q common word', 'q=atameken'),
    organisations('q with a typo', 'q=atamekin'),
    organisations('q without accents, two words', 'q=sachsische%20optik'),
    organisations('q rare word', 'q=saksaul'),
    organisations('q rare word with a typo', 'q=saksaull'),
    organisations('q two letters', 'q=ag'),
    organisations('q + country + kind', 'q=tashkent&country=UZ&kind=company'),
    organisations('common country', 'country=KZ', sql('country = $2', 'KZ')),
    organisations('rare country', 'country=IS', sql('country = $2', 'IS')),
    organisations('kind', 'kind=university', sql('kind = $2', 'university')),
    organisations('sector', 'sector=water', sql('sectors @> ARRAY[$2]', 'water')),
    organisations('rare sector', 'sector=aerospace', sql('sectors @> ARRAY[$2]', 'aerospace')),
    organisations(
      'updatedSince last week',
      `updatedSince=${WEEK_AGO}`,
      sql('updated_at >= $2', WEEK_AGO),
    ),
    organisations(
      'updatedSince 4 years ago',
      `updatedSince=${FOUR_YEARS_AGO}`,
      sql('updated_at >= $2', FOUR_YEARS_AGO),
    ),
    // (tenant_id, last_name, id); trigram GIN on the contact's and on its organisation's text.
    contacts('no filter', '', sql()),
    contacts('q common last name', 'q=sadykova'),
    contacts('q with a typo', 'q=sadykowa'),
    contacts('q without accents, two words', 'q=jurgen%20schroder'),
    contacts('q rare last name', 'q=zhylkybayeva'),
    contacts('q rare organisation name', 'q=saksaul'),
    contacts('q common organisation name', 'q=atameken'),
    contacts('q email', 'q=a.4711%40partner.example'),
    contacts(
      'partnerOrganisationId',
      'partnerOrganisationId={organisation}',
      sql('partner_organisation_id = $2', '{organisation}'),
    ),
    contacts(
      'updatedSince last week',
      `updatedSince=${WEEK_AGO}`,
      sql('updated_at >= $2', WEEK_AGO),
    ),
    // (tenant_id, start_date, id) read backwards; GIN on countries; (tenant_id, updated_at).
    trips('no filter', '', sql()),
    trips('status completed', 'status=completed', sql('status = $2', 'completed')),
    trips(
      'status registration_open',
      'status=registration_open',
      sql('status = $2', 'registration_open'),
    ),
    trips('status in_progress', 'status=in_progress', sql('status = $2', 'in_progress')),
    trips('kind', 'kind=trade_fair', sql('kind = $2', 'trade_fair')),
    trips('country', 'country=MN', sql('countries @> ARRAY[$2]', 'MN')),
    trips('rare country', 'country=IS', sql('countries @> ARRAY[$2]', 'IS')),
    trips(
      'year',
      `year=${YEAR - 10}`,
      sql('start_date >= $2 AND start_date < $3', `${YEAR - 10}-01-01`, `${YEAR - 9}-01-01`),
    ),
    trips('from today', `from=${TODAY}`, sql('end_date >= $2', TODAY)),
    trips(
      'to 10 years ago',
      `to=${YEAR - 10}-06-30`,
      sql('start_date <= $2', `${YEAR - 10}-06-30`),
    ),
    trips(
      'from/to one month',
      `from=${YEAR - 5}-03-01&to=${YEAR - 5}-03-31`,
      sql('end_date >= $2 AND start_date <= $3', `${YEAR - 5}-03-01`, `${YEAR - 5}-03-31`),
    ),
    trips(
      'updatedSince last month',
      `updatedSince=${MONTH_AGO}`,
      sql('updated_at >= $2', MONTH_AGO),
    ),
    trips(
      'status + kind + country + year',
      `status=completed&kind=delegation&country=KZ&year=${YEAR - 3}`,
    ),
    // (tenant_id, name, id) and (tenant_id, created_at, id).
    users('no filter', '', sql()),
    users('role', 'role=admin', sql('role = $2', 'admin')),
    users('deactivated', 'active=false', sql('NOT active')),
    users(
      'updatedSince last month',
      `updatedSince=${MONTH_AGO}`,
      sql('updated_at >= $2', MONTH_AGO),
    ),
    apiKeys('no filter', '', sql()),
    // (tenant_id, at, id) read backwards; (tenant_id, entity_type, entity_id).
    auditEvents('no filter', '', sql()),
    auditEvents('action', 'action=trip.transitioned', sql('action = $2', 'trip.transitioned')),
    auditEvents(
      'entity',
      'entityType=trip&entityId={entity}',
      sql('entity_type = $2 AND entity_id = $3', 'trip', '{entity}'),
    ),
    auditEvents('actor', 'actorId={owner}', sql('actor_id = $2', '{owner}')),
    auditEvents('updatedSince last week', `updatedSince=${WEEK_AGO}`, sql('at >= $2', WEEK_AGO)),
    // (tenant_id, created_at, id) read backwards; trip, contact and (tenant_id, updated_at).
    notifications('no filter', '', sql()),
    notifications('failed', 'status=failed', sql('status = $2', 'failed')),
    notifications('kind', 'kind=registration_rejected', sql('kind = $2', 'registration_rejected')),
    notifications('trip', 'tripId={trip}', sql('trip_id = $2', '{trip}')),
    notifications('contact', 'contactId={contact}', sql('contact_id = $2', '{contact}')),
    notifications(
      'updatedSince last week',
      `updatedSince=${WEEK_AGO}`,
      sql('updated_at >= $2', WEEK_AGO),
    ),
    notifications('failed invitations of a trip', 'status=failed&kind=invitation&tripId={trip}'),
    // (tenant_id, listed_on, created_at, id) read backwards; trigram GIN on the title;
    // (trip_id, status); (tenant_id, updated_at); the parties by their primary key and by
    // organisation.
    agreements('no filter', '', sql()),
    agreements('status in_force', 'status=in_force', sql('status = $2', 'in_force')),
    agreements('status terminated', 'status=terminated', sql('status = $2', 'terminated')),
    agreements('kind', 'kind=contract', sql('kind = $2', 'contract')),
    agreements('category', 'category=academic', sql('category = $2', 'academic')),
    agreements(
      'tripId',
      'tripId={tripWithAgreements}',
      sql('trip_id = $2', '{tripWithAgreements}'),
    ),
    agreements('organisationId', 'organisationId={party}', sql(withParty('o.id = $2'), '{party}')),
    agreements('common country', 'country=KZ', sql(withParty('o.country = $2'), 'KZ')),
    agreements('rare country', 'country=IS', sql(withParty('o.country = $2'), 'IS')),
    agreements(
      'year',
      `year=${YEAR - 5}`,
      sql('signed_on BETWEEN $2 AND $3', `${YEAR - 5}-01-01`, `${YEAR - 5}-12-31`),
    ),
    agreements(
      'signedFrom/signedTo one month',
      `signedFrom=${YEAR - 3}-03-01&signedTo=${YEAR - 3}-03-31`,
      sql('signed_on BETWEEN $2 AND $3', `${YEAR - 3}-03-01`, `${YEAR - 3}-03-31`),
    ),
    agreements(
      'updatedSince last week',
      `updatedSince=${WEEK_AGO}`,
      sql('updated_at >= $2', WEEK_AGO),
    ),
    agreements('q common title word', 'q=wasserstoff'),
    agreements('q with a typo', 'q=wasserstofff'),
    agreements('q without accents', 'q=absichtserklarung'),
    agreements('q rare title word', 'q=tulpenfeld'),
    agreements('q rare party name', 'q=saksaul'),
    agreements('q common word of titles and party names', 'q=atameken'),
    agreements(
      'status + category + country + year',
      `status=in_force&category=business&country=UZ&year=${YEAR - 2}`,
    ),
    // (tenant_id, due_on, id); (owner_user_id, due_on, id); (agreement_id, due_on, id).
    followUps('no filter', '', sql()),
    followUps(
      'ownerUserId',
      'ownerUserId={followUpOwner}',
      sql('owner_user_id = $2', '{followUpOwner}'),
    ),
    followUps('open', 'state=open', sql('done_at IS NULL')),
    followUps('overdue', 'state=overdue', sql(`done_at IS NULL AND due_on < ${AGENCY_TODAY}`)),
    followUps('done', 'state=done', sql('done_at IS NOT NULL')),
    followUps(
      'dueBefore two years ago',
      `dueBefore=${TWO_YEARS_AGO}`,
      sql('due_on < $2', TWO_YEARS_AGO),
    ),
    followUps(
      "an owner's open ones due before next week",
      `ownerUserId={followUpOwner}&state=open&dueBefore=${NEXT_WEEK}`,
      sql('owner_user_id = $2 AND done_at IS NULL AND due_on < $3', '{followUpOwner}', NEXT_WEEK),
    ),
    agreementFollowUps('no filter', '', sql('agreement_id = $2', '{agreement}')),
  ];

  /** Fills in ids only known once the data is loaded. */
  const fill = (text: string) =>
    text
      .replace('{organisation}', organisationWithContacts)
      .replace('{entity}', tripEntityId)
      .replace('{owner}', agency.owner.id)
      .replace('{trip}', messagedTrip)
      .replace('{contact}', messagedContact)
      .replace('{party}', frequentParty)
      .replace('{tripWithAgreements}', tripWithAgreements)
      .replace('{agreement}', agreementWithFollowUps)
      .replace('{followUpOwner}', followUpOwner);

  it.each(cases)('$name', async ({ name, path, query, table, reference }) => {
    const ids: string[] = [];
    const scans: string[] = [];
    let cursor: string | null = null;
    for (const page of [1, 2]) {
      const params = [fill(query), `limit=${LIMIT}`, cursor ? `cursor=${cursor}` : ''];
      const { body, plans } = await list(
        `${name} (page ${page})`,
        `${fill(path)}?${params.filter(Boolean).join('&')}`,
      );
      scans.push(...seqScans(plans, table));
      expect(body.items.length).toBeLessThanOrEqual(LIMIT);
      if (body.nextCursor) expect(body.items).toHaveLength(LIMIT);
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    // No row twice, none of the other agency's.
    expect(new Set(ids).size).toBe(ids.length);
    expect(await countInAgency(table, ids)).toBe(ids.length);
    // Both pages together are in the list's order (the second continues the first).
    const sorted = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM ${table} WHERE id = ANY($1::uuid[]) ORDER BY ${ORDER[table]}`,
      [ids],
    );
    expect(ids).toEqual(sorted.map((row) => row.id));
    if (reference) {
      // And they are exactly the start of the same list in plain SQL.
      const expected = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM ${table}
          WHERE tenant_id = $1 ${reference.where ? `AND ${reference.where}` : ''}
          ORDER BY ${ORDER[table]} LIMIT ${2 * LIMIT + 1}`,
        [agency.tenantId, ...reference.params.map(fill)],
      );
      const expectedIds = expected.map((row) => row.id);
      expect(ids).toEqual(cursor ? expectedIds.slice(0, ids.length) : expectedIds);
    }
    // Last, so a seq scan does not hide a wrong page: no plan may seq-scan a listed table.
    expect(scans.join('\n\n')).toBe('');
  });
});
