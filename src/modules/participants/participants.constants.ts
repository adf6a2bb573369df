export const PARTICIPANT_ROLES = ['delegation_lead', 'member', 'staff', 'press', 'guest'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const PARTICIPANT_CATEGORIES = [
  'business',
  'science',
  'politics',
  'administration',
  'other',
] as const;
export type ParticipantCategory = (typeof PARTICIPANT_CATEGORIES)[number];

export const PARTICIPANT_STATUSES = [
  'applied',
  'confirmed',
  'waitlisted',
  'rejected',
  'cancelled',
  'attended',
  'no_show',
] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** DESIGN §2; `attended` and `no_show` only once the trip is under way. */
export const PARTICIPANT_TRANSITIONS: Record<ParticipantStatus, readonly ParticipantStatus[]> = {
  applied: ['confirmed', 'waitlisted', 'rejected'],
  waitlisted: ['confirmed', 'cancelled'],
  confirmed: ['cancelled', 'attended', 'no_show'],
  rejected: [],
  cancelled: [],
  attended: [],
  no_show: [],
};

export const VISA_STATUSES = ['not_needed', 'to_apply', 'applied', 'granted', 'refused'] as const;
export type VisaStatus = (typeof VISA_STATUSES)[number];
