import { subject } from '../audit/changes.js';

/**
 * A participant, and their travel document (recorded under the participant):
 * the free text about a person's needs and the passport number stay out of
 * the trail, which says they changed, not to what.
 */
export const PARTICIPANT = subject('participant', [
  'dietaryNeeds',
  'accessibilityNeeds',
  'arrival',
  'departure',
  'notes',
  'answers',
  'passportNumber',
]);
