import type { DefaultJobOptions } from 'bullmq';

/** Every BullMQ queue of the product. */
export enum QueueName {
  System = 'system',
  /**
   * Outgoing messages; jobs are added by the outbox relay only, each for up to
   * NOTIFICATION_BATCH_SIZE messages (a job for one message has its id as job id).
   */
  Notifications = 'notifications',
  /** Webhook deliveries; jobs are added by the webhook relay only (one per attempt). */
  Webhooks = 'webhooks',
}

/** Every job name, `<queue>.<verb>`. A worker refuses to start while one has no handler. */
export enum JobName {
  /** Round trip through a worker: proves producer and worker share Redis, prefix and queue. */
  SystemPing = 'system.ping',
  /** Deletes stored Idempotency-Key responses past their retention. */
  SystemPurgeIdempotencyKeys = 'system.purge-idempotency-keys',
  /** Deletes expired refresh tokens and the sessions left without any. */
  SystemPurgeExpiredSessions = 'system.purge-expired-sessions',
  /** Deletes travel documents of trips that ended more than the tenant's retention ago. */
  SystemPurgeTravelDocuments = 'system.purge-travel-documents',
  /** Moves agreements in force whose validity ended to `expired`. */
  AgreementsExpire = 'system.expire-agreements',
  /** Renders and sends a batch of messages of the outbox. */
  NotificationsSend = 'notifications.send',
  /** One attempt at one webhook delivery. */
  WebhooksDeliver = 'webhooks.deliver',
}

/** What became of a message a send job was given (`skipped`: sent, cancelled or held elsewhere). */
export type SendOutcome = 'sent' | 'failed' | 'retrying' | 'cancelled' | 'deferred' | 'skipped';

/** Payloads carry ids and plain values only, never personal data. */
export interface JobPayloads {
  [JobName.SystemPing]: { sentAt: string };
  [JobName.SystemPurgeIdempotencyKeys]: Record<string, never>;
  [JobName.SystemPurgeExpiredSessions]: Record<string, never>;
  [JobName.SystemPurgeTravelDocuments]: Record<string, never>;
  [JobName.AgreementsExpire]: Record<string, never>;
  [JobName.NotificationsSend]: { notificationIds: string[] };
  [JobName.WebhooksDeliver]: { deliveryId: string };
}

export interface JobResults {
  [JobName.SystemPing]: { workerId: string; sentAt: string; receivedAt: string };
  [JobName.SystemPurgeIdempotencyKeys]: { deleted: number };
  [JobName.SystemPurgeExpiredSessions]: { refreshTokens: number; sessions: number };
  [JobName.SystemPurgeTravelDocuments]: { deleted: number };
  [JobName.AgreementsExpire]: { expired: number };
  /** How many of the batch's messages went each way; `retrying` ones make the job try again. */
  [JobName.NotificationsSend]: Record<SendOutcome, number>;
  [JobName.WebhooksDeliver]: { outcome: 'succeeded' | 'retrying' | 'failed' | 'skipped' };
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SystemPing]: QueueName.System,
  [JobName.SystemPurgeIdempotencyKeys]: QueueName.System,
  [JobName.SystemPurgeExpiredSessions]: QueueName.System,
  [JobName.SystemPurgeTravelDocuments]: QueueName.System,
  [JobName.AgreementsExpire]: QueueName.System,
  [JobName.NotificationsSend]: QueueName.Notifications,
  [JobName.WebhooksDeliver]: QueueName.Webhooks,
};

/** Jobs the worker schedules itself, every `everyMs` (idempotent across workers). */
export const JOB_SCHEDULES: Partial<Record<JobName, { everyMs: number }>> = {
  [JobName.SystemPurgeIdempotencyKeys]: { everyMs: 3600_000 },
  [JobName.SystemPurgeExpiredSessions]: { everyMs: 3600_000 },
  [JobName.SystemPurgeTravelDocuments]: { everyMs: 3600_000 },
  [JobName.AgreementsExpire]: { everyMs: 60_000 },
};

/** Retry and retention defaults for every job, unless a job asks otherwise. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 50_000 },
};
