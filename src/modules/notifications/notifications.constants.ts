import type { ParticipantStatus } from '../participants/participants.constants.js';

export const NOTIFICATION_KINDS = [
  'invitation',
  'invitation_reminder',
  'registration_received',
  'registration_waitlisted',
  'registration_confirmed',
  'registration_rejected',
  'registration_cancelled',
  'meeting_reminder',
  'departure_reminder',
  'follow_up_reminder',
  'travel_document_reminder',
  'announcement',
  'webhook_endpoint_disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Messages planned ahead of what they remind of; those of trips at `GET /trips/{id}/reminders`. */
export const REMINDER_KINDS = [
  'invitation_reminder',
  'meeting_reminder',
  'departure_reminder',
  'travel_document_reminder',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * `scheduled` (in the outbox, due at `dueAt`) → `queued` (handed to BullMQ)
 * → `sending` (a worker holds its lease) → `sent` | `failed`; `cancelled`
 * when what caused it no longer holds (invitation revoked, person erased).
 */
export const NOTIFICATION_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'sent',
  'failed',
  'cancelled',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** The message a participant gets when their registration reaches a status. */
export const STATUS_NOTICES: Partial<Record<ParticipantStatus, NotificationKind>> = {
  applied: 'registration_received',
  waitlisted: 'registration_waitlisted',
  confirmed: 'registration_confirmed',
  rejected: 'registration_rejected',
  cancelled: 'registration_cancelled',
};
