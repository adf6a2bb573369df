import type { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import type { DatabaseNudges } from '../database/database-nudges.js';
import type { Queues } from './queues.js';
import { Rounds } from './rounds.js';

/**
 * Rows handed over per transaction. A full batch is followed at once by the
 * next; small enough that workers start on the first jobs (their rows are
 * locked until the hand-over commits) while the relay hands over the rest.
 */
const BATCH = 100;
/** Redis that does not answer within this is treated as down: the round rolls back. */
export const REDIS_TIMEOUT_MS = 5000;

/** Which rows a hand-over takes: those due, or those handed over that never came back. */
export type HandOverWhich = 'due' | { overdueAfterMs: number };

/**
 * Moves work from a PostgreSQL outbox (the source of truth) into BullMQ in
 * rounds every RELAY_INTERVAL_MS: due rows are added as jobs and marked in
 * one transaction (Redis down: the round rolls back, the next one tries
 * again); rows handed over more than RELAY_REQUEUE_AFTER_MS ago without an
 * outcome are added again, a no-op while Redis still holds the job and the
 * way back after it lost it. Rows are taken FOR UPDATE SKIP LOCKED, so any
 * number of workers relay side by side. A row written or made due at once
 * makes its table's triggers notify `channel` on commit, and a round starts
 * right away (DatabaseNudges) instead of at the next interval. Subclasses
 * say how rows are taken and what job each becomes.
 */
export abstract class RelayRounds<Row> extends Rounds {
  protected abstract readonly logger: Logger;
  /** What the outbox table's triggers notify when rows are written or made due (see the migrations). */
  protected abstract readonly channel: string;

  constructor(
    protected readonly config: AppConfig,
    protected readonly queues: Queues,
    private readonly nudges: DatabaseNudges,
  ) {
    super();
  }

  override onApplicationBootstrap(): void {
    this.nudges.on(this.channel, () => this.nudge());
    super.onApplicationBootstrap();
  }

  protected get intervalMs(): number {
    return this.config.RELAY_INTERVAL_MS;
  }

  /** Takes up to `limit` rows, hands them to `enqueue` and marks them, in one transaction. */
  protected abstract handOver(
    which: HandOverWhich,
    limit: number,
    enqueue: (rows: Row[]) => Promise<void>,
  ): Promise<number>;

  /** Adds the rows' jobs to the queue (within REDIS_TIMEOUT_MS, or fails). */
  protected abstract enqueue(rows: Row[]): Promise<void>;

  /** One round; errors are logged and the next round tries again. */
  async round(): Promise<void> {
    try {
      // While Redis is away, jobs added would only pile up in the client: wait for it.
      if (!this.queues.connected()) return;
      while ((await this.dispatchDue()) === BATCH);
      while ((await this.redeliver()) === BATCH);
    } catch (error) {
      this.logger.warn({ err: error }, 'relay round failed; retrying next round');
    }
  }

  /** Hands due rows to the queue. Returns how many. */
  dispatchDue(): Promise<number> {
    return this.handOver('due', BATCH, (rows) => this.enqueue(rows));
  }

  /** Hands over again what should be in the queue but may not be. Returns how many. */
  redeliver(): Promise<number> {
    return this.handOver({ overdueAfterMs: this.config.RELAY_REQUEUE_AFTER_MS }, BATCH, (rows) =>
      this.enqueue(rows),
    );
  }
}
