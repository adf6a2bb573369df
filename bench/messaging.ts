/**
 * Messaging pipeline benchmark: `npm run bench`.
 *
 * Boots the real API (and, for part 2, the worker) in this process against
 * a private database cloned from the test template, a private Redis prefix
 * and an in-process SMTP sink, like the e2e tests. The machine is shared and
 * noisy, so no figure is judged on its own: each is a ratio against a
 * baseline measured in the same round of the same run, and the median of
 * several rounds is reported (with every round's ratio, to show the spread).
 *
 * 1. Invitation request. POST /trips/{id}/invitations with 500 contacts
 *    against the same request with 1 contact (median of a few). The ratio
 *    says how the cost grows with the batch: work done per contact (a query,
 *    a round trip, a template render) would push it towards 500×; batched
 *    SQL keeps it at a small multiple. SQL statements per request (every
 *    statement the API's DataSource runs, including START TRANSACTION,
 *    COMMIT, authentication and the audit entry) are counted for 1, 50 and
 *    500 contacts: the same count for all three means no N+1.
 * 2. Delivery. 500 invitations from the POST until the SMTP sink has
 *    accepted all 500 (outbox, relay: nudged by the commit; BullMQ jobs of
 *    NOTIFICATION_BATCH_SIZE messages, claim, render, SMTP, with
 *    WORKER_CONCURRENCY jobs and sends at once), against the same 500 mails
 *    (the invitation as the sink received it: sender, subject, text, HTML,
 *    the message-id header) sent straight through nodemailer to the same
 *    sink at the same concurrency: `createTransport({ pool: true,
 *    maxConnections: WORKER_CONCURRENCY })`, the pooling MailTransport uses,
 *    WORKER_CONCURRENCY sends in flight. Both sides keep their connections
 *    open between mails; nodemailer's pool replaces a connection after 100
 *    mails, and the sink (smtp-server) greets each new connection only after
 *    100 ms (its "early talker" pause), so both pay the same reconnects. The
 *    figure judged (issue 21) is the rate ratio, pipeline mails/s ÷ baseline
 *    mails/s (1 would mean the pipeline's guarantees cost nothing on top of
 *    SMTP; the goal is at least 0.7); the extra wall-clock time per mail is
 *    printed too. Everything (API, worker, sink, baseline) runs in this one
 *    process, so CPU spent anywhere in the pipeline slows the sink's side too.
 *    Both paths are first warmed up with a whole delivery of 500 each (until
 *    2026-12-04 with 20: the pipeline's code was still being optimised by
 *    V8 through the measured rounds, its CPU per mail falling from about
 *    4.5 ms in the first to 2.3 ms in the third, so the ratios of those runs
 *    measure warm-up as much as the pipeline), and the rounds alternate
 *    which path goes first, so drift in the machine's load touches both.
 * 3. Memory of the invitation request (part 1's requests, measured after a
 *    full GC): heap allocated during the request (live growth plus what
 *    each GC freed), heap peak above the starting heap, and RSS peak growth
 *    (sampled every millisecond; often 0 when the heap reuses its pages).
 *    The baseline is the 1-contact request; allocated(500)/allocated(1)
 *    reads like the time ratio. Client-side work (supertest building the
 *    body and parsing the report) is in the same process and counted too.
 */
