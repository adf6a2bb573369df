import { subject } from '../audit/changes.js';

/** What the programme records changes of. */
export const MEETING = subject('meeting');
