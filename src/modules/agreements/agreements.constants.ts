export const AGREEMENT_KINDS = [
  'mou',
  'cooperation_agreement',
  'letter_of_intent',
  'contract',
] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export const AGREEMENT_CATEGORIES = ['business', 'academic', 'government'] as const;
export type AgreementCategory = (typeof AGREEMENT_CATEGORIES)[number];

export const AGREEMENT_STATUSES = [
  'draft',
  'negotiating',
  'signed',
  'in_force',
  'expired',
  'terminated',
  'abandoned',
] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/**
 * `draft → negotiating → signed → in_force → expired | terminated`;
 * `draft | negotiating → abandoned`; `signed → terminated` (DESIGN §2).
 * `in_force → expired` is also what the expiry job does once `validUntil` passed.
 */
export const AGREEMENT_TRANSITIONS: Record<AgreementStatus, readonly AgreementStatus[]> = {
  draft: ['negotiating', 'abandoned'],
  negotiating: ['signed', 'abandoned'],
  signed: ['in_force', 'terminated'],
  in_force: ['expired', 'terminated'],
  expired: [],
  terminated: [],
  abandoned: [],
};

/** Statuses of an agreement that was signed: it keeps its date and a signatory. */
export const SIGNED_STATUSES: readonly AgreementStatus[] = [
  'signed',
  'in_force',
  'expired',
  'terminated',
];

/** A follow-up's state in the cross-agreement list; `overdue` is open and due before today. */
export const FOLLOW_UP_STATES = ['open', 'overdue', 'done'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];
