/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { expectProblem } from './support/api.js';
import { launchBrowser } from './support/browser.js';
import {
  addParticipant,
  createContact,
  createMeeting,
  tag,
  type ParticipantBody,
  type StationBody,
} from './support/factories.js';
import { invite } from './support/delivery.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { eventually, inDays, openTrip, recipient, startWithSink } from './support/messaging.js';
import type { SmtpSink } from './support/smtp-sink.js';
import type { TestApp } from './support/test-app.js';

/** Where the tests leave screenshots of every page, for a reviewer (not committed: var/). */
const SCREENSHOTS = join(process.cwd(), 'var', 'screenshots', 'participant-pages');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The pages behind the links in our emails (issue 18), driven in headless
 * Chromium against the real API, worker and an SMTP sink: the invitation
 * from a real email, registering onto the waiting list, editing and the
 * passport, cancelling with a confirmation step, the programme; field
 * errors, CSRF, language, and links that open nothing. Each page is
 * checked with axe-core and photographed at 375 and 1280 px.
 */
describe('participant pages', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let base: string;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ({ t, sink } = await startWithSink({ config: { RATE_LIMIT_PUBLIC_PER_MINUTE: 10_000 } }));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    auth = bearer(desk.owner.accessToken);
    await t
      .http()
      .patch('/api/v1/tenant')
      .set(auth)
      .send({
        accentColor: '#7A1F5C',
        privacyNotice:
          'Thüringen International verarbeitet Ihre Daten nur für die Organisation dieser Reise.',
      })
      .expect(200);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.stop();
  });

  /** A trip open for registration with one seat, taken by someone else; a meeting for all. */
  async function fullTrip(): Promise<{
    tripId: string;
    title: string;
    almaty: StationBody;
    seated: ParticipantBody;
  }> {
    const trip = await openTrip(t, desk, { capacity: 1 });
    const first = await createContact(t, desk, { email: `first.${tag()}@example.org` });
    const seated: ParticipantBody = await addParticipant(t, desk, trip.id, {
      contactId: first.id,
    });
    expect(seated.status).toBe('confirmed');
    const stations = await t.http().get(`/api/v1/trips/${trip.id}/stations`).set(auth).expect(200);
    const almaty = (stations.body as { items: StationBody[] }).items.find(
      (station) => station.city === 'Almaty',
    )!;
    await createMeeting(t, desk, trip.id, almaty.id, {
      title: 'Empfang im Akimat',
      kind: 'reception',
      startsAt: `${inDays(31)}T10:00`,
      endsAt: `${inDays(31)}T11:30`,
      visibility: 'delegation',
    });
    return { tripId: trip.id, title: trip.title, almaty, seated };
  }

  /** Invites a new contact and answers with the invitation link from the email, on this server. */
  async function invitationLink(
    tripId: string,
    language: 'de' | 'en',
  ): Promise<{ url: string; contactId: string }> {
    const email = `invitee.${tag()}@example.org`;
    const contact = await createContact(t, desk, {
      firstName: 'Jana',
      lastName: 'Vogt',
      email,
      preferredLanguage: language,
    });
    expect(await invite(t, desk, tripId, [contact.id])).toBe(1);
    await eventually(
      () => sink.messages.some((mail) => recipient(mail) === email),
      20_000,
      'the invitation email',
    );
    const mail = sink.messages.find((message) => recipient(message) === email)!;
    const link = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(
      mail.text ?? '',
    )?.[0];
    expect(link).toBeDefined();
    return { url: `${base}${new URL(link!).pathname}`, contactId: contact.id };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    for (const width of [375, 1280]) {
      await page.setViewport({ width, height: 800 });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    }
  }

  /** axe-core in the page (injected through DevTools, so the page's CSP stays as it is). */
  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
    )) as AxeViolation[];
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes[0]?.target[0]})`);
  }

  const text = (page: Page) => page.evaluate(() => document.body.innerText);
  const valueOf = (page: Page, selector: string) =>
    page.$eval(selector, (element) => (element as HTMLInputElement).value);

  async function submit(page: Page, button: string): Promise<number | undefined> {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(button)]);
    return response?.status();
  }

  it('invitation email → register onto the waiting list → edit and passport → programme → cancel', async () => {
    const { tripId, title, seated } = await fullTrip();
    const { url, contactId } = await invitationLink(tripId, 'de');
    const page = await browser.newPage();
    // Every failed load but the browser's own favicon guess: only the form sent without consent.
    const failures: string[] = [];
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (response.status() >= 400 && path !== '/favicon.ico') {
        failures.push(`${response.request().method()} ${response.status()}`);
      }
    });

    // The invitation page.
    const opened = await page.goto(url);
    expect(opened?.status()).toBe(200);
    const headers = opened!.headers();
    expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(headers['content-security-policy']).not.toMatch(/script-src|unsafe-inline/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    expect(await page.$eval('html', (html) => html.lang)).toBe('de');
    expect(await page.$$('script')).toEqual([]);
    const invitationText = await text(page);
    expect(invitationText).toContain(title);
    expect(invitationText).toContain('Guten Tag Jana Vogt');
    expect(invitationText).toContain('Almaty, Kasachstan');
    expect(invitationText).toContain('Ortszeit Asia/Almaty');
    expect(invitationText).toMatch(/Anmeldeschluss\s*\n?.*\(Europe\/Berlin\)/);
    expect(invitationText).toContain('verarbeitet Ihre Daten nur für die Organisation');
    // The agency's colour, through the one nonce'd style element.
    expect(await page.$eval('h1', (h1) => getComputedStyle(h1).color)).toBe('rgb(122, 31, 92)');
    await shoot(page, 'invitation');
    expect(await seriousViolations(page)).toEqual([]);

    // No consent: the error is next to the box, what was typed stays.
    await page.type('#f-dietaryNeeds', 'vegetarisch');
    await page.select('#f-category', 'science');
    expect(await submit(page, 'button.primary')).toBe(400);
    expect(await page.$eval('#f-consent-error', (element) => element.textContent)).toContain(
      'Einwilligung',
    );
    expect(await page.$eval('#f-consent', (element) => element.getAttribute('aria-invalid'))).toBe(
      'true',
    );
    expect(await valueOf(page, '#f-dietaryNeeds')).toBe('vegetarisch');
    expect(await valueOf(page, '#f-category')).toBe('science');
    await shoot(page, 'invitation-error');
    expect(await seriousViolations(page)).toEqual([]);

    // Consent given: registered, on the waiting list (the only seat is taken).
    await page.click('#f-consent');
    expect(await submit(page, 'button.primary')).toBe(200);
    expect(page.url()).toMatch(
      /\/registrations\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\?lang=de&registered=1$/,
    );
    const registrationText = await text(page);
    expect(registrationText).toContain('Vielen Dank für Ihre Anmeldung');
    expect(registrationText).toContain('Warteliste');
    expect(registrationText).toContain('Platz 1');
    await shoot(page, 'registration');
    expect(await seriousViolations(page)).toEqual([]);
    const selfService = page.url().split('?')[0];

    const [participant] = (
      await t
        .http()
        .get(`/api/v1/trips/${tripId}/participants`)
        .query({ status: 'waitlisted' })
        .set(auth)
        .expect(200)
    ).body.items as ParticipantBody[];
    expect(participant).toMatchObject({
      contactId,
      category: 'science',
      dietaryNeeds: 'vegetarisch',
      waitlistPosition: 1,
    });

    // Editing, with the passport: saved, the number shown masked, never in full.
    await page.type('#f-arrival', 'LH 5432, 06:10');
    await page.click('#f-visaRequired');
    await page.type('#f-passportNumber', 'C01X00T47');
    await page.type('#f-nationality', 'DE');
    await page.type('#f-issuingCountry', 'DE');
    await page.$eval('#f-expiresOn', (input) => ((input as HTMLInputElement).value = '2035-01-31'));
    expect(await submit(page, 'button.primary')).toBe(200);
    expect(page.url()).toMatch(/saved=1$/);
    const saved = await text(page);
    expect(saved).toContain('Ihre Änderungen sind gespeichert.');
    expect(await page.content()).not.toContain('C01X00T47');
    expect(await page.$eval('#passport-on-file', (element) => element.textContent)).toMatch(/T47/);
    expect(await valueOf(page, '#f-arrival')).toBe('LH 5432, 06:10');
    const edited = await t
      .http()
      .get(`/api/v1/trips/${tripId}/participants/${participant.id}`)
      .set(auth)
      .expect(200);
    expect(edited.body).toMatchObject({ arrival: 'LH 5432, 06:10', visaRequired: true });

    // The seat frees: they move up, and the page says so.
    await t
      .http()
      .post(`/api/v1/trips/${tripId}/participants/${seated.id}/transitions`)
      .set(auth)
      .send({ to: 'cancelled' })
      .expect(200);
    await page.reload();
    expect(await page.$eval('.status-box', (box) => box.textContent)).toContain('Bestätigt');

    // The programme: the meeting for the whole delegation in Almaty's local time, printable.
    const programme = await page.$eval('a[href*="/itineraries/"]', (a) => a.href);
    expect((await page.goto(programme))?.status()).toBe(200);
    const programmeText = await text(page);
    expect(programmeText).toContain('Empfang im Akimat');
    expect(programmeText).toMatch(/10:00\s*[–-]\s*11:30/);
    expect(programmeText).toContain('Asia/Almaty');
    expect(await page.$eval('a[href^="webcal:"]', (a) => a.href)).toMatch(
      /^webcal:\/\/.*\/api\/v1\/public\/itineraries\/.+\.ics$/,
    );
    await shoot(page, 'itinerary');
    expect(await seriousViolations(page)).toEqual([]);

    // Cancelling asks first; going back changes nothing, confirming cancels.
    await page.goto(`${selfService}?lang=de`);
    await Promise.all([page.waitForNavigation(), page.click('.cancel-link a')]);
    expect(await text(page)).toContain('wirklich stornieren');
    await shoot(page, 'cancel');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await submit(page, 'button.danger')).toBe(200);
    expect(await text(page)).toContain('Ihre Teilnahme ist storniert.');
    const cancelled = await t
      .http()
      .get(`/api/v1/trips/${tripId}/participants/${participant.id}`)
      .set(auth)
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(failures).toEqual(['POST 400']);
    await page.close();
  });

  it('a wrong passport entry is marked beside its field; the rest stays, the number is not echoed', async () => {
    const { tripId } = await fullTrip();
    const { url } = await invitationLink(tripId, 'en');
    const token = new URL(url).pathname.split('/').pop()!;
    const registered = await t
      .http()
      .post(`/api/v1/public/invitations/${token}/registration`)
      .send({ category: 'business', consent: true })
      .expect(201);
    const registration = (registered.body as { registrationToken: string }).registrationToken;
    const page = await browser.newPage();
    await page.goto(`${base}/registrations/${registration}`);
    expect(await page.$eval('html', (html) => html.lang)).toBe('en');
    await page.type('#f-departure', 'TK 351, 23:40');
    await page.type('#f-passportNumber', 'C01X00T47');
    await page.type('#f-nationality', 'XX');
    await page.type('#f-issuingCountry', 'DE');
    await page.$eval('#f-expiresOn', (input) => ((input as HTMLInputElement).value = '2035-01-31'));
    expect(await submit(page, 'button.primary')).toBe(400);
    expect(await page.$eval('#f-nationality-error', (element) => element.textContent)).toBe(
      'Please check this entry.',
    );
    expect(
      await page.$eval('#f-nationality', (element) => element.getAttribute('aria-describedby')),
    ).toContain('f-nationality-error');
    expect(await page.$('#f-issuingCountry-error')).toBeNull();
    expect(await valueOf(page, '#f-departure')).toBe('TK 351, 23:40');
    expect(await valueOf(page, '#f-nationality')).toBe('XX');
    expect(await valueOf(page, '#f-passportNumber')).toBe('');
    expect(await page.content()).not.toContain('C01X00T47');
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing was saved.
    const stored = await t.http().get(`/api/v1/public/registrations/${registration}`).expect(200);
    expect(stored.body).toMatchObject({ departure: null, travelDocument: null });
    await page.close();
  });

  it('a trip open to anyone: register on its page, the link comes by email; the same address again changes nothing', async () => {
    const trip = await openTrip(t, desk, { registrationMode: 'open' });
    const read = await t.http().get(`/api/v1/trips/${trip.id}`).set(auth).expect(200);
    const { publicId } = read.body as { publicId: string };
    expect(publicId).toMatch(/^[0-9a-f]{16}$/);
    const email = `selbst.${tag()}@example.org`;

    const page = await browser.newPage();
    expect((await page.goto(`${base}/trips/${publicId}/register?lang=en`))?.status()).toBe(200);
    expect(await page.$eval('html', (html) => html.lang)).toBe('en');
    expect(await text(page)).toContain(trip.title);
    await shoot(page, 'open-registration');
    expect(await seriousViolations(page)).toEqual([]);

    // A wrong address and no consent: both marked, the rest kept.
    await page.type('#f-lastName', 'Sadykova');
    await page.type('#f-firstName', 'Aigerim');
    await page.type('#f-email', 'aigerim-at-example.kz');
    expect(await submit(page, 'button.primary')).toBe(400);
    expect(await page.$('#f-email-error')).not.toBeNull();
    expect(await page.$('#f-consent-error')).not.toBeNull();
    expect(await valueOf(page, '#f-lastName')).toBe('Sadykova');
    expect(await seriousViolations(page)).toEqual([]);

    await page.$eval('#f-email', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('#f-email', email);
    await page.click('#f-consent');
    expect(await submit(page, 'button.primary')).toBe(200);
    expect(page.url()).toMatch(/\?lang=en&sent=1$/);
    expect(await text(page)).toContain('We have sent an email to the address you gave.');
    await shoot(page, 'open-registration-sent');
    await page.close();

    // The link is in the mail to that address, and opens the registration.
    await eventually(
      () => sink.messages.some((mail) => recipient(mail) === email),
      20_000,
      'the confirmation email',
    );
    const mail = sink.messages.find((message) => recipient(message) === email)!;
    expect(mail.subject).toContain(trip.title);
    const link = /https?:\/\/\S+(\/registrations\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(
      mail.text ?? '',
    )?.[1];
    const selfService = await t.http().get(link!).expect(200);
    expect(selfService.text).toContain('Confirmed');
    const participants = async () =>
      (
        (await t.http().get(`/api/v1/trips/${trip.id}/participants`).set(auth).expect(200))
          .body as { items: ParticipantBody[] }
      ).items;
    expect((await participants()).map((participant) => participant.status)).toEqual(['confirmed']);

    // The same address again, through the JSON endpoint: the same answer, nothing changes.
    const again = await t
      .http()
      .post(`/api/v1/public/trips/${publicId}/registrations`)
      .send({ lastName: 'Someone', email: email.toUpperCase(), category: 'science', consent: true })
      .expect(202);
    expect(again.body).toEqual({
      message: 'Thank you. We have sent an email with the link to your registration.',
    });
    expect(await participants()).toHaveLength(1);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notifications WHERE recipient_email = $1 AND kind LIKE 'registration_%'`,
      [email],
    );
    expect(n).toBe(1);
    expectProblem(
      await t
        .http()
        .post(`/api/v1/public/trips/${publicId}/registrations`)
        .send({ lastName: 'Someone', email: `x.${email}`, category: 'science' }),
      400,
      'validation_failed',
    );

    // A trip by invitation only has no public page.
    const closed = await openTrip(t, desk);
    const closedId = (
      (await t.http().get(`/api/v1/trips/${closed.id}`).set(auth).expect(200)).body as {
        publicId: string;
      }
    ).publicId;
    expectProblem(await t.http().get(`/api/v1/public/trips/${closedId}`), 404, 'not_found');
    expect((await t.http().get(`/trips/${closedId}/register`)).status).toBe(404);
  });

  it('is in English for an English contact, and switchable to German', async () => {
    const { tripId } = await fullTrip();
    const { url } = await invitationLink(tripId, 'en');
    const page = await browser.newPage();
    await page.goto(url);
    expect(await page.$eval('html', (html) => html.lang)).toBe('en');
    const english = await text(page);
    expect(english).toContain('Dear Jana Vogt');
    expect(english).toContain('Almaty, Kazakhstan');
    expect(english).toContain('Registration closes');
    await Promise.all([page.waitForNavigation(), page.click('nav a[hreflang="de"]')]);
    expect(await page.$eval('html', (html) => html.lang)).toBe('de');
    expect(await text(page)).toContain('Anmeldeschluss');

    // Declining, in German now: the page says so, and the invitation is declined.
    expect(await submit(page, 'button.secondary')).toBe(200);
    expect(await text(page)).toContain('Sie haben diese Einladung abgesagt');
    await page.close();
  });

  it('a form without the page’s CSRF token (or another link’s) changes nothing', async () => {
    const { tripId } = await fullTrip();
    const { url } = await invitationLink(tripId, 'de');
    const other = await invitationLink(tripId, 'de');
    const path = new URL(url).pathname;
    const otherPage = await t.http().get(new URL(other.url).pathname).expect(200);
    const otherToken = /name="_csrf" value="([^"]+)"/.exec(otherPage.text)?.[1];
    expect(otherToken).toBeDefined();
    for (const csrf of [undefined, otherToken, 'x']) {
      const response = await t
        .http()
        .post(path)
        .type('form')
        .send({ ...(csrf ? { _csrf: csrf } : {}), action: 'decline', lang: 'en' });
      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('The form has expired');
    }
    const page = await t.http().get(path).expect(200);
    expect(page.text).toContain('Verbindlich anmelden');
  });

  it('links that open nothing get one page that says nothing about them; the API takes no forms', async () => {
    const { tripId } = await fullTrip();
    const { url } = await invitationLink(tripId, 'de');
    const path = new URL(url).pathname;
    const tampered = `${path.slice(0, -2)}xx`;
    const unknown =
      '/invitations/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const links = [tampered, unknown, '/registrations/nonsense', '/itineraries/nonsense'];
    const pages = await Promise.all(
      links.map((link) => t.http().get(link).set('Accept-Language', 'en')),
    );
    for (const page of pages) {
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('This link does not work (any more)');
    }
    // Identical but for the address itself (in the language switch) and the style nonce:
    // nothing tells one dead link from another.
    const body = (html: string, link: string) =>
      html.replaceAll(link, '').replace(/nonce="[^"]+"/g, '');
    expect(new Set(pages.map((page, index) => body(page.text, links[index]))).size).toBe(1);

    const browserPage = await browser.newPage();
    await browserPage.goto(`${base}${unknown}?lang=de`);
    expect(await text(browserPage)).toContain('Dieser Link funktioniert nicht (mehr)');
    await shoot(browserPage, 'link-gone');
    expect(await seriousViolations(browserPage)).toEqual([]);
    await browserPage.close();

    expectProblem(
      await t
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ email: 'a@b.c', password: 'x' }),
      415,
      'unsupported_media_type',
    );
  });
});
