import { writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { DatabaseNudges } from '../src/database/database-nudges.js';
import { Relay } from '../src/modules/notifications/jobs/relay.js';
import { NotificationsRepository } from '../src/modules/notifications/notifications.repository.js';
import { STATUS_NOTICES } from '../src/modules/notifications/notifications.constants.js';
import type { ParticipantStatus } from '../src/modules/participants/participants.constants.js';
import { JobName, QueueName } from '../src/queue/jobs.js';
import { Queues } from '../src/queue/queues.js';
import { PROBLEM } from './support/api.js';
import {
  deliveryLog,
  invite,
  mailsTo,
  messageTo,
  sleep,
  type NotificationBody,
} from './support/delivery.js';
import { addApiKey, addStaff, bearer, signUpAgency, type Agency } from './support/identity.js';
import {
  addContacts,
  eventually,
  linkToken,
  messageCounts,
  openTrip,
  recipient,
  type InvitedContact,
  type OpenTrip,
  startWithSink,
} from './support/messaging.js';
import { RedisServer } from './support/redis-server.js';
import { SmtpSink } from './support/smtp-sink.js';
import { spawnTypeScript, type Spawned } from './support/spawn.js';
import type { TestApp } from './support/test-app.js';

const SIGKILL_MEASURE_FILE = '/tmp/dd-sigkill-measure.json';

/** Status of each of `ids` in the outbox, straight from the table. */
async function statuses(t: TestApp, ids: string[]): Promise<string[]> {
  const rows = await t.dataSource.query<{ id: string; status: string }[]>(
    `SELECT id, status FROM notifications WHERE id = ANY($1)`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row.status]));
  return ids.map((id) => byId.get(id) ?? 'missing');
}

/** Ids of the messages to `contacts` (one each), straight from the table. */
async function messageIds(t: TestApp, contacts: InvitedContact[]): Promise<string[]> {
  const rows = await t.dataSource.query<{ id: string; contact_id: string }[]>(
    `SELECT id, contact_id FROM notifications WHERE contact_id = ANY($1)`,
    [contacts.map((contact) => contact.id)],
  );
  expect(rows).toHaveLength(contacts.length);
  const byContact = new Map(rows.map((row) => [row.contact_id, row.id]));
  return contacts.map((contact) => byContact.get(contact.id)!);
}

/**
 * DESIGN §6 guarantees, end to end: real PostgreSQL, Redis (a private
 * redis-server where Redis is stopped or flushed), BullMQ workers and an
 * SMTP sink. Messages are caused the way users cause them: invitations.
 */
