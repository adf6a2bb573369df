import { subject } from '../audit/changes.js';

/** What the invitations module records changes of. */
export const INVITATION = subject('invitation');
