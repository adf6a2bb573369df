import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Rounds } from '../../../queue/rounds.js';
import { WebhooksRepository } from '../webhooks.repository.js';

/** Planning rounds are this many relay intervals apart (a minute by default). */
const RELAY_ROUNDS_PER_PLANNING = 60;

/**
 * Writes the events that come from time passing (`follow_up.due`,
 * `notification.failed`), at start-up and then every minute; each goes to
 * an endpoint once, however many workers plan.
 */
@Injectable()
export class WebhookPlanner extends Rounds {
  private readonly logger = new Logger(WebhookPlanner.name);

  constructor(
    private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.RELAY_INTERVAL_MS * RELAY_ROUNDS_PER_PLANNING;
  }

  async round(): Promise<void> {
    try {
      await this.webhooks.addTimedEvents();
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook planning failed; retrying next round');
    }
  }
}
