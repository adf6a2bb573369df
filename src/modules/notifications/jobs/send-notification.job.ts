import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import pLimit, { type LimitFunction } from 'p-limit';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { MailTransport } from '../../../mail/mail-transport.js';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { GroupWrites } from '../../../database/group-writes.js';
import {
  JobName,
  type JobPayloads,
  type JobResults,
  type SendOutcome,
} from '../../../queue/jobs.js';
import { ClusterCounters, InjectRedis, RedisKeys } from '../../../redis/redis.module.js';
import type { Notification } from '../entities/notification.entity.js';
import { MessageKinds, type Loaded, type Unreadable } from '../message-kinds.js';
import { NotificationsRepository, type Outcome } from '../notifications.repository.js';
import { renderMessage } from '../templates/templates.js';

type Send = JobName.NotificationsSend;

/**
 * How long an outcome waits for others to share its statement and commit
 * (GroupWrites). Outcomes come in as the mail server answers, one every
 * millisecond or two at full speed: written as they came, the 500 of an
 * invitation round took about 190 statements and commits, and the process
 * sending them spent about a fifth more CPU per mail (issue 21,
 * bench/messaging.ts). Gathered for 10 ms they took about 50 while a send
 * waited for its outcome's record, and about 60 once sends no longer did
 * (the worker's send limit); for 25 ms, 30–40, with about 45 ms less CPU
 * for PostgreSQL per 500 mails (50 ms: about 20). The window for a second
 * copy (a crash after the server's acceptance, before the record) grows by
 * as much.
 */
const OUTCOMES_GATHER_MS = 25;

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
 * Sends a batch of messages of the outbox. It first claims them (status
 * `sending`, a lease, one more attempt) in one statement: a message already
 * sent, cancelled or held by another worker is skipped, so a job delivered
 * twice by the queue sends nothing twice. Their kinds read what they say in
 * a few statements for the batch, the mails go out side by side over the
 * pooled SMTP connections (WORKER_CONCURRENCY sends at once in the worker,
 * whatever its jobs: one per connection), and each outcome is recorded within
 * OUTCOMES_GATHER_MS of the mail server's answer, in one statement with the
 * others answered by then. The only window for a second copy is a crash
 * between the server's acceptance and recording it (DESIGN §6). Messages
 * that failed for now make the job fail, so that the queue runs it again
 * after its backoff: the next run claims only those (the others are done).
 */