// The V8 settings the API and the worker start with (they import it first too).
import '../src/heap.js';
import { performance } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';
import type { ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { AppConfig } from '../src/config/app-config.js';
import { MAX_INVITATIONS_PER_REQUEST } from '../src/modules/invitations/invitations.constants.js';
import { bearer, signUpAgency } from '../test/support/identity.js';
import {
  addContacts,
  eventually,
  openTrip,
  type InvitedContact,
} from '../test/support/messaging.js';
import { SmtpSink } from '../test/support/smtp-sink.js';
import { startTestApp, type TestApp } from '../test/support/test-app.js';
import { ensureTemplate } from './template-database.js';

/** Rounds of part 1 (each: five 1-contact requests, one of 50, one of 500). */
const REQUEST_ROUNDS = 7;
/**
 * Rounds of part 2. A delivery round's ratio moves by ±20 % on the 2-core
 * VM: the 35 rounds of five runs on 2026-12-05 spread from 0.52 to 0.98
 * around a median of 0.75 (standard deviation about 0.09). The median of
 * seven rounds then moves by about ±0.04 from run to run, enough for about
 * one run in eight to read below 0.7 on a machine whose median is above it;
 * fifteen rounds (about 30 s) narrow that to about ±0.03.
 */
const DELIVERY_ROUNDS = 15;
const BATCH = MAX_INVITATIONS_PER_REQUEST;
const MEDIUM_BATCH = 50;
/** 1-contact requests per round; their median is the round's baseline. */
const SINGLES = 5;
/** Size of the warm-up delivery of each path (JIT, connections, first mail as the baseline's content). */
const WARM_UP = BATCH;
const MB = 1024 * 1024;

interface RequestSample {
  ms: number;
  statements: number;
  allocatedMb: number;
  heapPeakMb: number;
  rssPeakMb: number;
}

/** Part 1's round: the median 1-contact request, and one of 50 and of 500. */
interface RequestRound {
  single: RequestSample;
  medium: RequestSample;
  batch: RequestSample;
}

/** Part 2's round: the same 500 mails through each path. */
interface DeliveryRound {
  pipelineMs: number;
  directMs: number;
}

const gc = exposedGc();

await ensureTemplate(progress);
const sink = await new SmtpSink().start();
/**
 * The product's settings where the test app narrows them: the database pool
 * (the test app's 5 keep many test files under PostgreSQL's connection
 * limit). The relay runs at its default interval too: the commit nudges it,
 * and until 2026-12-05 the bench's 100 ms made both relays poll ten times as
 * often as a deployment does (about 100 of the 200 statements of a delivery
 * round, and a planning round every 6 s instead of every minute).
 */
const PRODUCT = new AppConfig();
const t = await startTestApp({
  config: {
    SMTP_URL: sink.url,
    DATABASE_POOL_SIZE: PRODUCT.DATABASE_POOL_SIZE,
    // The bench sends a few thousand mails for one agency within minutes.
    NOTIFICATION_SEND_CAP_PER_HOUR: 1_000_000,
  },
});
try {
  const statements = countStatements(t);
  const agency = await signUpAgency(t);
  const contacts = await addContacts(t, agency, SINGLES + MEDIUM_BATCH + BATCH);
  const singles = contacts.slice(0, SINGLES);
  const medium = contacts.slice(SINGLES, SINGLES + MEDIUM_BATCH);
  const batch = contacts.slice(SINGLES + MEDIUM_BATCH);

  const invite = async (tripId: string, invitees: InvitedContact[]) => {
    const response = await t
      .http()
      .post(`/api/v1/trips/${tripId}/invitations`)
      .set(bearer(agency.owner.accessToken))
      .send({ contactIds: invitees.map((contact) => contact.id) })
      .expect(200);
    const { invited } = response.body as { invited: number };
    if (invited !== invitees.length) throw new Error(`invited ${invited} of ${invitees.length}`);
  };
  const measureInvite = (tripId: string, invitees: InvitedContact[]) =>
    measure(statements, () => invite(tripId, invitees));

  progress('warming up');
  const warmUpTrip = await openTrip(t, agency);
  await invite(warmUpTrip.id, singles);
  await invite(warmUpTrip.id, medium);

  const requests: RequestRound[] = [];
  for (let round = 1; round <= REQUEST_ROUNDS; round++) {
    progress(`invitation requests, round ${round}/${REQUEST_ROUNDS}`);
    const trip = await openTrip(t, agency);
    const ones: RequestSample[] = [];
    for (const contact of singles) ones.push(await measureInvite(trip.id, [contact]));
    requests.push({
      single: medianSample(ones),
      medium: await measureInvite(trip.id, medium),
      batch: await measureInvite(trip.id, batch),
    });
  }

  // Part 1 wrote outbox rows that nobody is meant to receive; only part 2's may reach the sink.
  await t.dataSource.query(
    `UPDATE notifications SET status = 'cancelled' WHERE status = 'scheduled'`,
  );
  await t.startWorker();
  // The baseline: raw pooled nodemailer, as the issue describes it (MailTransport pools the same way).
  const transport = createTransport({
    url: sink.url,
    pool: true,
    maxConnections: t.config.WORKER_CONCURRENCY,
  });
  const deliver = async (tripId: string, invitees: InvitedContact[]) => {
    const started = performance.now();
    await invite(tripId, invitees);
    const mails = await untilReceived(sink, invitees.length);
    const ms = performance.now() - started;
    // The worker records `sent` just after the sink's answer; let it finish before the next phase.
    await eventually(
      async () => (await sentCount(t, tripId)) === invitees.length,
      30_000,
      'messages recorded as sent',
    );
    return { ms, mails };
  };
  const sendDirectly = async (mail: ParsedMail, invitees: InvitedContact[]) => {
    const from = mail.from?.value[0];
    const messageHeader = mail.headers.get('x-delegation-desk-message');
    const started = performance.now();
    await inParallel(invitees, t.config.WORKER_CONCURRENCY, (contact) =>
      transport.sendMail({
        from: { name: from?.name ?? '', address: from?.address ?? t.config.MAIL_FROM },
        to: contact.email,
        subject: mail.subject ?? '',
        text: mail.text ?? '',
        html: mail.html || undefined,
        headers:
          typeof messageHeader === 'string' ? { 'X-Delegation-Desk-Message': messageHeader } : {},
      }),
    );
    await untilReceived(sink, invitees.length);
    return performance.now() - started;
  };

  progress('warming up delivery');
  const warmUp = await deliver((await openTrip(t, agency)).id, batch.slice(0, WARM_UP));
  const invitationMail = warmUp.mails[0];
  if (!invitationMail) throw new Error('no invitation mail reached the sink');
  await sendDirectly(invitationMail, batch.slice(0, WARM_UP));

  const deliveries: DeliveryRound[] = [];
  for (let index = 0; index < DELIVERY_ROUNDS; index++) {
    progress(`delivery, round ${index + 1}/${DELIVERY_ROUNDS}`);
    const trip = await openTrip(t, agency);
    const paths = {
      pipelineMs: async () => (await deliver(trip.id, batch)).ms,
      directMs: () => sendDirectly(invitationMail, batch),
    };
    const order =
      index % 2 === 0
        ? (['pipelineMs', 'directMs'] as const)
        : (['directMs', 'pipelineMs'] as const);
    const times = { pipelineMs: 0, directMs: 0 };
    for (const path of order) times[path] = await paths[path]();
    deliveries.push(times);
  }
  transport.close();
  report(requests, deliveries, t.config.WORKER_CONCURRENCY);
} finally {
  await t.close();
  await sink.stop();
}

function exposedGc(): NodeJS.GCFunction {
  if (!globalThis.gc) throw new Error('Run with node --expose-gc (npm run bench does).');
  return globalThis.gc;
}

/** Counts the SQL statements the API's DataSource runs, through a TypeORM subscriber. */
function countStatements(app: TestApp): { value: number } {
  const counter = { value: 0 };
  app.dataSource.subscribers.push({
    beforeQuery: () => {
      counter.value++;
    },
  });
  return counter;
}

/** Time, SQL statements and memory of one call, starting from a collected heap. */
async function measure(
  statements: { value: number },
  run: () => Promise<void>,
): Promise<RequestSample> {
  gc();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 1);
  const profiler = new GCProfiler();
  profiler.start();
  const firstStatement = statements.value;
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  const count = statements.value - firstStatement;
  const gcs = profiler.stop().statistics;
  clearInterval(sampler);
  const after = process.memoryUsage();
  // Used heap only shrinks in a GC: its peak is just before one of them, or now.
  const heapPeak = Math.max(
    after.heapUsed,
    ...gcs.map((event) => event.beforeGC.heapStatistics.usedHeapSize),
  );
  const freed = gcs.reduce(
    (sum, event) =>
      sum + event.beforeGC.heapStatistics.usedHeapSize - event.afterGC.heapStatistics.usedHeapSize,
    0,
  );
  return {
    ms,
    statements: count,
    allocatedMb: (after.heapUsed - before.heapUsed + freed) / MB,
    heapPeakMb: (heapPeak - before.heapUsed) / MB,
    rssPeakMb: (Math.max(rssPeak, after.rss) - before.rss) / MB,
  };
}

