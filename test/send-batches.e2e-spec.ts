import type { Job } from 'bullmq';
import { MessagePlanner } from '../src/modules/notifications/jobs/message-planner.js';
import { Relay } from '../src/modules/notifications/jobs/relay.js';
import { SendNotificationJob } from '../src/modules/notifications/jobs/send-notification.job.js';
import { WebhookPlanner } from '../src/modules/webhooks/jobs/webhook-planner.js';
import { WebhookRelay } from '../src/modules/webhooks/jobs/webhook-relay.js';
import type { JobName, JobPayloads, JobResults } from '../src/queue/jobs.js';
import type { Rounds } from '../src/queue/rounds.js';
import { invite, mailsTo } from './support/delivery.js';
import { signUpAgency, type Agency } from './support/identity.js';
import {
  addContacts,
  openTrip,
  startWithSink,
  type InvitedContact,
  type OpenTrip,
} from './support/messaging.js';
import type { SmtpSink } from './support/smtp-sink.js';
import type { TestApp } from './support/test-app.js';
import { wireStatements } from './support/wire-statements.js';

type Send = JobName.NotificationsSend;

/** The statement that records outcomes (one per group of answers, never part of claiming or reading). */
const isOutcome = (sql: string) => sql.includes('FROM jsonb_array_elements($1::jsonb) AS o(v)');

/** The app and its sink, with the worker's rounds stopped: no relay, no planner runs meanwhile. */
async function startQuiet(config: Partial<TestApp['config']>) {
  const started = await startWithSink({ config });
  for (const rounds of [Relay, MessagePlanner, WebhookRelay, WebhookPlanner]) {
    await started.t.worker!.get<Rounds>(rounds).onModuleDestroy();
  }
  return started;
}

/** The worker's send job, run by hand on these messages. */
function sendJob(app: TestApp, ids: string[]) {
  return app
    .worker!.get(SendNotificationJob)
    .handle({ data: { notificationIds: ids } } as Job<JobPayloads[Send], JobResults[Send], Send>);
}

/** Invites the contacts as the agency's owner; answers the ids of their invitation emails. */
async function invited(
  app: TestApp,
  agency: Agency,
  tripId: string,
  contacts: InvitedContact[],
): Promise<string[]> {
  const contactIds = contacts.map((contact) => contact.id);
  expect(await invite(app, agency, tripId, contactIds)).toBe(contacts.length);
  const rows = await app.dataSource.query<{ id: string; contact_id: string }[]>(
    `SELECT id, contact_id FROM notifications WHERE contact_id = ANY($1)`,
    [contactIds],
  );
  const byContact = new Map(rows.map((row) => [row.contact_id, row.id]));
  return contactIds.map((id) => byContact.get(id)!);
}

/**
 * The send job run by hand on a batch of messages (the worker's rounds are
 * stopped: nothing else runs SQL meanwhile), to see what one job does with a batch: how many statements
 * claim and read it, what is sent, what is retried.
 */
