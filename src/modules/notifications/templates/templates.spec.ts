import type { MessageContext } from './message-context.js';
import { renderMessage } from './templates.js';

const context = (overrides: Partial<MessageContext> = {}): MessageContext => ({
  kind: 'invitation',
  locale: 'de',
  agency: { name: 'Thüringen International', timezone: 'Europe/Berlin' },
  recipient: { title: 'Dr.', firstName: 'Aigerim', lastName: 'Sadykova' },
  trip: {
    title: 'Markterkundungsreise Kasachstan und Usbekistan',
    startDate: '2027-03-25',
    endDate: '2027-04-02',
    registrationClosesAt: new Date('2027-02-28T22:59:00Z'),
    stations: [
      {
        city: 'Almaty',
        country: 'KZ',
        timezone: 'Asia/Almaty',
        arrivalDate: '2027-03-25',
        departureDate: '2027-03-29',
      },
      {
        city: 'Taschkent',
        country: 'UZ',
        timezone: 'Asia/Tashkent',
        arrivalDate: '2027-03-29',
        departureDate: '2027-04-02',
      },
    ],
  },
  link: 'https://reisen.agency.example/invitations/abc.def',
  personalMessage: null,
  waitlistPosition: null,
  ...overrides,
});

describe('message templates', () => {
  it('writes a German invitation: subject, greeting, stations with their zones, deadline in the agency zone, link', () => {
    const mail = renderMessage(context());
    expect(mail.subject).toBe('Einladung: Markterkundungsreise Kasachstan und Usbekistan');
    expect(mail.text).toContain('Guten Tag Dr. Aigerim Sadykova,');
    expect(mail.text).toContain('Almaty, Kasachstan: 25.–29. März 2027 (Ortszeit Asia/Almaty)');
    expect(mail.text).toContain('Taschkent, Usbekistan');
    // 22:59 UTC on 28 Feb is 23:59 in Berlin (winter time, CET).
    expect(mail.text).toContain('28. Februar 2027 um 23:59 MEZ (Europe/Berlin)');
    expect(mail.text).toContain('https://reisen.agency.example/invitations/abc.def');
    expect(mail.html).toContain('href="https://reisen.agency.example/invitations/abc.def"');
    expect(mail.html).toContain('<html lang="de">');
  });

  it('writes English for an English reader, with English country names', () => {
    const mail = renderMessage(context({ locale: 'en' }));
    expect(mail.subject).toBe('Invitation: Markterkundungsreise Kasachstan und Usbekistan');
    expect(mail.text).toContain('Dear Dr. Aigerim Sadykova,');
    expect(mail.text).toContain('Almaty, Kazakhstan');
    expect(mail.text).toContain('(local time Asia/Almaty)');
    expect(mail.text).toContain('Kind regards\nThüringen International');
  });

  it('names the zone as it is at the deadline (summer time in Berlin)', () => {
    const mail = renderMessage(
      context({
        trip: { ...context().trip!, registrationClosesAt: new Date('2027-06-30T21:59:00Z') },
      }),
    );
    expect(mail.text).toContain('30. Juni 2027 um 23:59 MESZ (Europe/Berlin)');
  });

  it('escapes what people typed in the HTML version, and keeps it verbatim in the text', () => {
    const mail = renderMessage(
      context({
        personalMessage: 'Wir freuen uns <b>sehr</b> & hoffen auf "Zusage"',
        trip: { ...context().trip!, title: 'Reise <script>alert(1)</script>' },
      }),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>sehr</b>');
    expect(mail.html).toContain('&lt;b&gt;sehr&lt;/b&gt; &amp; hoffen auf &quot;Zusage&quot;');
    expect(mail.text).toContain('> Wir freuen uns <b>sehr</b> & hoffen auf "Zusage"');
  });

  it.each([
    ['registration_received', 'Anmeldung eingegangen: ', 'Meine Anmeldung'],
    ['registration_waitlisted', 'Warteliste: ', 'Warteliste (Platz 4)'],
    ['registration_confirmed', 'Teilnahme bestätigt: ', 'Meine Anmeldung'],
    ['registration_rejected', 'Ihre Anmeldung zu „', 'leider'],
    ['registration_cancelled', 'Teilnahme storniert: ', 'storniert'],
    ['invitation_reminder', 'Erinnerung: ', 'noch nicht geantwortet'],
  ] as const)('says what a %s message is about', (kind, subject, phrase) => {
    const mail = renderMessage(
      context({
        kind,
        waitlistPosition: 4,
        link: 'https://reisen.agency.example/registrations/x.y',
      }),
    );
    expect(mail.subject.startsWith(subject)).toBe(true);
    expect(mail.text).toContain(phrase);
    expect(mail.html).toContain('Thüringen International');
  });

  it('gives the self-service link only while there is something to manage', () => {
    const link = 'https://reisen.agency.example/registrations/x.y';
    expect(renderMessage(context({ kind: 'registration_confirmed', link })).text).toContain(link);
    expect(renderMessage(context({ kind: 'registration_cancelled', link })).text).not.toContain(
      link,
    );
  });
});
