/**
 * `npm run bench`: issue 21's benchmark, every part in one run on this
 * machine, each in a process of its own (so the memory and CPU of one do
 * not disturb the next), then one table of what each measured against the
 * floor or ceiling written in its part; exits 1 when any item fails.
 *
 *   npm run bench                          all parts (4 to 12 minutes; more on a busy machine)
 *   npm run bench -- --only=reads,startup  some parts (names below)
 *   npm run bench -- --quick               fewer rounds where a part allows (3, the least)
 *
 * Parts (see each file's header):
 * - statements (bench/statements.ts): SQL statements per request for the
 *   main reads and writes, small against large data; counts, judged as they are;
 * - reads (bench/http-reads.ts): the product's GET trip and participants
 *   page (from dist/, NODE_ENV=production) against a bare Fastify + pg
 *   server running the same SQL with the same JWT check; the API's RSS idle
 *   and after 100k requests;
 * - startup (bench/cold-start.ts): the product's cold start against a
 *   minimal NestJS + TypeORM app's;
 * - trips (bench/trip-reads.ts --assert): trip reads for 100,000
 *   participants against 10 (issue 14);
 * - messaging (bench/messaging.ts): invitation delivery through the
 *   pipeline against direct pooled sends to the same SMTP sink; its
 *   "pipeline / baseline" time ratio is read from its output and turned
 *   into a throughput ratio (baseline ÷ pipeline).
 *
 * reads and startup run the compiled product: `npm run build` and
 * `tsc -p bench/tsconfig.servers.json` (to dist/bench/) run first.
 * Everything needs PostgreSQL and Redis as the e2e tests do. Ratios are
 * against a baseline measured in the same run (the machine is shared), the
 * median of at least three rounds.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { option, progress, QUICK, VERDICT_PREFIX, type Verdict } from './support.js';

const SWC = ['--import', '@swc-node/register/esm-register'];
/** Throughput of delivery through the pipeline ÷ direct sends (issue 21). */
const DELIVERY_FLOOR = 0.7;
const PART_TIMEOUT_MS = 20 * 60_000;

interface Part {
  name: string;
  args: string[];
  /** Needs dist/ and dist/bench/. */
  compiled?: boolean;
  /** Verdicts read from output that carries no verdict lines. */
  parse?: (output: string) => Verdict[];
}

const quick = QUICK ? ['--quick'] : [];
const PARTS: Part[] = [
  { name: 'statements', args: [...SWC, 'bench/statements.ts'] },
  { name: 'reads', args: [...SWC, 'bench/http-reads.ts', ...quick], compiled: true },
  { name: 'startup', args: [...SWC, 'bench/cold-start.ts', ...quick], compiled: true },
  { name: 'trips', args: [...SWC, 'bench/trip-reads.ts', '--assert', '--verdicts'] },
  {
    name: 'messaging',
    args: ['--expose-gc', ...SWC, 'bench/messaging.ts'],
    parse: messagingVerdicts,
  },
];

const only = option('only')?.split(',');
const unknown = only?.filter((name) => !PARTS.some((part) => part.name === name)) ?? [];
if (unknown.length > 0) {
  throw new Error(
    `unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.map((p) => p.name).join(', ')}`,
  );
}
const selected = PARTS.filter((part) => !only || only.includes(part.name));

const started = performance.now();
const results: Verdict[] = [];
const timings: string[] = [];
if (selected.some((part) => part.compiled)) {
  const buildStarted = performance.now();
  progress('npm run build (the product, to dist/)');
  await run('npm', ['run', 'build'], 'inherit');
  progress('tsc -p bench/tsconfig.servers.json (bare server, minimal Nest app, to dist/bench/)');
  await run(process.execPath, [
    'node_modules/typescript/bin/tsc',
    '-p',
    'bench/tsconfig.servers.json',
  ]);
  timings.push(`build ${seconds(buildStarted)}`);
}
for (const part of selected) {
  const partStarted = performance.now();
  progress(`── part ${part.name}: node ${part.args.join(' ')}`);
  const { code, verdicts, output } = await runPart(part);
  const found = part.parse ? part.parse(output) : verdicts;
  results.push(...found);
  if (found.length === 0 || (code !== 0 && found.every((line) => line.ok))) {
    results.push({
      item: `part ${part.name} ran`,
      measured: 0,
      unit: 'yes/no',
      limit: 1,
      bound: 'min',
      ok: false,
      note:
        found.length === 0
          ? `exited ${code} with no verdicts (see its output above)`
          : `exited ${code}`,
    });
  }
  timings.push(`${part.name} ${seconds(partStarted)}`);
}

