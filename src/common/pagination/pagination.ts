import { applyDecorators, type Type as ClassType } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Brackets, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { isDataException } from '../../database/errors.js';
import { ValidationFailed } from '../problem/domain-error.js';

export const MAX_PAGE_SIZE = 200;

export class PageQueryDto {
  /** Items per page. */
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: 50,
    type: 'integer',
    description: 'Items per page.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  /** Opaque cursor: the `nextCursor` of the previous page. */
  @ApiPropertyOptional({
    maxLength: 1024,
    type: String,
    description: 'Opaque cursor: the `nextCursor` of the previous page.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface KeysetKey<E> {
  /** SQL expression to sort on, e.g. `trip.start_date`. */
  column: string;
  /** Entity property holding that value. Timestamps must be `timestamptz(3)`: JS dates keep milliseconds only. */
  property: keyof E & string;
}

export interface KeysetOptions<E> {
  /** Sort keys, most significant first; the last must be unique (the id). */
  keys: KeysetKey<E>[];
  direction: 'ASC' | 'DESC';
  query: PageQueryDto;
}

/** Adds the cursor's condition and the order to `builder`; answers the sort the cursor names. */
function seek<E extends ObjectLiteral>(
  builder: SelectQueryBuilder<E>,
  { keys, direction, query }: KeysetOptions<E>,
): string {
  const sort = `${keys.map((key) => key.property).join(',')}:${direction}`;
  if (query.cursor) {
    const values = decodeCursor(query.cursor, sort, keys.length);
    const params = Object.fromEntries(values.map((value, index) => [`cursor${index}`, value]));
    const columns = keys.map((key) => key.column).join(', ');
    const placeholders = keys.map((_, index) => `:cursor${index}`).join(', ');
    builder.andWhere(
      new Brackets((where) =>
        where.where(`(${columns}) ${direction === 'DESC' ? '<' : '>'} (${placeholders})`, params),
      ),
    );
  }
  keys.forEach((key, index) =>
    index === 0
      ? builder.orderBy(key.column, direction)
      : builder.addOrderBy(key.column, direction),
  );
  return sort;
}

/**
 * Keyset ("seek") pagination: `WHERE (k1, k2) < (:v1, :v2) ORDER BY k1, k2
 * LIMIT n+1`. Stable while rows are inserted, and served by a composite index
 * on the same keys. The cursor names its sort, so a cursor from another
 * listing is refused rather than silently misread.
 */
export async function keysetPage<E extends ObjectLiteral>(
  builder: SelectQueryBuilder<E>,
  { keys, direction, query }: KeysetOptions<E>,
): Promise<Page<E>> {
  const sort = seek(builder, { keys, direction, query });
  const rows = await builder
    .take(undefined)
    .limit(query.limit + 1)
    .getMany()
    .catch((error: unknown) => {
      // A hand-made cursor can carry values of the wrong type for its keys.
      if (query.cursor && isDataException(error)) throw notACursor();
      throw error;
    });
  return pageOf(rows, sort, keys, query.limit);
}

/**
 * `keysetPage` for a read written as plain SQL (a hot read, issue 21):
 * `select` is the statement up to its WHERE, `where` the conditions and
 * `params` their `$n` values; the cursor's condition, the order and the
 * limit are added here. Cursors are the same as `keysetPage`'s.
 */
export async function keysetPageSql<T extends ObjectLiteral>(
  run: (sql: string, params: unknown[]) => Promise<T[]>,
  statement: { select: string; where: string[]; params: unknown[] },
  { keys, direction, query }: KeysetOptions<T>,
): Promise<Page<T>> {
  const sort = `${keys.map((key) => key.property).join(',')}:${direction}`;
  const where = [...statement.where];
  const params = [...statement.params];
  const columns = keys.map((key) => key.column).join(', ');
  if (query.cursor) {
    const values = decodeCursor(query.cursor, sort, keys.length);
    const placeholders = values.map((value) => `$${params.push(value)}`).join(', ');
    where.push(`(${columns}) ${direction === 'DESC' ? '<' : '>'} (${placeholders})`);
  }
  const sql =
    `${statement.select} WHERE ${where.join(' AND ')}` +
    ` ORDER BY ${keys.map((key) => `${key.column} ${direction}`).join(', ')}` +
    ` LIMIT $${params.push(query.limit + 1)}`;
  const rows = await run(sql, params).catch((error: unknown) => {
    if (query.cursor && isDataException(error)) throw notACursor();
    throw error;
  });
  return pageOf(rows, sort, keys, query.limit);
}

/** The first `limit` rows, and a cursor after the last of them when there are more. */
function pageOf<E extends ObjectLiteral>(
  rows: E[],
  sort: string,
  keys: KeysetKey<E>[],
  limit: number,
): Page<E> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(
          sort,
          keys.map((key) => cursorValue(last[key.property])),
        )
      : null;
  return { items, nextCursor };
}

function cursorValue(value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`Cannot page on a ${typeof value} key`);
}

