import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';

/** What a public link acts on: an invitation, a registration (self-service), or a personal calendar feed. */
export type TokenPurpose = 'invitation' | 'registration' | 'itinerary';

const UUID_BYTES = 16;

/**
 * The tokens in links sent to participants: `<id>.<mac>`, base64url, where
 * the MAC is HMAC-SHA256 over purpose, id and the row's nonce, keyed from
 * JWT_SECRET. Nothing secret is stored: a leaked database does not leak
 * links, a tampered or foreign token fails the MAC, and a new nonce (or a
 * rotated JWT_SECRET) retires every earlier link.
 */
@Injectable()
export class PublicTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.JWT_SECRET, 'delegation-desk', 'public-link-tokens', 32),
    );
  }

  sign(purpose: TokenPurpose, id: string, nonce: string): string {
    const idBytes = Buffer.from(id.replaceAll('-', ''), 'hex');
    return `${idBytes.toString('base64url')}.${this.mac(purpose, id, nonce).toString('base64url')}`;
  }

  /** The id the token names, before checking it: null when it is not even shaped like one. */
  idOf(token: string): string | null {
    const [id, mac, ...rest] = token.split('.');
    if (!id || !mac || rest.length > 0) return null;
    const bytes = Buffer.from(id, 'base64url');
    if (bytes.length !== UUID_BYTES || bytes.toString('base64url') !== id) return null;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /**
   * True when the token was signed for this purpose, id and nonce, spelled
   * exactly as we sign it: Node's base64url decoding skips stray characters
   * and ignores padding and trailing bits, so the MAC is compared as the
   * canonical text (in constant time), and one link has one spelling.
   */
  verify(token: string, purpose: TokenPurpose, id: string, nonce: string): boolean {
    const given = Buffer.from(token.split('.')[1] ?? '');
    const expected = Buffer.from(this.mac(purpose, id, nonce).toString('base64url'));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(purpose: TokenPurpose, id: string, nonce: string): Buffer {
    return createHmac('sha256', this.key).update(`${purpose}\n${id}\n${nonce}`).digest();
  }
}
