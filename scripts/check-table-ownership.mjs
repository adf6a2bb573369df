#!/usr/bin/env node
// Each table is written only by the module whose entity declares it (part of `npm run check`).
// Finds INSERT / UPDATE / DELETE in SQL text and TypeORM writes (`.update(Entity`, `save(Entity`,
// `.into(Entity)`, ...) in src/, and fails on a write to another module's table that is not listed
// in KNOWN below — and on a listed one that no longer happens, so the list only ever shrinks.
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

const found = new Map(); // file → Set(table)
for (const { file, text } of sources) {
  const tables = new Set();
  for (const match of text.matchAll(SQL_WRITE))
    if (ownerOfTable.has(match[1])) tables.add(match[1]);
  for (const match of text.matchAll(ORM_WRITE)) {
    const table = tableOfEntity.get(match[1]);
    // Approximate: `.create(Entity` counts (it builds a row to save), and so does `.from(Entity)`,
    // which is a write in a delete query; a write through `save(instance)` is not seen.
    if (table) tables.add(table);
  }
  const foreign = [...tables].filter((table) => ownerOfTable.get(table) !== moduleOf(file));
  if (foreign.length > 0) found.set(relative(SRC, file).split(sep).join('/'), new Set(foreign));
}

const problems = [];
for (const [file, tables] of found) {
  for (const table of tables) {
    if (KNOWN[file]?.includes(table)) continue;
    problems.push(`src/${file} writes ${table}, which ${ownerOfTable.get(table)}/ owns`);
  }
}
for (const [file, tables] of Object.entries(KNOWN)) {
  for (const table of tables) {
    if (!found.get(file)?.has(table)) {
      problems.push(`KNOWN lists src/${file} writing ${table}, which it no longer does: remove it`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Table ownership (scripts/check-table-ownership.mjs):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
