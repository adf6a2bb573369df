import { IdempotencyKey } from '../src/common/idempotency/idempotency-key.entity.js';
import { keysetPage, PageQueryDto } from '../src/common/pagination/pagination.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** keysetPage() against real PostgreSQL, on a real table with a composite primary key. */
describe('keyset pagination', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const insert = (keys: string[]) =>
    t.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, expires_at)
       SELECT 'pager', k, 'h', now() + interval '1 day' FROM unnest($1::text[]) AS k`,
      [keys],
    );

  const page = (cursor?: string, limit = 20) =>
    keysetPage(
      t.dataSource
        .getRepository(IdempotencyKey)
        .createQueryBuilder('k')
        .where('k.scope = :scope', { scope: 'pager' }),
      {
        keys: [
          { column: 'k.scope', property: 'scope' },
          { column: 'k.key', property: 'key' },
        ],
        direction: 'ASC',
        query: Object.assign(new PageQueryDto(), { limit, cursor }),
      },
    );

  it('walks every row exactly once while rows are inserted between pages', async () => {
    const initial = Array.from({ length: 95 }, (_, i) => `k${String(i * 2).padStart(4, '0')}`);
    await insert(initial);

    const seen: string[] = [];
    const insertedAhead: string[] = [];
    const insertedBehind: string[] = [];
    let cursor: string | undefined;
    let round = 0;
    do {
      const result = await page(cursor);
      seen.push(...result.items.map((item) => item.key));
      cursor = result.nextCursor ?? undefined;
      // Rows behind the cursor must not reappear; rows ahead of it must show up.
      if (cursor) {
        const behind = `k${String(round * 2 + 1).padStart(4, '0')}`;
        const ahead = `k${String(180 + round * 2 + 1).padStart(4, '0')}`;
        await insert([behind, ahead]);
        insertedBehind.push(behind);
        insertedAhead.push(ahead);
      }
      round++;
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    for (const key of [...initial, ...insertedAhead]) expect(seen).toContain(key);
    for (const key of insertedBehind) expect(seen).not.toContain(key);
    expect(seen).toHaveLength(initial.length + insertedAhead.length);
  });

  it('returns { items, nextCursor: null } on the last page', async () => {
    const all = await page(undefined, 200);
    expect(all.nextCursor).toBeNull();
    expect(all.items.length).toBeGreaterThan(95);
  });
});
