/**
 * Cold start, a part of `npm run bench` (needs dist/ and dist/bench/, which
 * bench/index.ts builds first).
 *
 * Time from spawning `node …` to the first 200 of GET /health/live, polled
 * every 10 ms, for the product (`node dist/bundle/api.js`, NODE_ENV=production,
 * LOG_LEVEL=warn, preparing its database: migrations already applied) against
 * bench/minimal-nest-app.ts (`node dist/bench/minimal-nest-app.js`: NestFactory,
 * the Fastify adapter, TypeORM with one entity, one controller), both
 * against the same private database cloned from the test template. ROUNDS
 * pairs, which goes first alternating; judged: the median of the per-pair
 * ratios product ÷ minimal, at most 1.5×. Each process is stopped with
 * SIGTERM before the next starts; the idle RSS of both (after a second's
 * rest) is printed for reference.
 */
import { createTestDatabase, dropDatabase } from '../test/support/databases.js';
import {
  benchSecrets,
  cleanEnv,
  deleteRedisKeys,
  freePort,
  median,
  memoryOf,
  POOL_SIZE,
  productEnv,
  progress,
  QUICK,
  ratioText,
  sleep,
  startServer,
  table,
  verdict,
} from './support.js';
import { ensureTemplate } from './template-database.js';

const ROUNDS = QUICK ? 3 : 5;
const CEILING = 1.5;

type Side = 'product' | 'minimal';

await ensureTemplate(progress);
const databaseUrl = await createTestDatabase();
const secrets = benchSecrets();
let failed = false;
try {
  const start = async (side: Side) => {
    const port = await freePort();
    const server =
      side === 'product'
        ? await startServer(
            'the product',
            ['dist/bundle/api.js'],
            productEnv(databaseUrl, port, secrets),
            port,
            '/health/live',
          )
        : await startServer(
            'the minimal Nest app',
            ['dist/bench/minimal-nest-app.js'],
            cleanEnv({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: POOL_SIZE, PORT: port }),
            port,
            '/health/live',
          );
    await sleep(1000);
    const { rssMb } = await memoryOf(server.pid);
    await server.stop();
    return { ms: server.startMs, rssMb };
  };

  // One start each first, not counted: the files are in the page cache after it.
  progress('warm-up start of each');
  await start('product');
  await start('minimal');

  const samples: Record<Side, { ms: number; rssMb: number }[]> = { product: [], minimal: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`cold starts, round ${round}/${ROUNDS}`);
    const order: Side[] = round % 2 ? ['product', 'minimal'] : ['minimal', 'product'];
    for (const side of order) samples[side].push(await start(side));
  }
  const ratios = samples.product.map((sample, round) => sample.ms / samples.minimal[round].ms);
  process.stdout.write(
    [
      '',
      `Cold start: spawn to first 200 of /health/live, ${ROUNDS} rounds (medians)`,
      table(
        ['app', 'start ms', 'each round', 'idle RSS MB'],
        (['product', 'minimal'] as const).map((side) => [
          side === 'product' ? 'product (dist/bundle/api.js)' : 'minimal Nest + TypeORM app',
          median(samples[side].map((sample) => sample.ms)).toFixed(0),
          samples[side].map((sample) => sample.ms.toFixed(0)).join(', '),
          median(samples[side].map((sample) => sample.rssMb)).toFixed(1),
        ]),
      ),
      `  product ÷ minimal: ${ratioText(ratios)}  (ceiling ${CEILING}×)`,
      '',
    ].join('\n'),
  );
  failed = !verdict(
    'cold start, product ÷ minimal Nest app',
    median(ratios),
    'max',
    CEILING,
    '×',
    `${median(samples.product.map((s) => s.ms)).toFixed(0)} ms vs ` +
      `${median(samples.minimal.map((s) => s.ms)).toFixed(0)} ms; ${ratioText(ratios)}`,
  ).ok;
} finally {
  await dropDatabase(databaseUrl);
  await deleteRedisKeys(secrets.redisPrefix);
}
if (failed) process.exitCode = 1;
