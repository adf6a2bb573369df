import { invite, mailsTo } from './support/delivery.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import {
  addContacts,
  eventually,
  openTrip,
  startWithSink,
  type OpenTrip,
} from './support/messaging.js';
import type { SmtpSink } from './support/smtp-sink.js';
import type { TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/**
 * A message or webhook delivery written (or made) due at once goes out at
 * once: its commit nudges the worker's relay (PostgreSQL NOTIFY) instead of
 * waiting for the next round, here a minute away.
 */
describe('the relay, nudged by the database', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let agency: Agency;
  let trip: OpenTrip;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ t, sink } = await startWithSink({
      config: { RELAY_INTERVAL_MS: 60_000, WEBHOOK_ALLOWED_HOSTS: ['localhost'] },
    }));
    agency = await signUpAgency(t);
    trip = await openTrip(t, agency);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
    await receiver?.stop();
  });

  async function inviteAndReceive(withinMs: number): Promise<void> {
    const [contact] = await addContacts(t, agency, 1);
    expect(await invite(t, agency, trip.id, [contact.id])).toBe(1);
    await eventually(
      () => mailsTo(sink, [contact.email])[0] === 1,
      withinMs,
      'the invitation at the mail server',
    );
  }

  it('an invitation reaches the mail server within seconds, not at the next round', async () => {
    await inviteAndReceive(5000);
  });

  it('after losing its listening connection, the worker listens again', async () => {
    const terminated = await t.dataSource.query<{ done: boolean }[]>(
      `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'delegation-desk-nudges'`,
    );
    expect(terminated.map((row) => row.done)).toEqual([true]);
    // It connects again after 5 s; well before the next round a minute away.
    await inviteAndReceive(15_000);
  });

  it('a webhook delivery sent again on request reaches its receiver within seconds', async () => {
    const auth = bearer(agency.owner.accessToken);
    const endpoint = (
      await t
        .http()
        .post('/api/v1/webhook-endpoints')
        .set(auth)
        .send({ url: receiver.url, eventTypes: ['webhook.test'] })
        .expect(201)
    ).body as { id: string };
    const tested = await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/test`)
      .set(auth)
      .expect(200);
    const { deliveryId } = tested.body as { deliveryId: string };
    const sent = () =>
      receiver.received.filter((request) => request.headers['webhook-id'] === deliveryId).length;
    expect(sent()).toBe(1);

    // Made due by an UPDATE, not written anew: its commit nudges the relay all the same.
    await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${deliveryId}/redeliver`)
      .set(auth)
      .expect(202);
    await eventually(() => sent() === 2, 5000, 'the delivery again at the receiver');
  });
});