export function encodeCursor(sort: string, values: (string | number)[]): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values })).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, length: number): (string | number)[] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      s?: unknown;
      v?: unknown;
    };
    const values = decoded.v;
    if (
      decoded.s === sort &&
      Array.isArray(values) &&
      values.length === length &&
      values.every((value) => typeof value === 'string' || typeof value === 'number')
    ) {
      return values;
    }
  } catch {
    // fall through to the validation error below
  }
  throw notACursor();
}

const notACursor = () =>
  new ValidationFailed([{ field: 'cursor', message: 'is not a cursor from this listing' }]);

/** Documents a `{ items: Item[], nextCursor }` response. */
export function ApiPageResponse(item: ClassType<unknown>, description = 'One page of results.') {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: {
            type: 'string',
            nullable: true,
            description: 'Pass as `cursor` for the next page; null on the last page.',
          },
        },
      },
    }),
  );
}

/**
 * `keysetPage` for a builder that selects more than its entity (issue 21):
 * an aggregate or a JSON document as a subquery beside each row (`addSelect`),
 * read in the same statement. Each item is the entity with the raw row it
 * was read from. The builder must not join (one raw row per entity).
 */
export async function keysetPageWithRaw<E extends ObjectLiteral>(
  builder: SelectQueryBuilder<E>,
  { keys, direction, query }: KeysetOptions<E>,
): Promise<Page<{ entity: E; raw: Record<string, unknown> }>> {
  const sort = seek(builder, { keys, direction, query });
  const { entities, raw } = await builder
    .take(undefined)
    .limit(query.limit + 1)
    .getRawAndEntities()
    .catch((error: unknown) => {
      if (query.cursor && isDataException(error)) throw notACursor();
      throw error;
    });
  const rawOf = new Map(
    entities.map((entity, index) => [entity, raw[index] as Record<string, unknown>]),
  );
  const page = pageOf(entities, sort, keys, query.limit);
  return {
    items: page.items.map((entity) => ({ entity, raw: rawOf.get(entity)! })),
    nextCursor: page.nextCursor,
  };
}

/**
 * The `run` of a `keysetPageSql` for the rows of one parent (a trip's
 * meetings, an endpoint's deliveries; issue 21): the page is joined to the
 * parent's row (`parent`: its table with an alias, and the condition that
 * finds it, on the page's own parameters), so one statement also tells an
 * unknown parent (`missing()` is thrown: no row at all) from an empty page
 * (one row of nulls).
 */
export function inParent<T extends ObjectLiteral>(
  run: (sql: string, params: unknown[]) => Promise<T[]>,
  parent: { from: string; where: string },
  { keys, direction }: Pick<KeysetOptions<T>, 'keys' | 'direction'>,
  missing: () => Error,
): (sql: string, params: unknown[]) => Promise<T[]> {
  const order = keys.map((key) => `page."${key.property}" ${direction}`).join(', ');
  const unique = keys.at(-1)!.property;
  return async (pageSql, params) => {
    const rows = await run(
      `SELECT page.* FROM ${parent.from} LEFT JOIN LATERAL (${pageSql}) page ON true
        WHERE ${parent.where} ORDER BY ${order}`,
      params,
    );
    if (rows.length === 0) throw missing();
    return rows[0][unique] === null ? [] : rows;
  };
}
