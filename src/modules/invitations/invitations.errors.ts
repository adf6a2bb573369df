import { DomainError } from '../../common/problem/domain-error.js';

const RULES = {
  trip_not_inviting: [
    409,
    'Invitations can be sent while the trip is planned or open for registration, before registration closes.',
  ],
  invitation_not_pending: [
    409,
    'Only a pending invitation (not answered, revoked or expired) can be resent.',
  ],
  invitation_answered: [409, 'The invitation was answered already; it cannot be revoked.'],
  registration_not_open: [409, 'Registration for this trip is not open.'],
  registration_closed: [
    409,
    'Registration for this trip has closed; changes go through the agency.',
  ],
  registration_final: [409, 'This registration is cancelled or rejected; it cannot be changed.'],
  invitation_answered_already: [409, 'You have answered this invitation already.'],
} as const satisfies Record<string, readonly [number, string]>;

export type InvitationRule = keyof typeof RULES;

export class InvitationRuleBroken extends DomainError {
  constructor(code: InvitationRule, extensions: Record<string, unknown> = {}) {
    const [status, detail] = RULES[code];
    super(status, code, detail, extensions);
  }
}

/** Every token that does not open anything: unknown, tampered, revoked, expired, another's. */
export class LinkNotFound extends DomainError {
  constructor() {
    super(404, 'not_found', 'This link is not valid (any more). Ask the agency for a new one.');
  }
}
