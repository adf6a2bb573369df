import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. Used for refresh tokens and API key secrets. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Hex SHA-256. Enough for high-entropy random secrets (nothing to guess, so
 * no salt or slow hash needed), and it lets us find a secret by its hash.
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
