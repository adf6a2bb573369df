import { DomainError, ValidationFailed } from '../../common/problem/domain-error.js';
import type { ParticipantStatus } from './participants.constants.js';

export class IllegalParticipantTransition extends DomainError {
  constructor(
    from: ParticipantStatus,
    to: ParticipantStatus,
    allowed: readonly ParticipantStatus[],
  ) {
    super(
      409,
      'illegal_transition',
      allowed.length > 0
        ? `A ${from} participant cannot become ${to}; they can become: ${allowed.join(', ')}.`
        : `A ${from} participant cannot change status any more.`,
      { from, to, allowedTransitions: [...allowed] },
    );
  }
}

const RULES = {
  already_on_trip: [409, 'This contact is already on the trip.'],
  trip_closed: [409, 'The trip is completed or cancelled; its delegation list is final.'],
  trip_not_under_way: [409, 'Attendance can be recorded once the trip is in progress.'],
  no_seat: [409, 'No seat is free for them (capacity or their organisation’s seat cap).'],
  capacity_below_confirmed: [
    409,
    'More participants are confirmed than this capacity; cancel some first.',
  ],
} as const satisfies Record<string, readonly [number, string]>;

export class ParticipantRuleBroken extends DomainError {
  constructor(code: keyof typeof RULES, extensions: Record<string, unknown> = {}) {
    const [status, detail] = RULES[code];
    super(status, code, detail, extensions);
  }
}

export const contactMissing = () =>
  new ValidationFailed([{ field: 'contactId', message: 'give either contactId or contact' }]);
export const contactAmbiguous = () =>
  new ValidationFailed([
    { field: 'contact', message: 'give either contactId or contact, not both' },
  ]);
export const unknownContactOrganisation = () =>
  new ValidationFailed([
    { field: 'contact.partnerOrganisationId', message: 'is not one of your partner organisations' },
  ]);
export const unknownContact = () =>
  new ValidationFailed([{ field: 'contactId', message: 'is not one of your contacts' }]);
export const unknownOrganisation = () =>
  new ValidationFailed([
    { field: 'organisationId', message: 'is not one of your partner organisations' },
  ]);
