import { subject } from '../audit/changes.js';

/** An agency's webhook endpoint: its URL, event types and state; its secret is never in the trail. */
export const WEBHOOK_ENDPOINT = subject('webhook_endpoint');
