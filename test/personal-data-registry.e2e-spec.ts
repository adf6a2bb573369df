import { PersonalData } from '../src/common/personal-data/personal-data.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Column types that can hold what someone wrote about a person. */
const TEXT_TYPES = [
  'text',
  'character varying',
  'character',
  'USER-DEFINED',
  'jsonb',
  'bytea',
  'ARRAY',
];

/**
 * Every module that stores data says, for each text column of its tables,
 * whether it is personal data (then it registers how to export and erase
 * it) or not. A table or column added without saying so fails here, so a
 * new module cannot hold personal data the rights do not cover.
 */
describe('every text column of the schema is declared personal or not', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t.close());

  it('no text column is undeclared, none declared twice, none declared that does not exist', async () => {
    const columns = await t.dataSource.query<{ name: string }[]>(
      `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'migrations' AND data_type = ANY($1)
        ORDER BY 1`,
      [TEXT_TYPES],
    );
    const declared = new Map<string, string[]>();
    for (const holder of t.app.get(PersonalData).holders()) {
      for (const [kind, byTable] of [
        ['personal', holder.personal],
        ['not personal', holder.notPersonal],
      ] as const) {
        for (const [table, names] of Object.entries(byTable)) {
          for (const name of names) {
            const column = `${table}.${name}`;
            declared.set(column, [...(declared.get(column) ?? []), `${holder.module} (${kind})`]);
          }
        }
      }
    }
    const inSchema = columns.map((column) => column.name);
    expect(inSchema.filter((column) => !declared.has(column))).toEqual([]);
    expect([...declared].filter(([, by]) => by.length > 1)).toEqual([]);
    expect([...declared.keys()].filter((column) => !inSchema.includes(column))).toEqual([]);
  });

  it('the modules holding a person’s data can export and erase it', () => {
    const holders = t.app.get(PersonalData).holders();
    const withPersonal = holders.filter((holder) => Object.keys(holder.personal).length > 0);
    // Staff (identity) are not contacts: the contact rights do not reach them.
    expect(
      withPersonal
        .filter((holder) => holder.module !== 'identity' && !holder.export && !holder.erase)
        .map((holder) => holder.module),
    ).toEqual([]);
    expect(holders.map((holder) => holder.module).sort()).toEqual([
      'agreements',
      'announcements',
      'audit',
      'directory',
      'idempotency',
      'identity',
      'invitations',
      'notifications',
      'participants',
      'programme',
      'trips',
      'webhooks',
    ]);
  });
});
