import type { CustomTypesConfig, Pool, QueryResult } from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';

/**
 * The hottest statements (issue 21: a trip, the trips page, the delegation
 * list, and the mail worker's claim and outcome of a message) as named
 * prepared statements, run straight on TypeORM's connection pool.
 * PostgreSQL parses and plans such a statement once per connection instead
 * of on every request (for the trip read that is about 60 % of the
 * database's time per request), and the request skips TypeORM's query runner.
 *
 * A statement's name stands for its text: the first text seen gets
 * `dd_1`, the next `dd_2`, and so on. Texts are built from code (values are
 * always parameters), so there are few of them; past MAX_NAMED the rest run
 * unnamed rather than grow the map or every connection's statement cache.
 *
 * Only for single statements that stand on their own, never for anything
 * that must run in a transaction: the statement takes whichever pooled
 * connection is free (a write commits at once). A migration that
 * changes the result columns of a prepared statement makes PostgreSQL refuse
 * it on connections that prepared it before ("cached plan must not change
 * result type") until the API restarts, which deploys do anyway.
 */
const MAX_NAMED = 500;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known || names.size >= MAX_NAMED) return known;
  const name = `dd_${names.size + 1}`;
  names.set(text, name);
  return name;
}

/**
 * Rows of `text` with `values`, as a named prepared statement on
 * `dataSource`'s pool; with `types`, parsed by those parsers (see WIRE_TYPES).
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  text: string,
  values: unknown[],
  types?: CustomTypesConfig,
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  try {
    const result: QueryResult = await pool.query({ name: nameOf(text), text, values, types });
    return result.rows as T[];
  } catch (error) {
    // As TypeORM reports a failed query, so the same error mapping applies.
    throw new QueryFailedError(text, values, error as Error);
  }
}