@Injectable()
@JobHandler(JobName.NotificationsSend)
export class SendNotificationJob implements HandlesJob<Send> {
  private readonly logger = new Logger(SendNotificationJob.name);
  private readonly sendCap: RateLimiterRedis;
  /** Outcomes of every job this worker runs, written in groups. */
  private readonly outcomes: GroupWrites<{ claimed: Notification; outcome: Outcome }>;
  /**
   * Sends in flight across the jobs this worker runs at once: one per pooled
   * SMTP connection (MailTransport). A send waits here, not in the pool's
   * queue, so that whether half its lease remains is asked when it starts.
   */
  private readonly sending: LimitFunction;

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
    this.outcomes = new GroupWrites(
      (outcomes) => this.notifications.recordOutcomes(outcomes),
      OUTCOMES_GATHER_MS,
    );
    this.sending = pLimit(config.WORKER_CONCURRENCY);
  }

  async handle(job: Job<JobPayloads[Send], JobResults[Send], Send>): Promise<JobResults[Send]> {
    const ids = job.data.notificationIds;
    const claims = await this.notifications.claimForSending(ids, this.config.NOTIFICATION_LEASE_MS);
    const tally: JobResults[Send] = {
      sent: 0,
      failed: 0,
      retrying: 0,
      cancelled: 0,
      deferred: 0,
      skipped: ids.length - claims.length,
    };
    const addressed = claims.flatMap(({ message, addressed }) =>
      'addressing' in addressed ? [{ message, addressing: addressed.addressing }] : [],
    );
    const loaded = await this.kinds.loadAll(this.dataSource.manager, addressed);
    const loadedOf = new Map(addressed.map(({ message }, index) => [message.id, loaded[index]]));
    const sendable = addressed.filter((_, index) => !('failed' in loaded[index]));
    const allowances = await this.allowances(sendable.map(({ message }) => message.tenantId));
    // A send starts only while half the lease remains, so it ends before another worker may take the message.
    const sendBy = Date.now() + this.config.NOTIFICATION_LEASE_MS / 2;
    const outcomes = await Promise.all(
      claims.map(({ message, addressed }) =>
        this.deliver(
          message,
          'stale' in addressed ? addressed : loadedOf.get(message.id)!,
          allowances.get(message.tenantId),
          sendBy,
        ),
      ),
    );
    for (const outcome of outcomes) tally[outcome]++;
    // Counting never fails (nor holds up) the work it counts.
    if (tally.sent > 0) void this.counters.increment('mail_sent', '', tally.sent);
    if (tally.retrying > 0) {
      throw new Error(`${tally.retrying} of ${ids.length} messages failed for now; trying again`);
    }
    return tally;
  }

  /** Sends one claimed message (unless stale or over the cap) and records what became of it. */
  private async deliver(
    message: Notification,
    loaded: Loaded | Unreadable,
    allowance: Allowance | undefined,
    sendBy: number,
  ): Promise<SendOutcome> {
    if ('failed' in loaded) return this.failed(message, loaded.failed);
    if ('stale' in loaded) {
      await this.record(message, {
        status: 'cancelled',
        leaseUntil: null,
        lastError: `Not sent: ${loaded.stale}.`,
      });
      return 'cancelled';
    }
    if (!allowance || 'error' in allowance) return this.failed(message, allowance?.error);
    if (allowance.left === 0) {
      await this.record(message, {
        status: 'scheduled',
        dueAt: new Date(Date.now() + allowance.waitMs),
        leaseUntil: null,
        attempts: message.attempts - 1,
      });
      return 'deferred';
    }
    allowance.left--;
    // Rendered once a connection is free, so that a batch holds few rendered mails at a time.
    const attempt = await this.sending(async (): Promise<Attempt> =>
      Date.now() > sendBy ? 'not tried' : this.send(message, loaded),
    );
    if (attempt === 'not tried') {
      // Back to the queue for the job's next run, the attempt not counted.
      await this.record(message, {
        status: 'queued',
        leaseUntil: null,
        attempts: message.attempts - 1,
        relayedAt: new Date(),
      });
      return 'retrying';
    }
    if ('error' in attempt) return this.failed(message, attempt.error);
    // The server has accepted it: never recorded as failed. Should this write fail too, the
    // message stays `sending` (the one window for a second copy) and the job fails.
    await this.record(message, {
      status: 'sent',
      sentAt: new Date(),
      leaseUntil: null,
      subject: attempt.subject,
      providerMessageId: attempt.messageId,
      providerResponse: attempt.response,
      lastError: null,
    });
    return 'sent';
  }

  /** Renders and sends one message; the server's answer, or why it did not take it. */
  private async send(message: Notification, loaded: Sendable): Promise<Attempt> {
    try {
      const rendered = renderMessage(loaded.context);
      const answer = await this.mail.send({
        to: message.recipientEmail,
        fromName: loaded.context.agency.name,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: { 'X-Delegation-Desk-Message': message.id },
        attachments: loaded.attachments,
      });
      return { subject: rendered.subject, ...answer };
    } catch (error) {
      return { error };
    }
  }

  /**
   * Records a failed attempt: final for a permanent error or the last
   * attempt, else `queued` for the job's next run (after the backoff, which
   * the relay waits out before it would hand the message over again).
   */
  private async failed(message: Notification, error: unknown): Promise<'failed' | 'retrying'> {
    const final = isPermanent(error) || message.attempts >= this.config.NOTIFICATION_MAX_ATTEMPTS;
    const backoffMs = this.config.NOTIFICATION_RETRY_DELAY_MS * 2 ** (message.attempts - 1);
    await this.record(message, {
      status: final ? 'failed' : 'queued',
      leaseUntil: null,
      lastError: describe(error),
      ...(final ? {} : { relayedAt: new Date(Date.now() + backoffMs) }),
    });
    this.logger.warn(
      { notificationId: message.id, attempt: message.attempts, final, err: error },
      final ? 'message failed for good' : 'message failed; will retry',
    );
    await this.counters.increment(final ? 'mail_failed' : 'mail_retried');
    return final ? 'failed' : 'retrying';
  }

  private record(claimed: Notification, outcome: Outcome): Promise<void> {
    return this.outcomes.add({ claimed, outcome });
  }

  /**
   * How many of the batch's messages each agency may send now, taken from
   * its hourly cap at once (one round trip to Redis per agency and batch
   * instead of one per message). Only what would go out counts: messages
   * unreadable or stale are left out, and the points of those the cap
   * holds back are given back, so they count when they do go out. A
   * message that is then not tried (the lease ran short) has counted all
   * the same: the cap errs on the safe side.
   */
  private async allowances(tenantIds: string[]): Promise<Map<string, Allowance>> {
    const wanted = new Map<string, number>();
    for (const tenantId of tenantIds) wanted.set(tenantId, (wanted.get(tenantId) ?? 0) + 1);
    const allowances = new Map<string, Allowance>();
    await Promise.all(
      [...wanted].map(async ([tenantId, count]) => {
        allowances.set(tenantId, await this.allowance(tenantId, count));
      }),
    );
    return allowances;
  }

  private async allowance(tenantId: string, count: number): Promise<Allowance> {
    try {
      await this.sendCap.consume(tenantId, count);
      return { left: count, waitMs: 0 };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return { error: rejection };
      // consumedPoints includes this batch's: what was left before it may go out.
      const cap = this.config.NOTIFICATION_SEND_CAP_PER_HOUR;
      const left = Math.min(count, Math.max(0, cap - (rejection.consumedPoints - count)));
      try {
        await this.sendCap.reward(tenantId, count - left);
      } catch (error) {
        // Not given back: the held messages count twice this hour, which errs on the safe side.
        this.logger.warn({ err: error, tenantId }, 'could not give back held messages to the cap');
      }
      return { left, waitMs: Math.max(1000, rejection.msBeforeNext) };
    }
  }
}

/** What a message's kinds read for it, when it is worth sending. */
type Sendable = Extract<Loaded, { context: unknown }>;

/** A send: the server's answer, why it did not take the message, or not tried (too late). */
type Attempt =
  { subject: string; messageId: string; response: string } | { error: unknown } | 'not tried';

/** Of an agency's messages in a batch: how many more may go out now, and when the rest may. */
type Allowance = { left: number; waitMs: number } | { error: unknown };
