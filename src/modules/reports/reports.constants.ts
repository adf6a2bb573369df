import type { TripKind, TripStatus } from '../trips/trips.constants.js';

/** Participant statuses that count as taking part (organisations represented, countries). */
export const TAKING_PART = ['confirmed', 'attended'] as const;

/** Trips abroad: their stations' countries are the countries visited. */
export const OUTGOING_TRIP_KINDS: readonly TripKind[] = [
  'delegation',
  'market_exploration',
  'trade_fair',
];

/** Trips that did not (or not yet) take place: not in a year's figures. */
export const UNCOUNTED_TRIP_STATUSES: readonly TripStatus[] = ['draft', 'cancelled'];