describe('message delivery', () => {
  describe('over SMTP, and the delivery log', () => {
    let t: TestApp;
    let sink: SmtpSink;

    beforeAll(async () => {
      ({ t, sink } = await startWithSink({
        config: {
          NOTIFICATION_RETRY_DELAY_MS: 200,
          NOTIFICATION_MAX_ATTEMPTS: 3,
        },
      }));
    });
    afterAll(async () => {
      await t?.close();
      await sink?.stop();
    });

    describe('when the mail server refuses', () => {
      let agency: Agency;
      let trip: OpenTrip;

      beforeAll(async () => {
        agency = await signUpAgency(t);
        trip = await openTrip(t, agency);
      });

      /** Invites one new contact and waits until its message is sent or failed. */
      async function inviteOne(): Promise<{ contact: InvitedContact; message: NotificationBody }> {
        const [contact] = await addContacts(t, agency, 1);
        expect(await invite(t, agency, trip.id, [contact.id])).toBe(1);
        let message: NotificationBody | undefined;
        await eventually(
          async () => {
            message = await messageTo(t, agency, contact.id);
            return ['sent', 'failed'].includes(message.status);
          },
          20_000,
          'the message to be sent or failed',
        );
        return { contact, message: message! };
      }

      it('451 twice, then accepted: delivered once after two retries', async () => {
        sink.rejectNext(451, 2);
        const { contact, message } = await inviteOne();

        const entry = await t
          .http()
          .get(`/api/v1/notifications/${message.id}`)
          .set(bearer(agency.owner.accessToken))
          .expect(200);
        expect(entry.body).toMatchObject({
          id: message.id,
          kind: 'invitation',
          status: 'sent',
          attempts: 3,
          recipientEmail: contact.email,
          lastError: null,
        });
        expect((entry.body as NotificationBody).sentAt).not.toBeNull();
        expect((entry.body as NotificationBody).providerResponse).toMatch(/^250\b/);
        await sleep(1000);
        expect(mailsTo(sink, [contact.email])).toEqual([1]);
      });

      it('a job delivered again after sending (replayed or stalled) sends nothing more', async () => {
        const { contact, message } = await inviteOne();
        expect(message).toMatchObject({ status: 'sent', attempts: 1 });

        const again = await t.app
          .get(Queues)
          .enqueueAndWait(JobName.NotificationsSend, { notificationIds: [message.id] }, 10_000);
        expect(again).toEqual({
          sent: 0,
          failed: 0,
          retrying: 0,
          cancelled: 0,
          deferred: 0,
          skipped: 1,
        });
        const entry = await t
          .http()
          .get(`/api/v1/notifications/${message.id}`)
          .set(bearer(agency.owner.accessToken))
          .expect(200);
        expect(entry.body).toEqual(message);
        expect(mailsTo(sink, [contact.email])).toEqual([1]);
      });

      /** After `waitMs` still failed with `attempts`, nothing delivered, listed under failed. */
      async function expectFailedForGood(
        message: NotificationBody,
        contact: { email: string },
        attempts: number,
        waitMs: number,
      ): Promise<void> {
        await sleep(waitMs);
        const entry = await t
          .http()
          .get(`/api/v1/notifications/${message.id}`)
          .set(bearer(agency.owner.accessToken))
          .expect(200);
        expect(entry.body).toMatchObject({ status: 'failed', attempts, sentAt: null });
        expect(mailsTo(sink, [contact.email])).toEqual([0]);
        const failed = await deliveryLog(t, agency, { status: 'failed' });
        expect(failed.items.map((item) => item.id)).toContain(message.id);
      }

      it('550: failed at once with the server’s reason, never retried', async () => {
        sink.rejectNext(550);
        const { contact, message } = await inviteOne();
        expect(message).toMatchObject({ status: 'failed', attempts: 1 });
        expect(message.lastError).toContain('550 rejected with 550');

        // Retries would come after 200 and 400 ms; none comes, nothing is delivered.
        await expectFailedForGood(message, contact, 1, 1500);
      });

      it('temporary failures until the attempts run out: failed, not sent later', async () => {
        // NOTIFICATION_MAX_ATTEMPTS is 3: a fourth attempt would be accepted and show up at the sink.
        sink.rejectNext(451, 3);
        const { contact, message } = await inviteOne();
        expect(message).toMatchObject({ status: 'failed', attempts: 3 });
        expect(message.lastError).toContain('451 rejected with 451');

        await expectFailedForGood(message, contact, 3, 2000);
      });
    });

    describe('GET /api/v1/notifications', () => {
      let agency: Agency;
      let other: Agency;
      let trips: OpenTrip[];
      let contacts: InvitedContact[];
      let all: NotificationBody[];
      let otherMessage: NotificationBody;
      let since: string;
      /** Messages changed at or after `since`: the second invitation to contacts[0], and the registration notice. */
      let changedSince: string[];
      let registrationKind: string;
      let participantStatus: ParticipantStatus;

      const owner = () => bearer(agency.owner.accessToken);

      async function settled(agencyOf: Agency, count: number): Promise<void> {
        await eventually(
          async () => {
            const counts = await messageCounts(t, agencyOf.tenantId);
            return (counts.sent ?? 0) + (counts.failed ?? 0) === count;
          },
          20_000,
          `${count} messages to be sent or failed`,
        );
      }

      beforeAll(async () => {
        agency = await signUpAgency(t);
        other = await signUpAgency(t, { tenantName: 'Sachsen Global' });
        trips = [await openTrip(t, agency), await openTrip(t, agency)];
        contacts = await addContacts(t, agency, 4);

        await invite(
          t,
          agency,
          trips[0].id,
          contacts.slice(0, 3).map((c) => c.id),
        );
        await settled(agency, 3);
        sink.rejectNext(550);
        await invite(t, agency, trips[1].id, [contacts[3].id]);
        await settled(agency, 4);

        await sleep(50);
        since = new Date().toISOString();
        await sleep(50);
        await invite(t, agency, trips[1].id, [contacts[0].id]);
        await settled(agency, 5);
        const firstInvitation = (
          await deliveryLog(t, agency, { contactId: contacts[0].id, tripId: trips[0].id })
        ).items[0];
        const mail = sink.messages.find(
          (m) => m.headers.get('x-delegation-desk-message') === firstInvitation.id,
        )!;
        const registered = await t
          .http()
          .post(`/api/v1/public/invitations/${linkToken(mail, 'invitations')}/registration`)
          .send({ category: 'business', consent: true })
          .expect(201);
        participantStatus = (registered.body as { status: ParticipantStatus }).status;
        await settled(agency, 6);

        all = (await deliveryLog(t, agency)).items;
        const registration = all.find(
          (item) => item.participantId !== null && item.kind.startsWith('registration_'),
        )!;
        registrationKind = registration.kind;
        changedSince = all
          .filter(
            (item) =>
              item.id === registration.id ||
              item.kind === 'departure_reminder' ||
              (item.contactId === contacts[0].id && item.tripId === trips[1].id),
          )
          .map((item) => item.id);

        const [stranger] = await addContacts(t, other, 1);
        await invite(t, other, (await openTrip(t, other)).id, [stranger.id]);
        await settled(other, 1);
        otherMessage = (await deliveryLog(t, other)).items[0];
      });

      it('lists the agency’s messages newest first, with how each went', () => {
        // Five invitations, the registration notice, and the registered participant's two
        // departure reminders (7 and 1 days before the trip), planned for later.
        expect(all).toHaveLength(8);
        expect(
          all.filter((item) => item.kind === 'departure_reminder').map((item) => item.status),
        ).toEqual(['scheduled', 'scheduled']);
        const created = all.map((item) => item.createdAt);
        expect(created).toEqual([...created].sort().reverse());
        expect(all.map((item) => item.id)).not.toContain(otherMessage.id);
        expect(registrationKind).toBe(STATUS_NOTICES[participantStatus]);
        const failed = all.filter((item) => item.status === 'failed');
        expect(failed).toEqual([
          expect.objectContaining({
            contactId: contacts[3].id,
            recipientEmail: contacts[3].email,
            lastError: expect.stringContaining('550 rejected with 550'),
            attempts: 1,
          }),
        ]);
        for (const item of all.filter((entry) => entry.status === 'sent')) {
          expect(item).toMatchObject({ attempts: 1, lastError: null });
          expect(item.subject).toContain(
            item.tripId === trips[0].id ? trips[0].title : trips[1].title,
          );
          expect(item.providerMessageId).toMatch(/^<.+>$/);
        }
      });

      // [filter, query, which entries of the whole log it keeps, how many those are]
      it.each([
        [
          'status=failed',
          () => ({ status: 'failed' }),
          (n: NotificationBody) => n.status === 'failed',
          1,
        ],
        [
          'status=sent',
          () => ({ status: 'sent' }),
          (n: NotificationBody) => n.status === 'sent',
          5,
        ],
        [
          'kind=invitation',
          () => ({ kind: 'invitation' }),
          (n: NotificationBody) => n.kind === 'invitation',
          5,
        ],
        [
          'kind of the registration notice',
          () => ({ kind: registrationKind }),
          (n: NotificationBody) => n.kind === registrationKind,
          1,
        ],
        [
          'tripId',
          () => ({ tripId: trips[1].id }),
          (n: NotificationBody) => n.tripId === trips[1].id,
          2,
        ],
        [
          'contactId',
          () => ({ contactId: contacts[0].id }),
          (n: NotificationBody) => n.contactId === contacts[0].id,
          5,
        ],
        [
          'tripId and contactId',
          () => ({ tripId: trips[0].id, contactId: contacts[0].id }),
          (n: NotificationBody) => n.tripId === trips[0].id && n.contactId === contacts[0].id,
          4,
        ],
        [
          'updatedSince',
          () => ({ updatedSince: since }),
          (n: NotificationBody) => changedSince.includes(n.id),
          4,
        ],
      ])('filters by %s', async (_, query, matches, count) => {
        const expected = all.filter(matches).map((item) => item.id);
        expect(expected).toHaveLength(count);
        const { items } = await deliveryLog(t, agency, query());
        expect(items.map((item) => item.id)).toEqual(expected);
      });

      it('updatedSince takes only messages changed at or after the instant', async () => {
        expect(changedSince).toHaveLength(4);
        const { items } = await deliveryLog(t, agency, { updatedSince: since });
        for (const item of items) expect(item.updatedAt >= since).toBe(true);
        const later = new Date(Date.now() + 60_000).toISOString();
        expect((await deliveryLog(t, agency, { updatedSince: later })).items).toEqual([]);
      });

      it('pages through the log with a cursor, each message once, in order', async () => {
        const seen: NotificationBody[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await deliveryLog(t, agency, { limit: 4, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(4);
          seen.push(...page.items);
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null && pages < 10);
        expect(pages).toBe(2);
        expect(seen.map((item) => item.id)).toEqual(all.map((item) => item.id));

        const filtered = await deliveryLog(t, agency, { status: 'sent', limit: 2 });
        const rest = await deliveryLog(t, agency, {
          status: 'sent',
          limit: 50,
          cursor: filtered.nextCursor!,
        });
        expect([...filtered.items, ...rest.items].map((item) => item.id)).toEqual(
          all.filter((item) => item.status === 'sent').map((item) => item.id),
        );
        expect(rest.nextCursor).toBeNull();
      });

      it('rejects a filter value it does not know', async () => {
        for (const query of [{ status: 'lost' }, { kind: 'spam' }, { tripId: 'nope' }]) {
          await t
            .http()
            .get('/api/v1/notifications')
            .query(query)
            .set(owner())
            .expect(400)
            .expect('Content-Type', PROBLEM);
        }
      });

      it('GET one: the entry with its version as ETag; If-None-Match answers 304', async () => {
        const failed = all.find((item) => item.status === 'failed')!;
        const response = await t
          .http()
          .get(`/api/v1/notifications/${failed.id}`)
          .set(owner())
          .expect(200);
        expect(response.body).toEqual(failed);
        expect(response.headers.etag).toBe(`"${failed.version}"`);
        await t
          .http()
          .get(`/api/v1/notifications/${failed.id}`)
          .set({ ...owner(), 'If-None-Match': `"${failed.version}"` })
          .expect(304);
      });

      it('another agency’s message is 404, as is an unknown id', async () => {
        for (const id of [otherMessage.id, '0b9b5f7e-3f5c-4b53-9d55-7a3c1c1f0c11']) {
          await t
            .http()
            .get(`/api/v1/notifications/${id}`)
            .set(owner())
            .expect(404)
            .expect('Content-Type', PROBLEM);
        }
        await t
          .http()
          .get(`/api/v1/notifications/${otherMessage.id}`)
          .set(bearer(other.owner.accessToken))
          .expect(200);
      });

      it('viewers and API keys with participants:read read it; others are refused', async () => {
        const viewer = await addStaff(t, agency, 'viewer');
        const reader = await addApiKey(t, agency, ['participants:read']);
        const tripsOnly = await addApiKey(t, agency, ['trips:read']);
        const one = all[0];
        for (const headers of [bearer(viewer.accessToken), { 'X-API-Key': reader.key }]) {
          const list = await t.http().get('/api/v1/notifications').set(headers).expect(200);
          expect((list.body as { items: NotificationBody[] }).items).toEqual(all);
          await t.http().get(`/api/v1/notifications/${one.id}`).set(headers).expect(200);
        }
        await t
          .http()
          .get('/api/v1/notifications')
          .set({ 'X-API-Key': tripsOnly.key })
          .expect(403)
          .expect('Content-Type', PROBLEM);
        await t.http().get('/api/v1/notifications').expect(401).expect('Content-Type', PROBLEM);
        await t
          .http()
          .get(`/api/v1/notifications/${one.id}`)
          .expect(401)
          .expect('Content-Type', PROBLEM);
      });

      it('a queued job in Redis carries the message id only, no address', async () => {
        await t.stopWorker();
        const [contact] = await addContacts(t, other, 1);
        await invite(t, other, (await openTrip(t, other)).id, [contact.id]);
        const [id] = await messageIds(t, [contact]);
        // The worker's relay, run once by hand: the job stays in Redis since no worker takes it.
        const relay = new Relay(
          t.config,
          t.app.get(Queues),
          t.app.get(DatabaseNudges),
          new NotificationsRepository(t.dataSource),
        );
        expect(await relay.dispatchDue()).toBe(1);
        expect(await statuses(t, [id])).toEqual(['queued']);

        const redis = new Redis(t.config.REDIS_URL);
        try {
          const job = await redis.hgetall(`${t.config.REDIS_PREFIX}:notifications:${id}`);
          expect(job.name).toBe('notifications.send');
          expect(JSON.parse(job.data)).toEqual({ notificationIds: [id] });
          const stored = JSON.stringify(job);
          expect(stored).not.toContain(contact.email);
          expect(stored).not.toContain(contact.lastName);
          expect(stored).not.toContain('@');
        } finally {
          redis.disconnect();
        }

        await t.startWorker();
        await eventually(async () => (await statuses(t, [id]))[0] === 'sent');
        expect(mailsTo(sink, [contact.email])).toEqual([1]);
      });

      it('a hand-over whose jobs Redis does not take changes nothing; the next round sends', async () => {
        await t.stopWorker();
        const [contact] = await addContacts(t, other, 1);
        await invite(t, other, (await openTrip(t, other)).id, [contact.id]);
        const [id] = await messageIds(t, [contact]);
        const row = () =>
          t.dataSource.query<{ status: string; version: number; relayed_at: Date | null }[]>(
            'SELECT status, version, relayed_at FROM notifications WHERE id = $1',
            [id],
          );
        const before = await row();
        const handedOver: string[][] = [];
        await expect(
          new NotificationsRepository(t.dataSource).handOver('due', 100, (ids) => {
            handedOver.push(ids);
            return Promise.reject(new Error('Redis did not answer'));
          }),
        ).rejects.toThrow('Redis did not answer');
        // It was taken (and marked, inside the transaction) before the jobs were refused.
        expect(handedOver).toEqual([[id]]);
        expect(await row()).toEqual(before);
        expect(before[0].status).toBe('scheduled');

        await t.startWorker();
        await eventually(async () => (await statuses(t, [id]))[0] === 'sent');
        expect(mailsTo(sink, [contact.email])).toEqual([1]);
      });
    });
  });

  describe('when Redis goes away or loses its data', () => {
    let redis: RedisServer;
    let t: TestApp;
    let sink: SmtpSink;
    let agency: Agency;
    let trip: OpenTrip;

    beforeAll(async () => {
      redis = await RedisServer.start();
      ({ t, sink } = await startWithSink({
        // Two messages to a job: 20 messages make more jobs than the worker runs at once.
        config: { REDIS_URL: redis.url, RELAY_REQUEUE_AFTER_MS: 1000, NOTIFICATION_BATCH_SIZE: 2 },
      }));
      // Sign-up touches Redis (rate limit): done while it is up.
      agency = await signUpAgency(t);
      trip = await openTrip(t, agency);
    });
    afterAll(async () => {
      sink?.release();
      if (redis && !redis.running) await redis.restart();
      await t?.close();
      await sink?.stop();
      await redis?.dispose();
    });

    it('Redis down while inviting: the request succeeds, the emails go out once it is back', async () => {
      const contacts = await addContacts(t, agency, 10);
      const addresses = contacts.map((contact) => contact.email);
      await redis.stop();

      expect(
        await invite(
          t,
          agency,
          trip.id,
          contacts.map((contact) => contact.id),
        ),
      ).toBe(10);
      const ids = await messageIds(t, contacts);
      const waiting = await deliveryLog(t, agency, { tripId: trip.id, status: 'scheduled' });
      expect(waiting.items.map((item) => item.id).sort()).toEqual([...ids].sort());

      // Longer than a relay round waits for Redis (5 s): the round gives up and keeps the rows.
      await sleep(6000);
      expect(mailsTo(sink, addresses)).toEqual(addresses.map(() => 0));
      expect(await statuses(t, ids)).toEqual(ids.map(() => 'scheduled'));

      await redis.restart();
      await eventually(
        async () => (await statuses(t, ids)).every((status) => status === 'sent'),
        30_000,
        'all messages sent after Redis is back',
      );
      await sleep(1500);
      expect(mailsTo(sink, addresses)).toEqual(addresses.map(() => 1));
    }, 60_000);

    it('FLUSHALL with messages queued and in flight: each delivered exactly once', async () => {
      const contacts = await addContacts(t, agency, 20);
      const addresses = contacts.map((contact) => contact.email);
      const client = redis.client();
      try {
        sink.hold();
        expect(
          await invite(
            t,
            agency,
            trip.id,
            contacts.map((contact) => contact.id),
          ),
        ).toBe(20);
        const ids = await messageIds(t, contacts);
        const queue = await t.app.get(Queues).get(QueueName.Notifications);
        /** The messages of the jobs waiting in Redis for a worker. */
        const waitingInRedis = async () =>
          (await queue.getJobs(['waiting', 'prioritized', 'delayed']))
            .flatMap((job) => (job.data as { notificationIds: string[] }).notificationIds)
            .sort();

        // Five jobs (WORKER_CONCURRENCY) of two hold ten messages: five senders wait on the
        // sink, five more for a connection; the other five jobs wait in Redis.
        await eventually(
          () => sink.held === t.config.WORKER_CONCURRENCY,
          20_000,
          'senders held at the sink',
        );
        await eventually(
          async () => (await statuses(t, ids)).filter((s) => s === 'queued').length === 10,
          20_000,
          '10 messages queued',
        );
        const current = await statuses(t, ids);
        const waitingIds = ids.filter((_, index) => current[index] === 'queued').sort();
        expect(await waitingInRedis()).toEqual(waitingIds);

        await client.flushall();
        expect(await waitingInRedis()).toEqual([]);

        // Past RELAY_REQUEUE_AFTER_MS the relay hands the lost jobs over again.
        await eventually(
          async () => (await waitingInRedis()).join() === waitingIds.join(),
          20_000,
          'the lost jobs back in Redis',
        );
        sink.release();

        await eventually(
          async () => (await statuses(t, ids)).every((status) => status === 'sent'),
          30_000,
          'all messages sent after FLUSHALL',
        );
        await sleep(1500);
        expect(mailsTo(sink, addresses)).toEqual(addresses.map(() => 1));
      } finally {
        sink.release();
        client.disconnect();
      }
    }, 60_000);
  });

  describe('when a worker process is killed (SIGKILL) mid-batch', () => {
    let t: TestApp;
    let sink: SmtpSink;
    let worker: Spawned | undefined;

    beforeAll(async () => {
      ({ t, sink } = await startWithSink({
        worker: false,
        config: {
          WORKER_LOCK_MS: 2000,
          NOTIFICATION_LEASE_MS: 3000,
          RELAY_REQUEUE_AFTER_MS: 2000,
        },
      }));
    });
    afterAll(async () => {
      await worker?.kill();
      await t?.close();
      await sink?.stop();
    });

    it('loses none of 500 invitations; duplicates at most the messages in flight at the kill', async () => {
      const agency = await signUpAgency(t);
      const trip = await openTrip(t, agency, { capacity: 500 });
      const contacts = await addContacts(t, agency, 500);
      expect(
        await invite(
          t,
          agency,
          trip.id,
          contacts.map((contact) => contact.id),
        ),
      ).toBe(500);

      worker = spawnTypeScript('src/worker.ts', {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: t.config.DATABASE_URL,
        MIGRATIONS_RUN: 'false',
        REDIS_URL: t.config.REDIS_URL,
        REDIS_PREFIX: t.config.REDIS_PREFIX,
        SMTP_URL: sink.url,
        MAIL_DIR: t.config.MAIL_DIR,
        RELAY_INTERVAL_MS: '200',
        WORKER_LOCK_MS: '2000',
        NOTIFICATION_LEASE_MS: '3000',
        RELAY_REQUEUE_AFTER_MS: '2000',
      });
      const child = worker;
      await eventually(
        () => {
          if (child.child.exitCode !== null) {
            throw new Error(
              `worker exited ${child.child.exitCode}:\n${child.stdout()}${child.stderr()}`,
            );
          }
          return sink.messages.length >= 50;
        },
        60_000,
        '50 mails from the worker process',
      );
      await child.kill();
      const mailsAtKill = sink.messages.length;
      const atKill = await messageCounts(t, agency.tenantId);
      const sentBeforeKill = atKill.sent ?? 0;
      const inFlightAtKill = atKill.sending ?? 0;
      expect(sentBeforeKill).toBeLessThan(500);

      await t.startWorker();
      await eventually(
        async () => (await messageCounts(t, agency.tenantId)).sent === 500,
        90_000,
        'all 500 messages sent by the new worker',
      );

      const totalMails = sink.messages.length;
      const duplicates = totalMails - 500;
      await writeFile(
        SIGKILL_MEASURE_FILE,
        `${JSON.stringify({ sentBeforeKill, inFlightAtKill, duplicates, totalMails, mailsAtKill }, null, 2)}\n`,
      );
      const perAddress = mailsTo(
        sink,
        contacts.map((contact) => contact.email),
      );
      expect(perAddress.filter((count) => count === 0)).toHaveLength(0);
      expect(new Set(sink.messages.map(recipient)).size).toBe(500);
      expect(duplicates).toBeGreaterThanOrEqual(0);
      expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);
    }, 150_000);
  });

  describe('per-agency hourly send cap', () => {
    let t: TestApp;
    let sink: SmtpSink;

    beforeAll(async () => {
      // Five messages in jobs of 4 and 1: whichever runs first, one job crosses the cap.
      ({ t, sink } = await startWithSink({
        config: { NOTIFICATION_SEND_CAP_PER_HOUR: 3, NOTIFICATION_BATCH_SIZE: 4 },
      }));
    });
    afterAll(async () => {
      await t?.close();
      await sink?.stop();
    });

    it('sends up to the cap and holds the rest for the next hour; other agencies are not held', async () => {
      const capped = await signUpAgency(t);
      const neighbour = await signUpAgency(t, { tenantName: 'Brandenburg Export' });
      const cappedContacts = await addContacts(t, capped, 5);
      const neighbourContacts = await addContacts(t, neighbour, 3);

      expect(
        await invite(
          t,
          capped,
          (await openTrip(t, capped)).id,
          cappedContacts.map((c) => c.id),
        ),
      ).toBe(5);
      await eventually(
        async () => {
          const counts = await messageCounts(t, capped.tenantId);
          return counts.sent === 3 && counts.scheduled === 2;
        },
        20_000,
        '3 sent and 2 held back',
      );
      const held = await deliveryLog(t, capped, { status: 'scheduled' });
      expect(held.items).toHaveLength(2);
      for (const item of held.items) {
        expect(item.attempts).toBe(0);
        expect(new Date(item.dueAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
        expect(new Date(item.dueAt).getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
      }
      expect((await deliveryLog(t, capped, { status: 'sent' })).items).toHaveLength(3);

      expect(
        await invite(
          t,
          neighbour,
          (await openTrip(t, neighbour)).id,
          neighbourContacts.map((c) => c.id),
        ),
      ).toBe(3);
      await eventually(
        async () => (await messageCounts(t, neighbour.tenantId)).sent === 3,
        20_000,
        'the other agency’s 3 messages sent',
      );
      await sleep(1000);
      expect(
        mailsTo(
          sink,
          neighbourContacts.map((c) => c.email),
        ),
      ).toEqual([1, 1, 1]);
      const cappedMails = mailsTo(
        sink,
        cappedContacts.map((c) => c.email),
      );
      expect(cappedMails.filter((count) => count === 1)).toHaveLength(3);
      expect(cappedMails.filter((count) => count === 0)).toHaveLength(2);
      expect(await messageCounts(t, capped.tenantId)).toEqual({ sent: 3, scheduled: 2 });
    });
  });
});
