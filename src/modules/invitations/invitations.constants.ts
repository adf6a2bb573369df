import type { Trip } from '../trips/entities/trip.entity.js';
import type { Invitation } from './entities/invitation.entity.js';

/** Stored statuses; `expired` is derived (registration has closed) and never stored. */
export const STORED_INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'revoked'] as const;
export type StoredInvitationStatus = (typeof STORED_INVITATION_STATUSES)[number];

export const INVITATION_STATUSES = [...STORED_INVITATION_STATUSES, 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** What happened to each contact of an invitation batch. */
export const INVITE_OUTCOMES = [
  'invited',
  'already_invited',
  'already_registered',
  'declined_before',
  'no_email',
  'erased',
  'unknown_contact',
] as const;
export type InviteOutcome = (typeof INVITE_OUTCOMES)[number];

export const MAX_INVITATIONS_PER_REQUEST = 500;

/** Whether a trip's invitation links work: planned or open, and registration not yet closed. */
export function invitationsOpen(
  trip: Pick<Trip, 'status' | 'registrationClosesAt'>,
  now = new Date(),
): boolean {
  return (
    (trip.status === 'planned' || trip.status === 'registration_open') &&
    (!trip.registrationClosesAt || trip.registrationClosesAt > now)
  );
}

export function invitationStatus(
  invitation: Invitation,
  trip: Pick<Trip, 'status' | 'registrationClosesAt'>,
): InvitationStatus {
  return invitation.status === 'pending' && !invitationsOpen(trip) ? 'expired' : invitation.status;
}
