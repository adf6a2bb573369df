import { DomainError } from '../../common/problem/domain-error.js';
import type { TripStatus } from './trips.constants.js';

export class IllegalTransition extends DomainError {
  constructor(from: TripStatus, to: TripStatus, allowed: readonly TripStatus[]) {
    super(
      409,
      'illegal_transition',
      allowed.length > 0
        ? `A ${from} trip cannot become ${to}; it can become: ${allowed.join(', ')}.`
        : `A ${from} trip cannot change status any more.`,
      { from, to, allowedTransitions: [...allowed] },
    );
  }
}

export class TripNotDraft extends DomainError {
  constructor(status: TripStatus) {
    super(
      409,
      'trip_not_draft',
      `Only draft trips can be deleted; this one is ${status}. Cancel it instead.`,
    );
  }
}

export class StationsOutsideTrip extends DomainError {
  constructor(stationIds: string[]) {
    super(
      409,
      'stations_outside_trip',
      'The new dates would leave stations outside the trip; move those stations first.',
      { stationIds },
    );
  }
}
