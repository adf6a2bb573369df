#!/usr/bin/env node
// Each table is written only by the module whose entity declares it, and read by other modules
// only in read models (part of `npm run check`).
// Writes: INSERT / UPDATE / DELETE in SQL text and TypeORM writes (`.update(Entity`,
// `save(Entity`, `.into(Entity)`, ...) in src/; one to another module's table fails unless listed
// in KNOWN below.
// Reads: `FROM` / `JOIN` in SQL text and TypeORM reads (`.find(Entity`, `.getRepository(Entity)`,
// `.createQueryBuilder(Entity`, ...); one of another module's table fails outside intention-named
// repository methods (`*.repository.ts`), message kinds (`*.messages.ts`: what a message says),
// personal-data declarations (`*.personal-data.ts`) and the READ_MODELS listed below.
// A listed exception that no longer happens fails too, so both lists only ever shrink.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const SRC = join(ROOT, 'src');

/**
 * Writes across module lines that exist today, each with why, until the change seam of issue 14
 * gives the owning module a call for it. `file` → tables it may write although another module
 * owns them.
 */
const KNOWN = {
  // The demo seeds through services, except the demo owner's fresh password.
  'modules/demo/seed-demo.command.ts': ['users'],
};

/** Files whose reads of other modules' tables are their purpose, whatever module they are in. */
const READERS = /\.(?:repository|messages|personal-data)\.ts$/;

/**
 * Reads of other modules' tables outside READERS, each with why. `file` → tables it may read
 * although another module owns them.
 */
const READ_MODELS = {
  // The delegation list and its export: a participant's contact, organisation, trip and agency.
  'modules/participants/delegation-list.ts': [
    'trips',
    'tenants',
    'contacts',
    'partner_organisations',
  ],
  // A trip's view in one statement (issue 21): its participant figures and agreement counts.
  'modules/trips/trip-reads.ts': ['trip_participant_counts', 'agreements'],
  // The delegation list in one statement: its trip (404) and the organisation filters.
  'modules/participants/participant-reads.ts': ['trips', 'partner_organisations'],
  // Writes each message in its recipient's language, read in the same statement.
  'modules/notifications/outbox.ts': ['tenants', 'contacts', 'users'],
  // The rows behind report figures (people and organisations reached), as subqueries the
  // directory's list filters embed so that a report's list links show what it counted.
  'modules/reports/reach.ts': [
    'participants',
    'meetings',
    'meeting_organisations',
    'trips',
    'tenants',
  ],
  // Counts participants with their trip's end and the agency's passport margin.
  'modules/participants/trip-counts.ts': ['trips', 'tenants'],
  // The demo seeds through services and reads back what it seeded: the agency and its records.
  'modules/demo/seed-demo.command.ts': [
    'tenants',
    'users',
    'partner_organisations',
    'contacts',
    'trips',
    'stations',
  ],
  // The demo seeds through services and reads back what it seeded: the open trip's delegation.
  'modules/demo/open-trip.seeder.ts': [
    'tenants',
    'invitations',
    'participants',
    'travel_documents',
  ],
  // The Prometheus scrape reads the outbox backlog.
  'modules/metrics/metrics.service.ts': ['notifications'],
};

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `modules/trips/x.ts` → `trips`; `common/idempotency/x.ts` → `common`; others by first folder. */
function moduleOf(file) {
  const parts = relative(SRC, file).split(sep);
  return parts[0] === 'modules' ? parts[1] : parts[0];
}

const sources = files(SRC).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

const ownerOfTable = new Map();
const tableOfEntity = new Map();
for (const { file, text } of sources) {
  for (const match of text.matchAll(/@Entity\('(\w+)'\)[\s\S]*?export class (\w+)/g)) {
    ownerOfTable.set(match[1], moduleOf(file));
    tableOfEntity.set(match[2], match[1]);
  }
}

const SQL_WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_]+)"?/g;
const ORM_WRITE =
  /\.(?:create|update|delete|insert|save|remove|softDelete|increment|decrement|upsert|into|from)\(\s*(\w+)\b/g;
// `FROM a x, b y` names both; a table joined in a TypeORM query builder counts as read.
const SQL_READ = /\b(?:FROM|JOIN)\s+((?:"?[a-z_]+"?(?:\s+(?:AS\s+)?[a-z_]+)?\s*,\s*)*"?[a-z_]+)/g;
const ORM_READ =
  /\.(?:find|findBy|findOne|findOneBy|findOneOrFail|findOneByOrFail|findAndCount|findAndCountBy|count|countBy|exists|existsBy|sum|average|minimum|maximum|getRepository|createQueryBuilder|(?:inner|left)Join(?:AndSelect)?)\(\s*(\w+)\b/g;

/** `file` → tables of other modules it names in `sql` (SQL text) or `orm` (entity classes). */
function crossings(sql, orm, tablesIn = (match) => [match[1]]) {
  const found = new Map();
  for (const { file, text } of sources) {
    const tables = new Set();
    for (const match of text.matchAll(sql)) {
      for (const table of tablesIn(match)) if (ownerOfTable.has(table)) tables.add(table);
    }
    for (const match of text.matchAll(orm)) {
      const table = tableOfEntity.get(match[1]);
      if (table) tables.add(table);
    }
    const foreign = [...tables].filter((table) => ownerOfTable.get(table) !== moduleOf(file));
    if (foreign.length > 0) found.set(relative(SRC, file).split(sep).join('/'), new Set(foreign));
  }
  return found;
}

/** What `found` has beyond `listed`, and what `listed` names that `found` no longer has. */
function problemsOf(found, listed, { verb, doing, list }) {
  const problems = [];
  for (const [file, tables] of found) {
    for (const table of tables) {
      if (listed[file]?.includes(table)) continue;
      problems.push(`src/${file} ${verb} ${table}, which ${ownerOfTable.get(table)}/ owns`);
    }
  }
  for (const [file, tables] of Object.entries(listed)) {
    for (const table of tables) {
      if (!found.get(file)?.has(table)) {
        problems.push(
          `${list} lists src/${file} ${doing} ${table}, which it no longer does: remove it`,
        );
      }
    }
  }
  return problems;
}

// Approximate: `.create(Entity` counts (it builds a row to save), and so does `.from(Entity)`,
// which is a write in a delete query; a write through `save(instance)` is not seen.
const writes = crossings(SQL_WRITE, ORM_WRITE);
const reads = crossings(SQL_READ, ORM_READ, (match) =>
  match[1].split(',').map((item) => item.trim().split(/\s+/)[0].replaceAll('"', '')),
);
for (const file of reads.keys()) if (READERS.test(file)) reads.delete(file);

const problems = [
  ...problemsOf(writes, KNOWN, { verb: 'writes', doing: 'writing', list: 'KNOWN' }),
  ...problemsOf(reads, READ_MODELS, { verb: 'reads', doing: 'reading', list: 'READ_MODELS' }),
];

if (problems.length > 0) {
  console.error(`Table ownership (scripts/check-table-ownership.mjs):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
