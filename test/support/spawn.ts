import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

/** The repository root: child processes run from there, like `npm start` does. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  child: ChildProcess;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Settles when the process has exited (never rejects). */
  exited: Promise<Exit>;
  /** Resolves with the first match of `pattern` in stderr; rejects if the process exits or time runs out first. */
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit; rejects if the process is still running after `timeoutMs`. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit>;
  /** SIGKILL if still running, then waits for the exit. Safe to call any time. */
  kill(): Promise<void>;
}

/** Runs a TypeScript entry script in a child Node process, the way the test template is built. */
export function spawnTypeScript(
  script: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Spawned {
  return spawnNode(['--import', '@swc-node/register/esm-register', script, ...args], env);
}

/** Runs `node …args` (a compiled script and its arguments) in a child process from the repository root. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStderr(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = err.match(pattern);
          if (!match) return;
          done();
          resolve(match);
        };
        const onExit = ({ code, signal }: Exit) => {
          done();
          reject(
            new Error(`process exited (${code ?? signal}) before ${pattern} appeared:\n${err}`),
          );
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${pattern} did not appear within ${timeoutMs} ms:\n${err}`));
        }, timeoutMs);
        let finished = false;
        const done = () => {
          finished = true;
          clearTimeout(timer);
          child.stderr.off('data', check);
        };
        child.stderr.on('data', check);
        void exited.then((exit) => {
          if (!finished) onExit(exit);
        });
        check();
      });
    },
    async stop(signal, timeoutMs) {
      if (running()) child.kill(signal);
      return within(exited, timeoutMs, `exit after ${signal}`);
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Rejects if `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP port that was free a moment ago (the OS picks it; we release it at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port assigned');
  return address.port;
}

/** Resolves with the socket error code of a TCP connection attempt, or `connected`. */
export function tryConnect(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Deletes every Redis key under `prefix:`. */
export async function deleteRedisKeys(prefix: string, redisUrl = 'redis://127.0.0.1:6379') {
  const redis = new Redis(redisUrl);
  try {
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
