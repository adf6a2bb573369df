import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../src/config/app-config.js';
import { MailTransport } from '../src/mail/mail-transport.js';
import { makeMail } from './support/factories.js';
import { SmtpSink } from './support/smtp-sink.js';

describe('mail transport', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    sink = await new SmtpSink().start();
  });
  afterAll(() => sink.stop());

  it('sends over SMTP with the agency as display name, text and HTML', async () => {
    const transport = new MailTransport(
      loadConfig({}, { SMTP_URL: sink.url, MAIL_FROM: 'trips@agency.example' }),
    );
    const sent = await transport.send(makeMail({ to: 'b.meier@textil.example' }));
    const mail = await sink.waitFor(
      (m) =>
        m.messageId === sent.messageId.replace(/^<|>$/g, '') || m.subject === makeMail().subject,
    );
    expect(mail.from?.value[0]).toEqual({
      name: 'Thüringen International',
      address: 'trips@agency.example',
    });
    expect(mail.subject).toBe('Einladung: Markterkundungsreise Kasachstan und Usbekistan');
    expect(mail.text).toContain('Sehr geehrte Frau Sadykova');
    expect(mail.html).toContain('<p>Sehr geehrte Frau Sadykova,</p>');
    transport.onApplicationShutdown();
  });

  it.each([
    [451, 'temporary'],
    [550, 'permanent'],
  ])('reports an SMTP %i (%s) refusal with its response code', async (code) => {
    const transport = new MailTransport(loadConfig({}, { SMTP_URL: sink.url }));
    sink.rejectNext(code);
    await expect(transport.send(makeMail())).rejects.toMatchObject({ responseCode: code });
    transport.onApplicationShutdown();
  });

  it('without SMTP_URL writes each message as an .eml file into MAIL_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-eml-'));
    try {
      const transport = new MailTransport(loadConfig({}, { MAIL_DIR: dir }));
      const sent = await transport.send(makeMail({ subject: 'Anmeldung bestätigt' }));
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      // The reply lands in the delivery log, shown to agencies: no server paths in it.
      expect(sent.response).toBe(`written to the mail folder as ${files[0]}`);
      expect(sent.response).not.toContain(dir);
      const parsed = await simpleParser(await readFile(join(dir, files[0])));
      expect(parsed.subject).toBe('Anmeldung bestätigt');
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe(
        'aigerim.sadykova@example.kz',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
