import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';

/** Wait before connecting again after the listening connection failed or closed. */
const RECONNECT_MS = 5000;

/**
 * PostgreSQL's LISTEN/NOTIFY, for work that runs in rounds (the outbox
 * relays): a trigger NOTIFYs a channel when rows become due, PostgreSQL
 * delivers it once the writing transaction commits (never for one rolled
 * back), and the listener runs a round at once instead of at the next
 * interval. A nudge only hurries what the interval does anyway: while the
 * listening connection is down (it reconnects every few seconds), work is
 * late, never lost. One connection per process, opened on the first `on`
 * (the API never opens it).
 */
@Injectable()
export class DatabaseNudges implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseNudges.name);
  private readonly listeners = new Map<string, (() => void)[]>();
  private client?: pg.Client;
  private retry?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly config: AppConfig) {}

  /** Calls `nudge` whenever `channel` is notified (a plain identifier). */
  on(channel: string, nudge: () => void): void {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), nudge]);
    if (this.client) void this.client.query(`LISTEN ${channel}`).catch(() => undefined);
    else if (!this.retry) void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.retry = undefined;
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'delegation-desk-nudges',
      // A connection dropped without a word (NAT, failover) must be noticed to be replaced.
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', ({ channel }) => {
      for (const nudge of this.listeners.get(channel) ?? []) nudge();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
      // What came due while nobody listened (a lost connection) is not notified again.
      for (const nudge of [...this.listeners.values()].flat()) nudge();
    } catch (error) {
      this.lost(client, error);
    }
  }

  /** The connection failed or closed: work waits for its interval until a new one listens. */
  private lost(client: pg.Client, error?: unknown): void {
    if (this.closed || client !== this.client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.logger.warn({ err: error }, 'not listening for due work; connecting again soon');
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
  }
}
