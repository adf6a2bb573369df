import type { PiiCipher, Sealed } from '../../common/crypto/pii-cipher.js';

/** A sealed passport number as stored: the participant's id is its authenticated context. */
export interface StoredPassportNumber {
  participantId: string;
  keyId: string;
  sealed: Buffer;
}

/**
 * Seals a passport number bound to the participant's id as PostgreSQL
 * stores and returns it (canonical lower case), whatever spelling a request
 * used, so the row opens again from any path that reads it.
 */
export function sealPassportNumber(
  cipher: PiiCipher,
  number: string,
  participantId: string,
): Sealed {
  return cipher.seal(number, participantId.toLowerCase());
}

/**
 * Opens a stored passport number. Before ids were normalised at the edge, a
 * request spelling the id in upper case sealed the number under that
 * spelling; such rows still open (and `npm run cli -- reencrypt` re-seals
 * them under the canonical id).
 */
export function openPassportNumber(cipher: PiiCipher, stored: StoredPassportNumber): string {
  const sealed = { keyId: stored.keyId, data: stored.sealed };
  const canonical = stored.participantId.toLowerCase();
  try {
    return cipher.open(sealed, canonical);
  } catch (error) {
    if (!isAuthenticationFailure(error)) throw error;
    return cipher.open(sealed, canonical.toUpperCase());
  }
}

/** GCM's tag did not match (checked by message: errors from Node's crypto may come from another realm). */
function isAuthenticationFailure(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /unable to authenticate data/i.test(message);
}
