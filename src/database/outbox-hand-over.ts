import type { DataSource } from 'typeorm';

/** Which rows of an outbox table a hand-over takes, and how it marks them. */
export interface HandOverRows {
  table: string;
  /** The condition of the rows to take; may use `params`. */
  where: string;
  params: unknown[];
  /** Which go first when more than `limit` are there (`ORDER BY …`), or ''. */
  order: string;
  /** The SET list that marks them handed over. */
  set: string;
  /** What `enqueue` gets of each (a RETURNING list). */
  returning: string;
}

/**
 * Hands up to `limit` rows of an outbox to the queue (RelayRounds) in one
 * transaction: takes them (FOR UPDATE SKIP LOCKED, so relays side by side
 * never take the same) and marks them in one statement, then runs `enqueue`
 * with them and commits. If `enqueue` fails (Redis down) the transaction
 * rolls back and nothing changes. Marking before enqueueing leaves only the
 * COMMIT between a job reaching Redis and its rows being free for the worker
 * that claims them; their order within one hand-over is the database's.
 * Most rounds find nothing: one statement says so first, without a
 * transaction around it. Returns how many.
 */
export async function handOverRows<Row>(
  dataSource: DataSource,
  rows: HandOverRows,
  limit: number,
  enqueue: (rows: Row[]) => Promise<void>,
): Promise<number> {
  const { table, where, params, order, set, returning } = rows;
  const [{ any }] = await dataSource.query<[{ any: boolean }]>(
    `SELECT EXISTS (SELECT FROM ${table} WHERE ${where}) AS any`,
    params,
  );
  if (!any) return 0;
  return dataSource.transaction(async (manager) => {
    const [taken] = await manager.query<[Row[], number]>(
      `UPDATE ${table} SET ${set}
        WHERE id IN (SELECT id FROM ${table} WHERE ${where} ${order}
                      LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING ${returning}`,
      params,
    );
    if (taken.length === 0) return 0;
    await enqueue(taken);
    return taken.length;
  });
}
