/**
 * The events an endpoint can subscribe to (README, "Webhooks"). Each names
 * one resource and carries its id, its URL in the API and the names of the
 * fields that changed: never personal values.
 */
export const WEBHOOK_EVENT_TYPES = [
  'trip.status_changed',
  'participant.registered',
  'participant.status_changed',
  'participant.updated',
  'invitation.accepted',
  'invitation.declined',
  'meeting.created',
  'meeting.updated',
  'meeting.cancelled',
  'agreement.status_changed',
  'follow_up.due',
  'notification.failed',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Subscribes to every event type, including those added later. */
export const ALL_EVENTS = '*';

/**
 * A delivery's way: `scheduled` (due at `dueAt`, the first time or for a
 * retry), `queued` (handed to the worker), `sending`, then `succeeded` or,
 * after the last attempt, `failed`.
 */
export const WEBHOOK_DELIVERY_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'succeeded',
  'failed',
] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Attempts per delivery: the first and seven retries, doubling the delay (about two hours from 60 s). */
export const WEBHOOK_MAX_ATTEMPTS = 8;
/** A receiver must answer within this. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Of a receiver's answer, this much is kept for the delivery log. */
export const WEBHOOK_RESPONSE_LIMIT = 2048;
/** After rotation, the previous secret keeps signing alongside the new one this long. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** An endpoint failing every attempt for this long is switched off (and its agency's admins told). */
export const DEACTIVATE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
