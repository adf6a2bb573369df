import type { MeetingKind } from '../programme/programme.constants.js';

/**
 * Meetings that are no "official appointment" in an agency's figures: the
 * journey itself and what staff file as other.
 */
export const UNOFFICIAL_MEETING_KINDS: readonly MeetingKind[] = ['travel', 'other'];

/** Participant statuses that count as taking part (organisations represented, countries). */
export const TAKING_PART = ['confirmed', 'attended'] as const;
