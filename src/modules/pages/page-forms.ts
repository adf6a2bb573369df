import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ValidationFailed } from '../../common/problem/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import type { Locale } from '../identity/roles.js';
import type { PageWords } from './page-words.js';

/** A submitted form: its fields as text (the last of repeated names). */
export type FormFields = Record<string, string>;

/** The paths whose forms are read (the participant pages); elsewhere a form body is 415. */
export const PAGE_FORM_PATHS =
  /^\/(?:(?:invitations|registrations)\/[^/?]+(?:\/cancel)?|trips\/[^/?]+\/register)(?:\?|$)/;

/**
 * CSRF tokens for the pages' forms, bound to the link: an HMAC of the
 * link's token (keyed from JWT_SECRET, apart from the links' own key). A
 * form posted from anywhere but our page for that very link lacks it.
 */
@Injectable()
export class PageCsrf {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.JWT_SECRET, 'delegation-desk', 'page-form-csrf', 32),
    );
  }

  token(linkToken: string): string {
    return createHmac('sha256', this.key).update(linkToken).digest('base64url');
  }

  holds(linkToken: string, given: string | undefined): boolean {
    const expected = Buffer.from(this.token(linkToken));
    const actual = Buffer.from(given ?? '');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

/** A text field: trimmed, empty as null. */
export const text = (fields: FormFields, name: string): string | null =>
  fields[name]?.trim() ? fields[name].trim() : null;

/** A checkbox: sent (any value) when ticked. */
export const ticked = (fields: FormFields, name: string): boolean => fields[name] !== undefined;

/** The language a form was sent in (its hidden `lang`). */
export const formLocale = (fields: FormFields): Locale => (fields.lang === 'en' ? 'en' : 'de');

/** Each invalid field's message in the page's language, by the form's field names. */
export function fieldMessages(error: ValidationFailed, w: PageWords): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const { field, message } of error.errors) {
    const name = field.replace(/^travelDocument\./, '');
    const longest = /shorter than or equal to (\d+)/.exec(message)?.[1];
    messages[name] ??=
      name === 'consent'
        ? w.errors.consent
        : longest
          ? w.errors.tooLong(Number(longest))
          : name === 'expiresOn' && /valid/.test(message)
            ? w.errors.passportExpired
            : w.errors.invalid;
  }
  return messages;
}

/** What participants say about themselves, as every page's form sends it. */
export function selfServiceFields(fields: FormFields) {
  return {
    category: fields.category,
    dietaryNeeds: text(fields, 'dietaryNeeds'),
    accessibilityNeeds: text(fields, 'accessibilityNeeds'),
    arrival: text(fields, 'arrival'),
    departure: text(fields, 'departure'),
    visaRequired: ticked(fields, 'visaRequired'),
  };
}
