import { DomainError } from '../../common/problem/domain-error.js';

/** Why a request could not be authenticated (401), with the message each code carries. */
const UNAUTHENTICATED = {
  authentication_required:
    'Sign in: send `Authorization: Bearer <access token>` or `X-API-Key: <key>`.',
  invalid_token: 'The access token is not valid.',
  token_expired: 'The access token has expired; get a new one from POST /api/v1/auth/refresh.',
  session_ended:
    'This session has ended (signed out, deactivated or password changed); sign in again.',
  invalid_api_key: 'The API key is not valid, has expired or was revoked.',
  invalid_credentials: 'The email or password is wrong.',
  invalid_refresh_token: 'The refresh token is not valid or has expired; sign in again.',
  refresh_token_reused:
    'This refresh token was already used. Its session has been ended for safety; sign in again.',
} as const;

export type UnauthenticatedCode = keyof typeof UNAUTHENTICATED;

export class Unauthenticated extends DomainError {
  constructor(code: UnauthenticatedCode) {
    super(401, code, UNAUTHENTICATED[code]);
  }

  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': 'Bearer realm="delegation-desk"' };
  }
}

/** Business rules of identity, each with its status and message. */
const IDENTITY_RULES = {
  signup_disabled: [
    403,
    'Sign-up is switched off on this installation; ask its operator for an account.',
  ],
  owner_required: [403, 'Only an owner can grant the owner role or change an owner.'],
  email_taken: [409, 'A user with this email already exists.'],
  last_owner: [
    409,
    'The organisation needs at least one active owner; make someone else owner first.',
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type IdentityRule = keyof typeof IDENTITY_RULES;

export class IdentityError extends DomainError {
  constructor(code: IdentityRule) {
    const [status, detail] = IDENTITY_RULES[code];
    super(status, code, detail);
  }
}
