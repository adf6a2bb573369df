import type { EntityMetadata } from 'typeorm';

/**
 * An entity's columns as a SQL select list aliased to its property names
 * (`t.start_date::text AS "startDate"`), for hot reads written as plain SQL
 * (issue 21): built once from TypeORM's metadata, so it follows the entity,
 * and read as TypeORM would hydrate it. `date` columns are cast to text (pg
 * would make a local-midnight Date of them; TypeORM gives 'YYYY-MM-DD');
 * everything else is as pg parses it (timestamptz a Date, or ISO 8601 text
 * with WIRE_TYPES; arrays arrays).
 * Columns the entity does not select by default are left out; a column with
 * a transformer cannot be read this way.
 */
export function selectColumns(metadata: EntityMetadata, alias: string): string {
  return metadata.columns
    .filter((column) => column.isSelect)
    .map((column) => {
      if (column.transformer) {
        throw new Error(
          `${metadata.name}.${column.propertyPath} has a transformer: read it with TypeORM`,
        );
      }
      const value = `${alias}.${column.databaseName}`;
      const read = column.type === 'date' ? `${value}::text` : value;
      return `${read} AS "${column.propertyPath}"`;
    })
    .join(', ');
}
