/**
 * HTTP reads and memory, a part of `npm run bench` (bench/index.ts builds
 * dist/ first; alone: `npm run build && npx tsc -p bench/tsconfig.servers.json`,
 * then `node --import @swc-node/register/esm-register bench/http-reads.ts`).
 *
 * Two servers, each its own process, against one private database cloned
 * from the migrated test template:
 *
 * - the product as production runs it: `node dist/bundle/api.js` with
 *   NODE_ENV=production, secrets of this run, LOG_LEVEL=warn, MIGRATIONS_RUN,
 *   a pool of POOL_SIZE connections;
 * - bench/bare-server.ts (`node dist/bench/bare-server.js`): Fastify and a pg
 *   Pool of the same size, the same JWT check (no session lookup), the SAME
 *   SQL (the trip statement is built here from TypeORM's metadata with the
 *   product's own `tripSelect`) sent the same way (named prepared
 *   statements; until 2026-12-04 the bare server sent them unnamed, so
 *   PostgreSQL planned its reads on every request and ratios measured
 *   before then flatter the product), the same JSON and the same headers
 *   (the product's security headers, read off its answer, the trip's ETag,
 *   an X-Request-Id; until 2026-12-05 the bare server sent none of them,
 *   about 330 bytes less per answer, which set as it sets them moved no
 *   ratio), checked byte for byte (but for `Date` and the request id's
 *   value) before anything is measured.
 *
 * The agency, its trip (two stations, two co-organisers, open for
 * registration, capacity 40) and 60 participants (40 confirmed, 20
 * waitlisted, a third needing a visa) are made through the product's API.
 * Load comes from autocannon in this process, CONNECTIONS at once, the
 * same for both servers. Each round gives each server CELL_SECONDS per
 * read in two halves, A B B A (which server is A alternates by round), so
 * drift in the machine's load touches both alike. Latencies are recorded
 * per response (exact, not autocannon's whole-millisecond histogram); the
 * CPU time of each server's process per request (from /proc) is printed
 * too, not judged: it is the figure least moved by other work on the
 * machine. Judged, as the median over rounds of each round's ratio
 * product ÷ bare:
 *
 * - GET /trips/{id}: requests/s ≥ 0.85×, p99 latency ≤ 1.3×;
 * - GET /trips/{id}/participants?limit=50 against the raw keyset query:
 *   mean latency ≤ 1.5× (at CONNECTIONS at once, so it is also 1/throughput).
 *
 * Memory (VmRSS of the product's process, from /proc): idle (after start,
 * two /health/ready requests and a few seconds' rest) ≤ 120 MB, and right
 * after AFTER_REQUESTS more GET /trips/{id} (following the rounds) ≤ 150 MB.
 * The bare server's figures are printed beside them for reference.
 *
 * `--profile=DIR` runs both servers with `--cpu-prof` and writes their CPU
 * profiles (DIR/product.cpuprofile, DIR/bare.cpuprofile; open them in
 * Chrome's DevTools) when they stop.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../src/database/entities.js';
import { SEATED_STATUSES } from '../src/modules/participants/participants.constants.js';
import { Participant } from '../src/modules/participants/entities/participant.entity.js';
import { Trip } from '../src/modules/trips/entities/trip.entity.js';
import { tripSelect } from '../src/modules/trips/trip-reads.js';
import { TRIP_TRANSITIONS } from '../src/modules/trips/trips.constants.js';
import { selectColumns } from '../src/database/select-columns.js';
import { createTestDatabase, dropDatabase } from '../test/support/databases.js';
import { addParticipant, createOrganisation } from '../test/support/factories.js';
import { bearer, signUpAgency } from '../test/support/identity.js';
import { addContacts, openTrip } from '../test/support/messaging.js';
import type { TestApp } from '../test/support/test-app.js';
import {
  benchSecrets,
  cleanEnv,
  deleteRedisKeys,
  freePort,
  median,
  memoryOf,
  option,
  POOL_SIZE,
  productEnv,
  progress,
  QUICK,
  quantile,
  ratioText,
  sleep,
  startServer,
  table,
  verdict,
  JWT_AUDIENCE,
  JWT_ISSUER,
  type Server,
} from './support.js';
import { ensureTemplate } from './template-database.js';

const ROUNDS = QUICK ? 3 : 5;
const CELL_SECONDS = QUICK ? 3 : 4;
const WARM_UP_SECONDS = 2;
const CONNECTIONS = 10;
const AFTER_REQUESTS = 100_000;
const PARTICIPANTS = 60;
const PAGE_LIMIT = 50;
const IDLE_SETTLE_MS = 3_000;
/** Response headers each server sets itself per answer (the rest are the product's fixed ones). */
const SET_BY_EACH_SERVER = new Set([
  'connection',
  'keep-alive',
  'date',
  'content-length',
  'content-type',
  'etag',
  'x-request-id',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const FLOORS = {
  tripRps: 0.85,
  tripP99: 1.3,
  pageTime: 1.5,
  idleMb: 120,
  afterMb: 150,
};

/** One autocannon run. */
interface Sample {
  latencies: number[];
  seconds: number;
  /** CPU time the server's process spent meanwhile (user + system). */
  cpuMs: number;
}

/** A server's share of a round: its samples pooled. */
interface Cell {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  /** Server CPU per request (ms): unlike wall-clock figures, barely moved by other load. */
  cpuMs: number;
}

type Side = 'product' | 'bare';
const SIDES: Side[] = ['product', 'bare'];

await ensureTemplate(progress);
const databaseUrl = await createTestDatabase();
const secrets = benchSecrets();
const servers: Server[] = [];
let failed = false;
try {
  const [productPort, barePort] = [await freePort(), await freePort()];
  progress('starting the product (node dist/bundle/api.js, NODE_ENV=production)');
  const product = await startServer(
    'the product',
    [...profiling('product'), 'dist/bundle/api.js'],
    productEnv(databaseUrl, productPort, secrets),
    productPort,
    '/health/live',
  );
  servers.push(product);
  for (let i = 0; i < 2; i++) await (await fetch(`${product.base}/health/ready`)).arrayBuffer();
  await sleep(IDLE_SETTLE_MS);
  const productIdle = await memoryOf(product.pid);

  progress('seeding through the API: agency, trip, 60 participants');
  const api = { http: () => request(product.base) } as unknown as TestApp;
  const agency = await signUpAgency(api);
  const headers = bearer(agency.owner.accessToken);
  const organisations = [
    await createOrganisation(api, agency),
    await createOrganisation(api, agency, { kind: 'chamber', country: 'KZ' }),
  ];
  const trip = await openTrip(api, agency, {
    capacity: 40,
    coOrganiserIds: organisations.map((organisation) => organisation.id),
    sectors: ['energy', 'logistics'],
    description: 'Benchmark trip of issue 21.',
  });
  const contacts = await addContacts(api, agency, PARTICIPANTS);
  for (const [n, contact] of contacts.entries()) {
    await addParticipant(api, agency, trip.id, {
      contactId: contact.id,
      visaRequired: n % 3 === 0,
      dietaryNeeds: n % 7 === 0 ? 'vegetarian' : undefined,
      organisationId: n % 4 === 0 ? organisations[0].id : undefined,
    });
  }

  const routes = {
    trip: `/api/v1/trips/${trip.id}`,
    page: `/api/v1/trips/${trip.id}/participants?limit=${PAGE_LIMIT}`,
  };
  // The product's fixed headers (its security headers), for the bare server to send too.
  const sample = await fetch(product.base + routes.trip, { headers });
  await sample.arrayBuffer();
  const fixedHeaders = [...sample.headers].filter(([name]) => !SET_BY_EACH_SERVER.has(name));

  progress('starting the bare server (node dist/bench/bare-server.js)');
  const bare = await startServer(
    'the bare server',
    [...profiling('bare'), 'dist/bench/bare-server.js'],
    await bareEnv(barePort, Object.fromEntries(fixedHeaders)),
    barePort,
    '/health/live',
  );
  servers.push(bare);
  await (await fetch(`${bare.base}/health/live`)).arrayBuffer();
  await sleep(IDLE_SETTLE_MS);
  const bareIdle = await memoryOf(bare.pid);
  const bases: Record<Side, string> = { product: product.base, bare: bare.base };

  for (const [name, path] of Object.entries(routes)) {
    const answers = await Promise.all(
      SIDES.map(async (side) => {
        const response = await fetch(bases[side] + path, { headers });
        const body = await response.text();
        if (response.status !== 200) throw new Error(`${side} ${path}: ${response.status} ${body}`);
        return { body, headers: comparableHeaders(response.headers) };
      }),
    );
    for (const part of ['body', 'headers'] as const) {
      if (answers[0][part] !== answers[1][part]) {
        throw new Error(
          `The bare server's ${name} ${part} differ from the product's; adjust ` +
            `bench/bare-server.ts until they are the same.\n` +
            `product: ${answers[0][part]}\nbare:    ${answers[1][part]}`,
        );
      }
    }
    progress(`${name}: both answers identical (${answers[0].body.length} bytes of body)`);
  }

  const pids: Record<Side, number> = { product: product.pid, bare: bare.pid };
  progress('warming up');
  for (const path of Object.values(routes)) {
    for (const side of SIDES) {
      await load(bases[side] + path, headers, { duration: WARM_UP_SECONDS }, pids[side]);
    }
  }

  const cells: Record<keyof typeof routes, Record<Side, Cell[]>> = {
    trip: { product: [], bare: [] },
    page: { product: [], bare: [] },
  };
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`round ${round}/${ROUNDS}`);
    // A B B A, half a cell each: drift in the machine's load touches both alike.
    const [first, second]: Side[] = round % 2 ? ['product', 'bare'] : ['bare', 'product'];
    for (const name of ['trip', 'page'] as const) {
      const samples: Record<Side, Sample[]> = { product: [], bare: [] };
      for (const side of [first, second, second, first]) {
        samples[side].push(
          await load(
            bases[side] + routes[name],
            headers,
            { duration: CELL_SECONDS / 2 },
            pids[side],
          ),
        );
      }
      for (const side of SIDES) cells[name][side].push(cellOf(samples[side]));
    }
  }

  // The bare server's memory after the rounds, for reference; only the product gets 100k more.
  const bareAfter = await memoryOf(bare.pid);
  progress(`${AFTER_REQUESTS.toLocaleString('en')} GET /trips/{id} on the product`);
  const started = performance.now();
  await load(product.base + routes.trip, headers, { amount: AFTER_REQUESTS }, product.pid);
  const productAfter = await memoryOf(product.pid);
  progress(`  in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  const ratios = (name: keyof typeof routes, measure: (cell: Cell) => number) =>
    cells[name].product.map((cell, round) => measure(cell) / measure(cells[name].bare[round]));
  const tripRps = ratios('trip', (cell) => cell.rps);
  const tripP99 = ratios('trip', (cell) => cell.p99);
  const pageMean = ratios('page', (cell) => cell.mean);
  const tripCpu = ratios('trip', (cell) => cell.cpuMs);
  const pageCpu = ratios('page', (cell) => cell.cpuMs);

  const rows: string[][] = [];
  for (const name of ['trip', 'page'] as const) {
    for (const side of SIDES) {
      const list = cells[name][side];
      rows.push([
        name === 'trip' ? 'GET /trips/{id}' : `GET /trips/{id}/participants?limit=${PAGE_LIMIT}`,
        side,
        median(list.map((cell) => cell.rps)).toFixed(0),
        median(list.map((cell) => cell.mean)).toFixed(2),
        median(list.map((cell) => cell.p50)).toFixed(2),
        median(list.map((cell) => cell.p99)).toFixed(2),
        median(list.map((cell) => cell.cpuMs)).toFixed(2),
      ]);
    }
  }
  const mb = (value: number) => value.toFixed(1);
  const memoryRows = [
    ['product', mb(productIdle.rssMb), mb(productAfter.rssMb), mb(productAfter.peakMb)],
    [
      'bare (reference)',
      mb(bareIdle.rssMb),
      `${mb(bareAfter.rssMb)} (rounds only)`,
      mb(bareAfter.peakMb),
    ],
  ];
  process.stdout.write(
    [
      '',
      `HTTP reads: product (dist, production) against a bare Fastify + pg server, ` +
        `${CONNECTIONS} connections, ${CELL_SECONDS} s per cell, ${ROUNDS} rounds (medians)`,
      table(['read', 'server', 'req/s', 'mean ms', 'p50 ms', 'p99 ms', 'CPU ms/req'], rows, 2),
      '',
      'Ratios product ÷ bare, median over rounds (each round in brackets):',
      `  GET /trips/{id} req/s: ${ratioText(tripRps)}  (floor ${FLOORS.tripRps}×)`,
      `  GET /trips/{id} p99:   ${ratioText(tripP99)}  (ceiling ${FLOORS.tripP99}×)`,
      `  participants page mean latency: ${ratioText(pageMean)}  (ceiling ${FLOORS.pageTime}×)`,
      '  Not judged: server CPU per request (little moved by other load on the machine):',
      `    GET /trips/{id}: ${ratioText(tripCpu)}; participants page: ${ratioText(pageCpu)}`,
      '',
      'Memory (VmRSS, MB): idle after start; after the rounds and ' +
        `${AFTER_REQUESTS.toLocaleString('en')} more GET /trips/{id}; peak = VmHWM`,
      table(['server', 'idle', `after rounds + ${AFTER_REQUESTS / 1000}k`, 'peak'], memoryRows),
      '',
    ].join('\n'),
  );

  const checks = [
    verdict(
      'GET trip req/s, product ÷ bare',
      median(tripRps),
      'min',
      FLOORS.tripRps,
      '×',
      ratioText(tripRps),
    ),
    verdict(
      'GET trip p99, product ÷ bare',
      median(tripP99),
      'max',
      FLOORS.tripP99,
      '×',
      ratioText(tripP99),
    ),
    verdict(
      'participants page time, product ÷ raw keyset',
      median(pageMean),
      'max',
      FLOORS.pageTime,
      '×',
      ratioText(pageMean),
    ),
    verdict(
      'API RSS idle',
      productIdle.rssMb,
      'max',
      FLOORS.idleMb,
      'MB',
      `bare server ${bareIdle.rssMb.toFixed(0)} MB`,
    ),
    verdict(
      `API RSS after ${AFTER_REQUESTS / 1000}k requests`,
      productAfter.rssMb,
      'max',
      FLOORS.afterMb,
      'MB',
      `peak ${productAfter.peakMb.toFixed(0)} MB; bare server ${bareAfter.rssMb.toFixed(0)} MB`,
    ),
  ];
  failed = checks.some((line) => !line.ok);
} finally {
  for (const server of servers.reverse()) await server.stop();
  await dropDatabase(databaseUrl);
  await deleteRedisKeys(secrets.redisPrefix);
}
if (failed) process.exitCode = 1;

/** Node's options for a CPU profile of `side` when --profile=DIR is given. */
function profiling(side: Side): string[] {
  const directory = option('profile');
  return directory
    ? ['--cpu-prof', `--cpu-prof-dir=${directory}`, `--cpu-prof-name=${side}.cpuprofile`]
    : [];
}

/**
 * The bare server's environment: the same database, pool, JWT settings, SQL
 * and fixed response headers as the product.
 */
async function bareEnv(
  port: number,
  responseHeaders: Record<string, string>,
): Promise<NodeJS.ProcessEnv> {
  // TypeORM's metadata without a connection, as the product builds it on start.
  const dataSource = new DataSource({ type: 'postgres', entities: ENTITIES });
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return cleanEnv({
    PORT: port,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: POOL_SIZE,
    JWT_SECRET: secrets.jwtSecret,
    JWT_ISSUER,
    JWT_AUDIENCE,
    BARE_TRIP_SQL: tripSelect(dataSource.getMetadata(Trip)),
    BARE_PARTICIPANT_COLUMNS: selectColumns(dataSource.getMetadata(Participant), 'p'),
    BARE_TRIP_TRANSITIONS: JSON.stringify(TRIP_TRANSITIONS),
    BARE_SEATED_STATUSES: JSON.stringify(SEATED_STATUSES),
    BARE_RESPONSE_HEADERS: JSON.stringify(responseHeaders),
  });
}

/**
 * An answer's headers as text to compare: all but `Date`, with the request
 * id's value (a fresh UUID on each answer) replaced by its shape.
 */
function comparableHeaders(headers: Headers): string {
  return JSON.stringify(
    [...headers]
      .filter(([name]) => name !== 'date')
      .map(([name, value]) =>
        name === 'x-request-id' ? [name, UUID.test(value) ? '(a UUID)' : value] : [name, value],
      ),
  );
}

/**
 * autocannon against `url` with CONNECTIONS connections, for `duration`
 * seconds or `amount` requests; every answer must be 200. Latencies are
 * taken from each response (autocannon's histogram keeps whole milliseconds).
 */
async function load(
  url: string,
  requestHeaders: Record<string, string>,
  until: { duration: number } | { amount: number },
  pid: number,
): Promise<Sample> {
  const latencies: number[] = [];
  let others = 0;
  const cpuBefore = await cpuMsOf(pid);
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, headers: requestHeaders, connections: CONNECTIONS, ...until },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, status: number, _bytes: number, ms: number) => {
      if (status === 200) latencies.push(ms);
      else others++;
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = (await cpuMsOf(pid)) - cpuBefore;
  if (others > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${url}: ${others} answers other than 200, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { latencies, seconds, cpuMs };
}

function cellOf(samples: Sample[]): Cell {
  const latencies = samples.flatMap((sample) => sample.latencies);
  const sum = (measure: (sample: Sample) => number) =>
    samples.reduce((total, sample) => total + measure(sample), 0);
  return {
    rps: latencies.length / sum((sample) => sample.seconds),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    mean: latencies.reduce((total, ms) => total + ms, 0) / latencies.length,
    requests: latencies.length,
    cpuMs: sum((sample) => sample.cpuMs) / latencies.length,
  };
}

/** User + system CPU time of process `pid` so far (ms; /proc counts in ticks of 10 ms). */
async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name in parentheses; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
