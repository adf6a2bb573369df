import { subject } from '../audit/changes.js';

/** What the trips module records changes of. */
export const TRIP = subject('trip');
export const STATION = subject('station');
