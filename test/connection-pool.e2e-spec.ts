import { invite } from './support/delivery.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { createContact, createTrip } from './support/factories.js';
import { addContacts, openTrip } from './support/messaging.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** More than the test pool's five connections. */
const AT_ONCE = 12;

/**
 * Writes that wait on one record's lock must not also wait for a second
 * connection from the pool: with as many such requests at once as the pool
 * has connections, every connection would sit in a transaction waiting for
 * another and the API would hang for good. Each burst here is more requests
 * than the pool holds; all of them are answered.
 */
describe('many writes to one record at once never starve the connection pool', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    expect(t.config.DATABASE_POOL_SIZE).toBeLessThan(AT_ONCE);
    desk = await signUpAgency(t);
    auth = bearer(desk.owner.accessToken);
  });

  afterAll(() => t.close());

  const burst = (send: (i: number) => Promise<{ status: number }>) =>
    Promise.all(Array.from({ length: AT_ONCE }, (_, i) => send(i)));

  it('changes of one trip', async () => {
    const trip = await createTrip(t, desk);
    const answers = await burst((i) =>
      t
        .http()
        .patch(`/api/v1/trips/${trip.id}`)
        .set(auth)
        .send({ capacity: 30 + i }),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(AT_ONCE).fill(200));
  });

  it('revoking one invitation', async () => {
    const trip = await openTrip(t, desk);
    const [contact] = await addContacts(t, desk, 1);
    await invite(t, desk, trip.id, [contact.id]);
    const list = await t.http().get(`/api/v1/trips/${trip.id}/invitations`).set(auth).expect(200);
    const [invitation] = (list.body as { items: { id: string }[] }).items;
    const answers = await burst(() =>
      t
        .http()
        .post(`/api/v1/trips/${trip.id}/invitations/${invitation.id}/revoke`)
        .set(auth)
        .send({}),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(AT_ONCE).fill(200));
  });

  it('exporting one person’s data', async () => {
    const contact = await createContact(t, desk);
    const answers = await burst(() =>
      t.http().get(`/api/v1/contacts/${contact.id}/personal-data`).set(auth),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(AT_ONCE).fill(200));
  });
});
