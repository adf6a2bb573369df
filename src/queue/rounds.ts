import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

/**
 * Work a worker does in rounds rather than as queue jobs (the outbox relay,
 * planning of due messages): the first round at start-up, each next one
 * `intervalMs` after the last ended (or at once when nudged), never two at
 * once; shutting down waits for the round in progress.
 */
export abstract class Rounds implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private busy = false;
  private nudged = false;
  private stopped = false;

  protected abstract get intervalMs(): number;

  /** One round; it should log its own errors, since the next round tries again. */
  abstract round(): Promise<void>;

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs the next round now, or right after the one in progress, instead of after the interval. */
  nudge(): void {
    if (this.busy) this.nudged = true;
    else this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.busy = true;
      this.running = this.round().finally(() => {
        this.busy = false;
        this.schedule(this.nudged ? 0 : this.intervalMs);
        this.nudged = false;
      });
    }, delay);
  }
}
