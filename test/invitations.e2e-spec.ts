import { addContacts, eventually, linkToken, openTrip, recipient } from './support/messaging.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('invitations and self-service', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let agency: Agency;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({
      worker: true,
      config: {
        SMTP_URL: sink.url,
        RELAY_INTERVAL_MS: 200,
        PUBLIC_BASE_URL: 'https://reisen.agency.example',
      },
    });
    agency = await signUpAgency(t);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('smoke: invite, email with link, register, confirmation email', async () => {
    const trip = await openTrip(t, agency);
    const contacts = await addContacts(t, agency, 3, { mixLanguages: true });
    const auth = bearer(agency.owner.accessToken);
    const report = await t
      .http()
      .post(`/api/v1/trips/${trip.id}/invitations`)
      .set(auth)
      .send({ contactIds: contacts.map((c) => c.id), message: 'Wir würden uns freuen!' })
      .expect(200);
    expect(report.body).toMatchObject({ invited: 3 });
    await eventually(() =>
      contacts.every((c) => sink.messages.some((m) => recipient(m) === c.email)),
    );
    const mail = sink.messages.find((m) => recipient(m) === contacts[0].email)!;
    console.log(mail.subject, '\n', mail.text);
    const token = linkToken(mail, 'invitations');
    const view = await t.http().get(`/api/v1/public/invitations/${token}`).expect(200);
    console.log(JSON.stringify(view.body, null, 2));
    const registered = await t
      .http()
      .post(`/api/v1/public/invitations/${token}/registration`)
      .send({ category: 'business', consent: true, dietaryNeeds: 'vegetarisch' })
      .expect(201);
    console.log(JSON.stringify(registered.body, null, 2));
    const confirmation = await sink.waitFor(
      (m) => recipient(m) === contacts[0].email && /bestätigt/.test(m.subject ?? ''),
    );
    console.log(confirmation.subject, '\n', confirmation.text);
    const log = await t.http().get('/api/v1/notifications').set(auth).expect(200);
    console.log(JSON.stringify(log.body.items[0], null, 2));
  });
});