describe('sending messages in batches', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let agency: Agency;
  let trip: OpenTrip;
  const wire = wireStatements();

  beforeAll(async () => {
    ({ t, sink } = await startQuiet({ NOTIFICATION_RETRY_DELAY_MS: 2000 }));
    agency = await signUpAgency(t);
    trip = await openTrip(t, agency, { capacity: 100 });
  });
  afterAll(async () => {
    wire.restore();
    await t?.close();
    await sink?.stop();
  });

  /** Runs the job on `ids`; answers its tally (or throws as it did) and the SQL it sent. */
  async function run(ids: string[]) {
    wire.start();
    try {
      const tally = await sendJob(t, ids);
      return { tally, statements: wire.stop() };
    } finally {
      wire.stop();
    }
  }

  async function statuses(ids: string[]): Promise<string[]> {
    const rows = await t.dataSource.query<{ id: string; status: string }[]>(
      `SELECT id, status FROM notifications WHERE id = ANY($1)`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row.status]));
    return ids.map((id) => byId.get(id) ?? 'missing');
  }

  it('claims and reads 20 messages in as many statements as one; sends each once', async () => {
    const [alone, ...twenty] = await addContacts(t, agency, 21);
    const one = await run(await invited(t, agency, trip.id, [alone]));
    const ids = await invited(t, agency, trip.id, twenty);
    const batch = await run(ids);

    expect(one.tally).toMatchObject({ sent: 1, skipped: 0, retrying: 0 });
    expect(batch.tally).toMatchObject({ sent: 20, skipped: 0, retrying: 0 });
    expect(await statuses(ids)).toEqual(ids.map(() => 'sent'));
    expect(
      mailsTo(
        sink,
        [alone, ...twenty].map((contact) => contact.email),
      ),
    ).toEqual(Array.from({ length: 21 }, () => 1));
    // Claim, the invitations, their trip: the same for 1 and for 20.
    const reads = (statements: string[]) => statements.filter((sql) => !isOutcome(sql));
    expect(reads(batch.statements)).toHaveLength(reads(one.statements).length);
    expect(reads(one.statements).length).toBeLessThanOrEqual(3);
    // Outcomes answered while another write runs go together: never more than one per message.
    const outcomes = batch.statements.filter(isOutcome).length;
    expect(outcomes).toBeGreaterThanOrEqual(1);
    expect(outcomes).toBeLessThanOrEqual(20);

    // The same job again (the queue delivering it twice) sends nothing more.
    expect((await run(ids)).tally).toMatchObject({ sent: 0, skipped: 20 });
  });

  it('one message failing for now: the rest are sent, the job fails, its next run sends only that one', async () => {
    const contacts = await addContacts(t, agency, 5);
    const ids = await invited(t, agency, trip.id, contacts);
    sink.rejectNext(451);

    await expect(run(ids)).rejects.toThrow('1 of 5 messages failed for now; trying again');
    const after = await statuses(ids);
    expect(after.filter((status) => status === 'sent')).toHaveLength(4);
    expect(after.filter((status) => status === 'queued')).toHaveLength(1);

    // Its retry waits for the backoff (2 s here), whichever job comes for it first.
    expect((await run(ids)).tally).toMatchObject({ sent: 0, skipped: 5 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const again = await run(ids);
    expect(again.tally).toMatchObject({ sent: 1, skipped: 4, retrying: 0 });
    expect(await statuses(ids)).toEqual(ids.map(() => 'sent'));
    expect(
      mailsTo(
        sink,
        contacts.map((contact) => contact.email),
      ),
    ).toEqual([1, 1, 1, 1, 1]);
  });

  describe('with a lease of a second', () => {
    let short: TestApp;
    let shortSink: SmtpSink;

    beforeAll(async () => {
      ({ t: short, sink: shortSink } = await startQuiet({
        NOTIFICATION_LEASE_MS: 1000,
        NOTIFICATION_RETRY_DELAY_MS: 100,
      }));
    });
    afterAll(async () => {
      await short?.close();
      await shortSink?.stop();
    });

    it('sends start only while half the lease remains; the rest go back to the queue, not counted as attempts', async () => {
      const owner = await signUpAgency(short);
      const shortTrip = await openTrip(short, owner, { capacity: 20 });
      const contacts = await addContacts(short, owner, 8);
      const ids = await invited(short, owner, shortTrip.id, contacts);
      const send = () => sendJob(short, ids);

      // Five sends (WORKER_CONCURRENCY) held by the mail server past half the lease.
      shortSink.hold();
      const first = send();
      const outcome = first.then(
        () => 'finished',
        (error: Error) => error.message,
      );
      const deadline = Date.now() + 10_000;
      while (shortSink.held < 5 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(shortSink.held).toBe(5);
      await new Promise((resolve) => setTimeout(resolve, 700));
      shortSink.release();
      expect(await outcome).toBe('3 of 8 messages failed for now; trying again');

      const rowsAfter = await short.dataSource.query<{ status: string; attempts: number }[]>(
        `SELECT status, attempts FROM notifications WHERE id = ANY($1) ORDER BY status`,
        [ids],
      );
      expect(rowsAfter.filter((row) => row.status === 'sent')).toHaveLength(5);
      expect(rowsAfter.filter((row) => row.status === 'queued')).toEqual(
        Array.from({ length: 3 }, () => ({ status: 'queued', attempts: 0 })),
      );
      expect((await send()).sent).toBe(3);
      expect(
        mailsTo(
          shortSink,
          contacts.map((contact) => contact.email),
        ),
      ).toEqual(Array.from({ length: 8 }, () => 1));
    });

    it('a send waiting for a connection behind another job’s sends starts only while half the lease remains', async () => {
      const owner = await signUpAgency(short);
      const shortTrip = await openTrip(short, owner, { capacity: 20 });
      const contacts = await addContacts(short, owner, 10);
      const ids = await invited(short, owner, shortTrip.id, contacts);
      const jobs = [ids.slice(0, 5), ids.slice(5)];

      // Two jobs at once, five messages each: the worker sends five (WORKER_CONCURRENCY) at a
      // time, whatever the jobs, and the mail server holds those past half the lease. The other
      // five must not go out after it, as they would from a queue inside the SMTP pool.
      shortSink.hold();
      const outcomes = Promise.all(
        jobs.map((batch) =>
          sendJob(short, batch).then(
            () => 'finished',
            (error: Error) => error.message,
          ),
        ),
      );
      const deadline = Date.now() + 10_000;
      while (shortSink.held < 5 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(shortSink.held).toBe(5);
      shortSink.release();
      expect((await outcomes).sort()).toEqual([
        '5 of 5 messages failed for now; trying again',
        'finished',
      ]);

      const rows = await short.dataSource.query<{ status: string; attempts: number }[]>(
        `SELECT status, attempts FROM notifications WHERE id = ANY($1)`,
        [ids],
      );
      expect(rows.filter((row) => row.status === 'sent')).toHaveLength(5);
      expect(rows.filter((row) => row.status !== 'sent')).toEqual(
        Array.from({ length: 5 }, () => ({ status: 'queued', attempts: 0 })),
      );
      for (const batch of jobs) await sendJob(short, batch);
      expect(
        mailsTo(
          shortSink,
          contacts.map((contact) => contact.email),
        ),
      ).toEqual(Array.from({ length: 10 }, () => 1));
    });
  });
});
