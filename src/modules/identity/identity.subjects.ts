import { subject } from '../audit/changes.js';

/** What the identity module records changes of (README, "Architecture"). */
export const USER = subject('user', ['name', 'email']);
export const TENANT = subject('tenant');
export const API_KEY = subject('api_key');
