import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { AppConfig } from '../../config/app-config.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Words kept sorted in one string, found by binary search: about 0.9 MB
 * for the list below, where a Set of its strings takes about 3.6 MB of
 * every API process's heap from the first sign-up on (issue 21).
 */
export class SortedWords {
  private readonly text: string;
  /** Where each word starts in `text`, and one past the end. */
  private readonly starts: Uint32Array;

  constructor(words: Iterable<string>) {
    const sorted = [...new Set(words)].sort();
    this.text = sorted.join('\n');
    this.starts = new Uint32Array(sorted.length + 1);
    let at = 0;
    sorted.forEach((word, index) => {
      this.starts[index] = at;
      at += word.length + 1;
    });
    this.starts[sorted.length] = at;
  }

  get size(): number {
    return this.starts.length - 1;
  }

  has(word: string): boolean {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const entry = this.text.slice(this.starts[middle], this.starts[middle + 1] - 1);
      if (entry === word) return true;
      if (entry < word) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }
}

let common: SortedWords | undefined;

/**
 * The 43,940 passwords of 12 or more characters among the million most
 * common ones (SecLists, "10 million password list top 1M", lower-cased):
 * every shorter entry is refused by the length rule already.
 */
export function commonPasswords(): SortedWords {
  common ??= new SortedWords(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  return common;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  }
  if (commonPasswords().has(password.toLowerCase())) {
    return 'is one of the most commonly used passwords and easy to guess; choose another';
  }
  return null;
}

/** A new password: long enough and not on the list of common passwords. */
export function IsAcceptablePassword(options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH })(
      target,
      propertyName,
    );
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && passwordProblem(value) === null,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `${propertyName} ${passwordProblem(args.value)}`
            : `${propertyName} must be a string`,
      },
    });
  };
}

/** argon2id hashing with the configured cost (at least OWASP's m=19456, t=2, p=1). */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.HashOptions;
  /** Verified against when the email is unknown, so both cases take as long. */
  private readonly decoy: Promise<string>;

  constructor(config: AppConfig) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.PASSWORD_HASH_MEMORY_KIB,
      timeCost: config.PASSWORD_HASH_ITERATIONS,
      parallelism: config.PASSWORD_HASH_PARALLELISM,
    };
    this.decoy = this.hash('decoy password for unknown accounts');
    this.decoy.catch(() => undefined);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  /** Null hash: an unknown account, answered false after the same work as a real check. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      if (hash === null) {
        await argon2.verify(await this.decoy, password);
        return false;
      }
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** True when the hash was made with weaker settings than today's. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, this.options);
  }
}
