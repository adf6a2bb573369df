import { subject } from '../audit/changes.js';

/** What the announcements module records changes of. */
export const ANNOUNCEMENT = subject('announcement');