/** Resolves with the sink's mails once it holds `count`, leaving it empty for the next phase. */
async function untilReceived(smtp: SmtpSink, count: number): Promise<ParsedMail[]> {
  const deadline = Date.now() + 60_000;
  while (smtp.messages.length < count) {
    if (Date.now() > deadline)
      throw new Error(`the sink received ${smtp.messages.length} of ${count} mails in 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return smtp.messages.splice(0);
}

async function sentCount(app: TestApp, tripId: string): Promise<number> {
  const [row] = await app.dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM notifications WHERE trip_id = $1 AND status = 'sent'`,
    [tripId],
  );
  return row?.n ?? 0;
}

/** Runs `task` for every item, at most `concurrency` at once (as the worker does). */
async function inParallel<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

function report(requests: RequestRound[], deliveries: DeliveryRound[], concurrency: number): void {
  const sizes = [
    ['1 (baseline)', requests.map((round) => round.single)],
    [String(MEDIUM_BATCH), requests.map((round) => round.medium)],
    [String(BATCH), requests.map((round) => round.batch)],
  ] as const;
  const statementCounts = sizes.map(([, samples]) => median(samples.map((s) => s.statements)));
  const lines = [
    '',
    `Messaging pipeline: medians of ${REQUEST_ROUNDS} rounds (part 1) and ` +
      `${DELIVERY_ROUNDS} rounds (part 2); ratios against a baseline from the same round`,
    '',
    '1 and 3. POST /trips/{id}/invitations: time, SQL statements, memory',
    table(
      ['contacts', 'time ms', 'SQL statements', 'heap allocated MB', 'heap peak MB', 'RSS peak MB'],
      sizes.map(([label, samples]) => [
        label,
        median(samples.map((s) => s.ms)).toFixed(1),
        String(median(samples.map((s) => s.statements))),
        median(samples.map((s) => s.allocatedMb)).toFixed(2),
        median(samples.map((s) => s.heapPeakMb)).toFixed(2),
        median(samples.map((s) => s.rssPeakMb)).toFixed(2),
      ]),
    ),
    ratioLine(
      `time(${BATCH}) / time(1)`,
      requests.map((round) => round.batch.ms / round.single.ms),
      `(per-contact work would approach ${BATCH}×)`,
    ),
    `  cost per extra contact: ${median(
      requests.map((round) => (round.batch.ms - round.single.ms) / (BATCH - 1)),
    ).toFixed(3)} ms`,
    `  SQL statements per request constant (1, ${MEDIUM_BATCH}, ${BATCH}): ${
      new Set(statementCounts).size === 1 ? 'yes' : 'NO'
    } (${statementCounts.join(', ')})`,
    ratioLine(
      `heap allocated(${BATCH}) / allocated(1)`,
      requests.map((round) => round.batch.allocatedMb / round.single.allocatedMb),
    ),
    '',
    `2. Delivery of ${BATCH} invitations to the SMTP sink, ${concurrency} at once`,
    table(
      ['path', 'time ms', 'mails/s', 'mails/s by round'],
      [
        deliveryRow(
          'pipeline: POST, outbox, relay, BullMQ, render, SMTP',
          deliveries.map((round) => round.pipelineMs),
        ),
        deliveryRow(
          'baseline: pooled nodemailer sends of the same mail',
          deliveries.map((round) => round.directMs),
        ),
      ],
    ),
    ratioLine(
      'rate: pipeline mails/s ÷ baseline mails/s',
      deliveries.map((round) => round.directMs / round.pipelineMs),
      '(1× = the pipeline costs nothing on top of SMTP; goal ≥ 0.7×)',
    ),
    ratioLine(
      'time: pipeline / baseline',
      deliveries.map((round) => round.pipelineMs / round.directMs),
    ),
    `  extra time per mail: ${median(
      deliveries.map((round) => (round.pipelineMs - round.directMs) / BATCH),
    ).toFixed(1)} ms of wall clock (${concurrency} at once)`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

function deliveryRow(label: string, times: number[]): string[] {
  const rate = (ms: number) => ((BATCH / ms) * 1000).toFixed(0);
  const ms = median(times);
  return [label, ms.toFixed(0), rate(ms), times.map(rate).join(', ')];
}

function ratioLine(label: string, ratios: number[], note = ''): string {
  const each = ratios.map((ratio) => ratio.toFixed(2)).join(', ');
  return `  ${label}: ${median(ratios).toFixed(2)}× (rounds: ${each}) ${note}`.trimEnd();
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]),
      )
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function medianSample(samples: RequestSample[]): RequestSample {
  const key = (name: keyof RequestSample) => median(samples.map((sample) => sample[name]));
  return {
    ms: key('ms'),
    statements: key('statements'),
    allocatedMb: key('allocatedMb'),
    heapPeakMb: key('heapPeakMb'),
    rssPeakMb: key('rssPeakMb'),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function progress(step: string): void {
  process.stderr.write(`bench: ${step}\n`);
}
