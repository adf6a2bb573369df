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

/**
 * Statuses that hold a seat: the confirmed, and after the trip the same
 * people as attended or no-show (marking attendance frees no seat).
 */
export const SEATED_STATUSES: readonly ParticipantStatus[] = ['confirmed', 'attended', 'no_show'];

/**
 * DESIGN §2, plus `applied → cancelled`: an applicant may withdraw before
 * the agency decides (issue 6: participants can cancel through their link).
 * `attended` and `no_show` only once the trip is under way.
 */
export const PARTICIPANT_TRANSITIONS: Record<ParticipantStatus, readonly ParticipantStatus[]> = {
  applied: ['confirmed', 'waitlisted', 'rejected', 'cancelled'],
  waitlisted: ['confirmed', 'cancelled'],
  confirmed: ['cancelled', 'attended', 'no_show'],
  rejected: [],
  cancelled: [],
  attended: [],
  no_show: [],
};

export const VISA_STATUSES = ['not_needed', 'to_apply', 'applied', 'granted', 'refused'] as const;
export type VisaStatus = (typeof VISA_STATUSES)[number];