const rows = results.map((line) => [
  line.item,
  measuredText(line),
  limitText(line),
  line.ok ? 'ok' : 'FAIL',
  line.note ?? '',
]);
const widths = [0, 1, 2, 3].map((column) =>
  Math.max(
    ['item', 'measured', 'floor/ceiling', 'ok'][column].length,
    ...rows.map((row) => row[column].length),
  ),
);
const format = (cells: string[]) =>
  cells
    .map((cell, column) =>
      column === 4
        ? cell
        : column === 1 || column === 2
          ? cell.padStart(widths[column])
          : cell.padEnd(widths[column]),
    )
    .join(' | ')
    .trimEnd();
const failures = results.filter((line) => !line.ok).length;
process.stdout.write(
  [
    '',
    `Issue 21 benchmark: ${selected.map((part) => part.name).join(', ')}${QUICK ? ' (quick)' : ''}; ` +
      `${seconds(started)} (${timings.join(', ')})`,
    '',
    format(['item', 'measured', 'floor/ceiling', 'ok', 'note']),
    format(widths.map((width) => '-'.repeat(width)).concat('----')),
    ...rows.map(format),
    '',
    failures === 0
      ? `All ${results.length} items within their floors and ceilings.`
      : `${failures} of ${results.length} items FAIL.`,
    '',
  ].join('\n'),
);
if (failures > 0) process.exitCode = 1;

/** Runs a part: its stdout is shown except verdict lines, which are collected. */
function runPart(part: Part): Promise<{ code: number; verdicts: Verdict[]; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, part.args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const verdicts: Verdict[] = [];
    let output = '';
    const timer = setTimeout(() => {
      progress(`part ${part.name} ran over ${PART_TIMEOUT_MS / 60_000} minutes; stopping it`);
      child.kill('SIGTERM');
    }, PART_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(VERDICT_PREFIX)) {
        verdicts.push(JSON.parse(line.slice(VERDICT_PREFIX.length)) as Verdict);
      } else {
        output += `${line}\n`;
        process.stdout.write(`${line}\n`);
      }
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), verdicts, output });
    });
  });
}

/** Runs a build step; rejects unless it exits 0. */
function run(
  command: string,
  args: string[],
  stdout: 'inherit' | 'ignore' = 'inherit',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', stdout, 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

/**
 * bench/messaging.ts prints its delivery ratio as
 * `  pipeline / baseline: 1.23× (rounds: 1.20, 1.23, 1.31) …` (time through
 * the pipeline ÷ time of direct sends); issue 21 asks for throughput, the
 * inverse, of at least DELIVERY_FLOOR. Its `SQL statements per request
 * constant (1, 50, 500): yes (…)` line is read as well.
 */
function messagingVerdicts(output: string): Verdict[] {
  const verdicts: Verdict[] = [];
  const delivery = /pipeline \/ baseline: ([\d.]+)×(?: \(rounds: ([^)]*)\))?/.exec(output);
  if (delivery) {
    const timeRatio = Number(delivery[1]);
    const rounds = (delivery[2] ?? '')
      .split(',')
      .map((each) => Number(each.trim()))
      .filter((each) => each > 0)
      .map((each) => (1 / each).toFixed(2));
    const measured = 1 / timeRatio;
    verdicts.push({
      item: 'invitation delivery throughput, pipeline ÷ direct sends',
      measured,
      unit: '×',
      limit: DELIVERY_FLOOR,
      bound: 'min',
      ok: measured >= DELIVERY_FLOOR,
      note: `time ratio ${timeRatio.toFixed(2)}×; rounds ${rounds.join(', ')}`,
    });
  }
  const constant = /SQL statements per request constant \(([^)]*)\): (\w+) \(([^)]*)\)/.exec(
    output,
  );
  if (constant) {
    verdicts.push({
      item: 'statements POST /trips/{id}/invitations constant in contacts',
      measured: constant[2] === 'yes' ? 1 : 0,
      unit: 'yes/no',
      limit: 1,
      bound: 'min',
      ok: constant[2] === 'yes',
      note: `${constant[3]} for ${constant[1]} contacts`,
    });
  }
  return verdicts;
}

function measuredText(line: Verdict): string {
  if (line.unit === 'yes/no') return line.measured >= 1 ? 'yes' : 'no';
  if (line.unit === '×') return `${line.measured.toFixed(2)}×`;
  if (line.unit === 'MB') return `${line.measured.toFixed(0)} MB`;
  return String(line.measured);
}

function limitText(line: Verdict): string {
  if (line.unit === 'yes/no') return 'yes';
  const sign = line.bound === 'min' ? '≥' : '≤';
  if (line.unit === '×') return `${sign} ${line.limit}×`;
  if (line.unit === 'MB') return `${sign} ${line.limit} MB`;
  return `${sign} ${line.limit}`;
}

function seconds(since: number): string {
  const total = Math.round((performance.now() - since) / 1000);
  return total >= 60 ? `${Math.floor(total / 60)} min ${total % 60} s` : `${total} s`;
}
