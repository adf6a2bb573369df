import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Rounds } from '../../../queue/rounds.js';
import { MessageKinds } from '../message-kinds.js';

/** Planning rounds are this many relay intervals apart (a minute by default). */
const RELAY_ROUNDS_PER_PLANNING = 60;

/**
 * Asks the message kinds that plan messages of their own (reminders) to
 * write those that have come due, at start-up and then every minute; the
 * relay sends them on from the outbox like any other message.
 */
@Injectable()
export class MessagePlanner extends Rounds {
  private readonly logger = new Logger(MessagePlanner.name);

  constructor(
    private readonly config: AppConfig,
    private readonly kinds: MessageKinds,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.RELAY_INTERVAL_MS * RELAY_ROUNDS_PER_PLANNING;
  }

  async round(): Promise<void> {
    try {
      await this.kinds.planDue();
    } catch (error) {
      this.logger.warn({ err: error }, 'planning messages failed; retrying next round');
    }
  }
}
