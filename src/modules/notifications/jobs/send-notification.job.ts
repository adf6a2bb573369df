import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { MailTransport } from '../../../mail/mail-transport.js';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { JobName, type JobPayloads, type JobResults } from '../../../queue/jobs.js';
import { ClusterCounters, InjectRedis, RedisKeys } from '../../../redis/redis.module.js';
import { MessageKinds } from '../message-kinds.js';
import { NotificationsRepository } from '../notifications.repository.js';
import { renderMessage } from '../templates/templates.js';

type Send = JobName.NotificationsSend;

/**
 * A 5xx about this message (recipient, content) is final; 4xx, dropped
 * connections, timeouts and the server refusing us (a wrong password, 5xx
 * at login or greeting) are worth another try: fixing the configuration
 * lets them go out.
 */
export function isPermanent(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    code !== 'EAUTH' &&
    code !== 'ECONNECTION'
  );
}

function describe(error: unknown): string {
  const { responseCode, response, message } = error as {
    responseCode?: number;
    response?: string;
    message?: string;
  };
  return (response ?? message ?? String(error)).slice(0, 2000) || `SMTP ${responseCode}`;
}

/**
 * Sends one message of the outbox. It first claims the row (status
 * `sending`, a lease, one more attempt): a message already sent, cancelled
 * or held by another worker is skipped, so a job delivered twice by the
 * queue sends once. The only window for a second copy is a crash between the
 * SMTP server's acceptance and recording it (DESIGN §6).
 */
@Injectable()
@JobHandler(JobName.NotificationsSend)
export class SendNotificationJob implements HandlesJob<Send> {
  private readonly logger = new Logger(SendNotificationJob.name);
  private readonly sendCap: RateLimiterRedis;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly kinds: MessageKinds,
    private readonly mail: MailTransport,
    private readonly notifications: NotificationsRepository,
    private readonly counters: ClusterCounters,
    @InjectRedis() redis: Redis,
    keys: RedisKeys,
  ) {
    this.sendCap = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.key('rate', 'tenant-mail'),
      points: config.NOTIFICATION_SEND_CAP_PER_HOUR,
      duration: 3600,
    });
  }

  async handle(job: Job<JobPayloads[Send], JobResults[Send], Send>): Promise<JobResults[Send]> {
    const claimed = await this.notifications.claimForSending(
      job.data.notificationId,
      this.config.NOTIFICATION_LEASE_MS,
    );
    if (!claimed) return { outcome: 'skipped' };
    const { message, addressed } = claimed;
    try {
      const loaded =
        'stale' in addressed
          ? addressed
          : await this.kinds
              .of(message.kind)
              .load(this.dataSource.manager, message, addressed.addressing);
      if ('stale' in loaded) {
        await this.notifications.recordOutcome(message, {
          status: 'cancelled',
          leaseUntil: null,
          lastError: `Not sent: ${loaded.stale}.`,
        });
        return { outcome: 'cancelled' };
      }
      // Only what would go out counts against the agency's hourly cap.
      const deferral = await this.overCap(message.tenantId);
      if (deferral !== null) {
        await this.notifications.recordOutcome(message, {
          status: 'scheduled',
          dueAt: new Date(Date.now() + deferral),
          leaseUntil: null,
          attempts: message.attempts - 1,
        });
        return { outcome: 'deferred' };
      }
      const rendered = renderMessage(loaded.context);
      const sent = await this.mail.send({
        to: message.recipientEmail,
        fromName: loaded.context.agency.name,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: { 'X-Delegation-Desk-Message': message.id },
        attachments: loaded.attachments,
      });
      await this.notifications.recordOutcome(message, {
        status: 'sent',
        sentAt: new Date(),
        leaseUntil: null,
        subject: rendered.subject,
        providerMessageId: sent.messageId,
        providerResponse: sent.response,
        lastError: null,
      });
      // Counting never fails (nor holds up) the work it counts: the job is done once `sent` is recorded.
      void this.counters.increment('mail_sent');
      return { outcome: 'sent' };
    } catch (error) {
      const final = isPermanent(error) || message.attempts >= this.config.NOTIFICATION_MAX_ATTEMPTS;
      await this.notifications.recordOutcome(message, {
        status: final ? 'failed' : 'queued',
        leaseUntil: null,
        lastError: describe(error),
      });
      this.logger.warn(
        { notificationId: message.id, attempt: message.attempts, final, err: error },
        final ? 'message failed for good' : 'message failed; will retry',
      );
      await this.counters.increment(final ? 'mail_failed' : 'mail_retried');
      if (final) return { outcome: 'failed' };
      throw error;
    }
  }

  /** Milliseconds until the tenant may send again; null when under its hourly cap. */
  private async overCap(tenantId: string): Promise<number | null> {
    try {
      await this.sendCap.consume(tenantId);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1000, rejection.msBeforeNext);
      throw rejection;
    }
  }
}
