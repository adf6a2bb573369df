import { subject } from '../audit/changes.js';

/** What the directory records changes of; a contact's fields about the person stay out of the trail. */
export const CONTACT = subject('contact', [
  'title',
  'firstName',
  'lastName',
  'position',
  'email',
  'phone',
  'notes',
]);
export const PARTNER_ORGANISATION = subject('partner_organisation');
