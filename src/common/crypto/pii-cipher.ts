import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  /** Which of PII_ENCRYPTION_KEYS sealed it. */
  keyId: string;
  /** IV, GCM tag and ciphertext, in that order. */
  data: Buffer;
}

/**
 * AES-256-GCM for personal data at rest. `context` (e.g. the row's id) is
 * authenticated with the data, so a ciphertext copied onto another row does
 * not decrypt there.
 */
@Injectable()
export class PiiCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(config: AppConfig) {
    const entries = config.PII_ENCRYPTION_KEYS.map((entry) => {
      const [id = '', key = ''] = entry.split(':');
      return [id, Buffer.from(key, 'base64')] as const;
    });
    this.keys = new Map(entries);
    this.currentKeyId = entries[0][0];
  }

  seal(plaintext: string, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, data: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  open(sealed: Sealed, context: string): string {
    const iv = sealed.data.subarray(0, IV_BYTES);
    const tag = sealed.data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.keyId), iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    const body = sealed.data.subarray(IV_BYTES + TAG_BYTES);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  /**
   * `sealed` sealed again with the current key, or null when it already is
   * and opens in `context`. `read` opens it as it was sealed (by default in
   * `context`) and throws when it cannot.
   */
  resealed(
    sealed: Sealed,
    context: string,
    read = () => this.open(sealed, context),
  ): Sealed | null {
    if (sealed.keyId === this.currentKeyId) {
      try {
        this.open(sealed, context);
        return null;
      } catch {
        // Sealed in another context (see passport-numbers.ts): sealed again below.
      }
    }
    return this.seal(read(), context);
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    // Data sealed with a key no longer configured cannot be read: a configuration error.
    if (!key) throw new Error(`Encryption key "${id}" is not in PII_ENCRYPTION_KEYS`);
    return key;
  }
}
