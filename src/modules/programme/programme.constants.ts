import type { ParticipantStatus } from '../participants/participants.constants.js';

export const MEETING_KINDS = [
  'b2b',
  'company_visit',
  'government_talk',
  'institution_visit',
  'reception',
  'seminar',
  'networking',
  'site_visit',
  'travel',
  'other',
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/**
 * Meetings that are no "official appointment" in an agency's figures: the
 * journey itself and what staff file as other. Official appointments are
 * the other meetings `held`, or `confirmed` while their trip is under way.
 */
export const UNOFFICIAL_MEETING_KINDS: readonly MeetingKind[] = ['travel', 'other'];

export const MEETING_STATUSES = ['planned', 'confirmed', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** `planned → confirmed → held`; anything before `held` → `cancelled` (DESIGN §2). */
export const MEETING_TRANSITIONS: Record<MeetingStatus, readonly MeetingStatus[]> = {
  planned: ['confirmed', 'cancelled'],
  confirmed: ['held', 'cancelled'],
  held: [],
  cancelled: [],
};

/** `delegation`: shown to every confirmed participant; `attendees`: only to its attendees. */
export const MEETING_VISIBILITIES = ['delegation', 'attendees'] as const;
export type MeetingVisibility = (typeof MEETING_VISIBILITIES)[number];

/** Who may attend a meeting: participants holding a seat, and applicants. */
export const ATTENDING_STATUSES: readonly ParticipantStatus[] = [
  'confirmed',
  'attended',
  'no_show',
  'applied',
];

/** The longest a meeting may last. */
export const MAX_MEETING_HOURS = 24;
