/**
 * What the parts of `npm run bench` share: verdict lines for the runner
 * (bench/index.ts), medians and quantiles, tables, and servers started as
 * their own processes (the product from dist/, the bare server, the
 * minimal Nest app) with their memory read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';

/** A line of a part's stdout that starts with this carries one verdict as JSON. */
export const VERDICT_PREFIX = 'bench-verdict ';

export interface Verdict {
  /** What is measured, e.g. "GET trip req/s, product ÷ bare". */
  item: string;
  measured: number;
  /** How `measured` reads: '×' (a ratio), 'MB', 'statements'. */
  unit: string;
  /** The floor (`min`) or ceiling (`max`) written in the part. */
  limit: number;
  bound: 'min' | 'max';
  ok: boolean;
  /** Shown beside the figure (each round's ratio, what the baseline was...). */
  note?: string;
}

/** Judges `measured` against `limit` and prints the verdict line the runner collects. */
export function verdict(
  item: string,
  measured: number,
  bound: 'min' | 'max',
  limit: number,
  unit = '×',
  note?: string,
): Verdict {
  const ok = Number.isFinite(measured) && (bound === 'min' ? measured >= limit : measured <= limit);
  return emit({ item, measured, unit, limit, bound, ok, note });
}

/** Prints the verdict line the runner collects. */
export function emit(line: Verdict): Verdict {
  process.stdout.write(`${VERDICT_PREFIX}${JSON.stringify(line)}\n`);
  return line;
}

/** A verdict that is only true or false (a count constant across sizes, a check that passed). */
export function check(item: string, ok: boolean, note?: string): Verdict {
  return verdict(item, ok ? 1 : 0, 'min', 1, 'yes/no', note);
}

export function progress(step: string): void {
  process.stderr.write(`bench: ${step}\n`);
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank quantile. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `1.23× (1.20, 1.23, 1.31)`: the median and each round's figure. */
export function ratioText(ratios: number[]): string {
  return `${median(ratios).toFixed(2)}× (${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`;
}

/** A plain text table; the first `left` columns are left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][], left = 1): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((cell, column) =>
        column < left ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port free on the loopback interface right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Resident set size of process `pid` (VmRSS) and its peak (VmHWM), in MB (MiB). */
export async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) / 1024;
  };
  return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
}

/**
 * The environment of a server process: only what is given (and PATH,
 * HOME), so nothing of the caller's environment changes what is measured.
 */
export function cleanEnv(vars: Record<string, string | number | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [key, value] of Object.entries(vars)) {
    if (value !== undefined) env[key] = String(value);
  }
  return env;
}

/**
 * The environment the Dockerfile's runtime image sets (its `ENV` lines:
 * NODE_ENV, the malloc and V8 memory settings), so the product is measured
 * as the image runs it.
 */
export function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const runtime = dockerfile.slice(dockerfile.indexOf(' AS runtime'));
  const env: Record<string, string> = {};
  for (const [, line] of runtime.matchAll(/^ENV (.+)$/gm)) {
    for (const [, key, quoted, bare] of line.matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)) {
      env[key] = quoted ?? bare;
    }
  }
  return env;
}

/**
 * The product's environment as production runs it (the image's settings,
 * `NODE_ENV=production`, secrets of this run's own), logging only warnings,
 * on `port` of the loopback interface, with a private Redis prefix.
 */
export function productEnv(
  databaseUrl: string,
  port: number,
  secrets: BenchSecrets,
  extra: Record<string, string | number> = {},
): NodeJS.ProcessEnv {
  return cleanEnv({
    ...imageEnv(),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: port,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: POOL_SIZE,
    MIGRATIONS_RUN: 'true',
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: secrets.redisPrefix,
    MAIL_DIR: '/tmp',
    LOG_LEVEL: 'warn',
    JWT_SECRET: secrets.jwtSecret,
    JWT_ISSUER: JWT_ISSUER,
    JWT_AUDIENCE: JWT_AUDIENCE,
    ACCESS_TOKEN_TTL_SECONDS: 3600,
    PII_ENCRYPTION_KEYS: secrets.piiKeys,
    ...extra,
  });
}

/** The product's default pool size, used by the bare server too. */
export const POOL_SIZE = 10;
export const JWT_ISSUER = 'delegation-desk';
export const JWT_AUDIENCE = 'delegation-desk-api';

export interface BenchSecrets {
  jwtSecret: string;
  piiKeys: string;
  redisPrefix: string;
}

/** Fresh secrets for one run (production refuses the development defaults). */
export function benchSecrets(): BenchSecrets {
  return {
    jwtSecret: randomBytes(32).toString('hex'),
    piiKeys: `bench:${randomBytes(32).toString('base64')}`,
    redisPrefix: `dd-bench:${randomBytes(4).toString('hex')}`,
  };
}

/** Removes the keys a server wrote under `prefix`. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

export interface Server {
  name: string;
  child: ChildProcess;
  pid: number;
  base: string;
  /** Milliseconds from spawn to the first 200 of the health path. */
  startMs: number;
  /** What the process printed (for errors). */
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * Spawns `node args…` and resolves once GET `healthPath` answers 200 (polled
 * every 10 ms), with the time that took: a cold start as an orchestrator
 * would see it.
 */
export async function startServer(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  healthPath: string,
  timeoutMs = 60_000,
): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : 1);
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const server: Server = {
    name,
    child,
    pid: child.pid ?? 0,
    base,
    startMs: 0,
    output: () => output,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
  const deadline = started + timeoutMs;
  for (;;) {
    if (exited !== null) {
      throw new Error(`${name} exited with ${String(exited)} before it served:\n${output}`);
    }
    if (performance.now() > deadline) {
      await server.stop();
      throw new Error(`${name} did not answer ${healthPath} within ${timeoutMs} ms:\n${output}`);
    }
    try {
      const response = await fetch(base + healthPath);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await sleep(10);
  }
  server.startMs = performance.now() - started;
  return server;
}

/** `--name=value` of this process's arguments. */
export function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

export const QUICK = process.argv.includes('--quick');
