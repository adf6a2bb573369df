import type { OutgoingMail } from '../../src/mail/mail-transport.js';

/** Test data with sensible defaults; pass only what the test is about. */
export function makeMail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: 'aigerim.sadykova@example.kz',
    fromName: 'Thüringen International',
    subject: 'Einladung: Markterkundungsreise Kasachstan und Usbekistan',
    text: 'Sehr geehrte Frau Sadykova,\n\nwir laden Sie herzlich ein.',
    html: '<p>Sehr geehrte Frau Sadykova,</p><p>wir laden Sie herzlich ein.</p>',
    ...overrides,
  };
}
