import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Reports on a large agency (issue 19): 100,000 participants (each its own
 * contact), 10,000 meetings with counterparts, 3,000 trips over twelve
 * years. Both reports run a constant number of statements whatever the
 * trip or year, and no statement of theirs reads a large table by a
 * sequential scan (each is EXPLAINed with its real parameters).
 */

const TRIPS = 3_000;
const PEOPLE = 100_000;
const MEETINGS = 10_000;
const ORGANISATIONS = 2_000;
/** The large tables (3,000 trips are a small table: a scan of it is the right plan). */
const LARGE = ['participants', 'contacts', 'meetings', 'meeting_organisations'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

describe('reports on a 100k-participant agency', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;
  let statements: { query: string; parameters: unknown[] }[] | null = null;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await signUpAgency(t, { tenantName: 'Große Agentur' });
    auth = bearer(desk.owner.accessToken);
    const seed = (sql: string) => t.dataSource.query(sql, [desk.tenantId]);
    await seed(
      `INSERT INTO partner_organisations (tenant_id, name, kind, country)
       SELECT $1, 'Organisation ' || i,
              (ARRAY['company','university','ministry','chamber','research_institute'])[1 + i % 5],
              (ARRAY['DE','KZ','UZ','KR'])[1 + i % 4]
         FROM generate_series(1, ${ORGANISATIONS}) AS i`,
    );
    await seed(
      `INSERT INTO trips (tenant_id, title, kind, status, countries, start_date, end_date, capacity)
       SELECT $1, 'Reise ' || i,
              (ARRAY['delegation','market_exploration','incoming_delegation','trade_fair',
                     'virtual_mission','information_event'])[1 + i % 6],
              CASE WHEN DATE '2014-01-01' + i + 7 < current_date THEN 'completed' ELSE 'planned' END,
              ARRAY['KZ'], DATE '2014-01-01' + i * 1.5 * interval '1 day',
              DATE '2014-01-01' + (i * 1.5 + 7) * interval '1 day', 100
         FROM generate_series(1, ${TRIPS}) AS i`,
    );
    await seed(
      `INSERT INTO stations (tenant_id, trip_id, city, country, timezone, arrival_date, departure_date, position)
       SELECT $1, id, 'Almaty', 'KZ', 'Asia/Almaty', start_date, end_date, 0
         FROM trips WHERE tenant_id = $1`,
    );
    await seed(
      `WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM partner_organisations WHERE tenant_id = $1)
       INSERT INTO contacts (tenant_id, last_name, email, partner_organisation_id)
       SELECT $1, 'Person ' || i, 'p' || i || '@large.example', o.id
         FROM generate_series(1, ${PEOPLE}) AS i JOIN o ON o.n = 1 + i % ${ORGANISATIONS}`,
    );
    await seed(
      `WITH tr AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM trips WHERE tenant_id = $1),
            c AS (SELECT id, partner_organisation_id, row_number() OVER (ORDER BY id) AS n
                    FROM contacts WHERE tenant_id = $1)
       INSERT INTO participants (tenant_id, trip_id, contact_id, organisation_id, role, category, status)
       SELECT $1, tr.id, c.id, c.partner_organisation_id, 'member', 'business',
              (ARRAY['confirmed','confirmed','attended','cancelled','applied','rejected'])[1 + c.n % 6]
         FROM c JOIN tr ON tr.n = 1 + c.n % ${TRIPS}`,
    );
    await seed(
      `WITH s AS (SELECT s.id, s.trip_id, s.arrival_date, row_number() OVER (ORDER BY s.id) AS n
                    FROM stations s WHERE s.tenant_id = $1)
       INSERT INTO meetings (tenant_id, trip_id, station_id, title, kind, status, starts_at, ends_at)
       SELECT $1, s.trip_id, s.id, 'Termin ' || i,
              (ARRAY['b2b','government_talk','company_visit','travel','other'])[1 + i % 5],
              (ARRAY['held','held','confirmed','cancelled'])[1 + i % 4],
              s.arrival_date + (8 + i % 10) * interval '1 hour' + (i / ${TRIPS}) * interval '1 day',
              s.arrival_date + (9 + i % 10) * interval '1 hour' + (i / ${TRIPS}) * interval '1 day'
         FROM generate_series(1, ${MEETINGS}) AS i JOIN s ON s.n = 1 + i % ${TRIPS}`,
    );
    await seed(
      `WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM partner_organisations WHERE tenant_id = $1)
       INSERT INTO meeting_organisations (meeting_id, partner_organisation_id)
       SELECT m.id, o.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM meetings
                                WHERE tenant_id = $1) AS m
         JOIN o ON o.n = 1 + m.n % ${ORGANISATIONS}`,
    );
    await t.dataSource.query('ANALYZE');
    t.dataSource.subscribers.push({
      beforeQuery: (event) => {
        statements?.push({ query: event.query, parameters: (event.parameters ?? []) as unknown[] });
      },
    });
  }, 300_000);

  afterAll(() => t.close());

  /** The statements one request runs. */
  async function run(path: string): Promise<{ query: string; parameters: unknown[] }[]> {
    statements = [];
    await t.http().get(path).set(auth).expect(200);
    const ran = statements;
    statements = null;
    return ran;
  }

  /** Large tables any of `ran` reads by a sequential scan. */
  async function seqScans(ran: { query: string; parameters: unknown[] }[]): Promise<string[]> {
    const found: string[] = [];
    const walk = (node: PlanNode) => {
      if (node['Node Type'] === 'Seq Scan' && LARGE.includes(node['Relation Name'] ?? '')) {
        found.push(node['Relation Name']!);
      }
      node.Plans?.forEach(walk);
    };
    for (const { query, parameters } of ran) {
      if (!/^\s*(WITH|SELECT)/i.test(query)) continue;
      const [row] = await t.dataSource.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
        `EXPLAIN (FORMAT JSON) ${query}`,
        parameters,
      );
      walk(row['QUERY PLAN'][0].Plan);
    }
    return found;
  }

  it('the trip report: the same statements for a small and a large trip, none scanning a large table', async () => {
    const [small, large] = await t.dataSource.query<{ id: string }[]>(
      `(SELECT trip_id AS id FROM meetings WHERE tenant_id = $1 GROUP BY trip_id
         ORDER BY count(*), trip_id LIMIT 1)
       UNION ALL
       (SELECT trip_id FROM meetings WHERE tenant_id = $1 GROUP BY trip_id
         ORDER BY count(*) DESC, trip_id LIMIT 1)`,
      [desk.tenantId],
    );
    const forSmall = await run(`/api/v1/trips/${small.id}/report`);
    const forLarge = await run(`/api/v1/trips/${large.id}/report`);
    expect(forLarge.length).toBe(forSmall.length);
    expect(await seqScans(forLarge)).toEqual([]);
  });

  it('the annual report: the same statements for a quiet and a busy year, none scanning a large table', async () => {
    const quiet = await run('/api/v1/reports/annual?year=2010');
    const busy = await run('/api/v1/reports/annual?year=2020');
    expect(busy.length).toBe(quiet.length);
    expect(await seqScans(busy)).toEqual([]);
    const report = await t.http().get('/api/v1/reports/annual?year=2020').set(auth).expect(200);
    expect(
      (report.body as { current: { peopleReached: { count: number } } }).current.peopleReached
        .count,
    ).toBeGreaterThan(1000);
  });

  it('the lists behind the figures: none scanning a large table', async () => {
    const [large] = await t.dataSource.query<{ id: string }[]>(
      `SELECT trip_id AS id FROM meetings WHERE tenant_id = $1 GROUP BY trip_id
        ORDER BY count(*) DESC, trip_id LIMIT 1`,
      [desk.tenantId],
    );
    const lists = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(collect);
      if (value && typeof value === 'object') {
        const { list } = value as { list?: unknown };
        if (typeof list === 'string') lists.add(list);
        Object.values(value).forEach(collect);
      }
    };
    collect((await t.http().get(`/api/v1/trips/${large.id}/report`).set(auth).expect(200)).body);
    collect((await t.http().get('/api/v1/reports/annual?year=2020').set(auth).expect(200)).body);
    // People and organisations reached, represented and met, participants by organisation…
    expect(lists.size).toBeGreaterThan(30);
    const scans: string[] = [];
    for (const list of lists) {
      const ran = await run(`${list}${list.includes('?') ? '&' : '?'}limit=50`);
      scans.push(...(await seqScans(ran)).map((table) => `${list}: ${table}`));
    }
    expect(scans).toEqual([]);
  });
});
