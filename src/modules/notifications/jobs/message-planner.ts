import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { MessageKinds } from '../message-kinds.js';

/** Planning rounds are this many relay intervals apart (a minute by default). */
const RELAY_ROUNDS_PER_PLANNING = 60;

/**
 * Asks the message kinds that plan messages of their own (reminders) to
 * write those that have come due, at start-up and then every minute; the
 * relay sends them on from the outbox like any other message.
 */
@Injectable()
export class MessagePlanner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MessagePlanner.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly kinds: MessageKinds,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() =>
        this.schedule(this.config.RELAY_INTERVAL_MS * RELAY_ROUNDS_PER_PLANNING),
      );
    }, delay);
  }

  private async round(): Promise<void> {
    try {
      await this.kinds.planDue();
    } catch (error) {
      this.logger.warn({ err: error }, 'planning messages failed; retrying next round');
    }
  }
}
