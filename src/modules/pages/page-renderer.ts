import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOCALES, type Locale } from '../identity/roles.js';
import type { PublicAgencyDto } from '../invitations/dto/public.dto.js';
import {
  countryName,
  dateRange,
  instantIn,
  timeSpanIn,
} from '../notifications/templates/format.js';
import { PAGE_WORDS, type PageWords } from './page-words.js';

const VIEWS = fileURLToPath(new URL('./views', import.meta.url));

/** The stylesheet every page links (`/assets/pages.css`), read once. */
export const PAGES_CSS = readFileSync(new URL('./views/pages.css', import.meta.url), 'utf8');

/** What every page shows and needs, beside its own data. */
export interface PageFrame {
  locale: Locale;
  w: PageWords;
  title: string;
  agency: PublicAgencyDto | null;
  /** The same page in the other language. */
  switchUrl: string;
  otherLocale: Locale;
  /** For the one `<style>` element (the agency's colour): the CSP names it. */
  nonce: string;
  /** Dates and times in the page's language. */
  f: {
    dates(from: string, to: string): string;
    instant(at: Date | string, timeZone: string): string;
    span(from: Date | string, to: Date | string, timeZone: string): string;
    country(code: string): string;
  };
}

/**
 * Renders the participant pages (Eta templates in `views/`, escaped by
 * default) and sends them with the headers pages with a token in their URL
 * need: a strict Content-Security-Policy (no scripts at all; styles only
 * from us and the one nonce'd element), no referrer, no caching.
 */
@Injectable()
export class PageRenderer {
  private readonly eta = new Eta({ views: VIEWS, cache: true, autoEscape: true });

  /** The page's language: `?lang=` if given, else the person's, else the browser's. */
  localeOf(request: FastifyRequest, preferred?: Locale): Locale {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (typeof asked === 'string' && (LOCALES as readonly string[]).includes(asked)) {
      return asked as Locale;
    }
    if (preferred) return preferred;
    const accepted = String(request.headers['accept-language'] ?? '').toLowerCase();
    return accepted.startsWith('en') ? 'en' : 'de';
  }

  send(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    page: { locale: Locale; title: string; agency: PublicAgencyDto | null; status?: number },
    data: Record<string, unknown> = {},
  ): void {
    const nonce = randomBytes(16).toString('base64');
    const otherLocale = page.locale === 'de' ? 'en' : 'de';
    const frame: PageFrame = {
      locale: page.locale,
      w: PAGE_WORDS[page.locale],
      title: page.title,
      agency: page.agency,
      switchUrl: `${request.url.split('?')[0]}?lang=${otherLocale}`,
      otherLocale,
      nonce,
      f: {
        dates: (from, to) => dateRange(page.locale, from, to),
        instant: (at, zone) => instantIn(page.locale, new Date(at), zone),
        span: (from, to, zone) => timeSpanIn(page.locale, new Date(from), new Date(to), zone),
        country: (code) => countryName(page.locale, code),
      },
    };
    const html = this.eta.render(`./${view}`, { ...frame, ...data });
    const logo = page.agency?.logoUrl ? ` ${new URL(page.agency.logoUrl).origin}` : '';
    void reply
      .code(page.status ?? 200)
      .header(
        'Content-Security-Policy',
        `default-src 'none'; style-src 'self' 'nonce-${nonce}'; img-src 'self'${logo}; ` +
          `form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      )
      .header('Referrer-Policy', 'no-referrer')
      .header('Cache-Control', 'no-store')
      .header('Content-Language', page.locale)
      .type('text/html; charset=utf-8')
      .send(html);
  }

  /** POST-redirect-GET: 303 to `path`, in the page's language. */
  redirect(reply: FastifyReply, path: string, locale: Locale, flag?: string): void {
    const query = new URLSearchParams({ lang: locale, ...(flag ? { [flag]: '1' } : {}) });
    void reply
      .code(303)
      .header('Referrer-Policy', 'no-referrer')
      .header('Location', `${path}?${query.toString()}`)
      .send();
  }
}
