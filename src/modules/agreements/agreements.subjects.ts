import { subject } from '../audit/changes.js';

/** What the agreements module records changes of. */
export const AGREEMENT = subject('agreement');
export const FOLLOW_UP = subject('follow_up');
