export const TRIP_KINDS = [
  'delegation',
  'market_exploration',
  'virtual_mission',
  'incoming_delegation',
  'trade_fair',
  'information_event',
] as const;
export type TripKind = (typeof TRIP_KINDS)[number];

export const TRIP_STATUSES = [
  'draft',
  'planned',
  'registration_open',
  'registration_closed',
  'in_progress',
  'completed',
  'cancelled',
] as const;
export type TripStatus = (typeof TRIP_STATUSES)[number];

/** DESIGN §2: the way forward, plus `cancelled` from anything before `completed`. */
export const TRIP_TRANSITIONS: Record<TripStatus, readonly TripStatus[]> = {
  draft: ['planned', 'cancelled'],
  planned: ['registration_open', 'cancelled'],
  registration_open: ['registration_closed', 'cancelled'],
  registration_closed: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const REGISTRATION_MODES = ['invitation_only', 'open'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

export const WAITLIST_POLICIES = ['strict_order', 'fill_gaps'] as const;
export type WaitlistPolicy = (typeof WAITLIST_POLICIES)[number];
