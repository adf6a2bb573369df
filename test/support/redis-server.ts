import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, within } from './spawn.js';

/**
 * A private `redis-server` process on a free port, for tests that stop,
 * restart or flush Redis: the shared server on 6379 is used by test files
 * running in parallel and must never lose its data. No persistence, so a
 * restart comes back empty, the way a Redis without AOF does.
 */
export class RedisServer {
  private process?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'dd-redis-')));
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Starts the server (again) on its port; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.process) throw new Error('redis-server is already running');
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.process = child;
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/Ready to accept connections/.test(output)) resolve();
      };
      child.stdout.on('data', check);
      void this.exited?.then(() => reject(new Error(`redis-server exited:\n${output}`)));
    });
    await within(ready, 10_000, `redis-server on port ${this.port}`);
  }

  /** Takes the server down hard (SIGKILL): no goodbye to clients, nothing saved. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
    this.process = undefined;
  }

  /** A client of this server; the caller disconnects it. */
  client(): Redis {
    return new Redis(this.url, { maxRetriesPerRequest: 1 });
  }

  /** Stops the server and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
