import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Zones stored under the legacy names Intl returns (CLDR keeps them): each
 * renamed to the name today's IANA database uses, as the API now stores
 * them. The list is what `currentTimezoneName()` maps on Node 20 (ICU 78),
 * fixed here so that this migration means the same thing on every machine.
 */
const RENAMED: [legacy: string, current: string][] = [
  ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
  ['America/Catamarca', 'America/Argentina/Catamarca'],
  ['America/Cordoba', 'America/Argentina/Cordoba'],
  ['America/Godthab', 'America/Nuuk'],
  ['America/Indianapolis', 'America/Indiana/Indianapolis'],
  ['America/Jujuy', 'America/Argentina/Jujuy'],
  ['America/Louisville', 'America/Kentucky/Louisville'],
  ['America/Mendoza', 'America/Argentina/Mendoza'],
  ['Asia/Calcutta', 'Asia/Kolkata'],
  ['Asia/Katmandu', 'Asia/Kathmandu'],
  ['Asia/Rangoon', 'Asia/Yangon'],
  ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
  ['Atlantic/Faeroe', 'Atlantic/Faroe'],
  ['Europe/Kiev', 'Europe/Kyiv'],
  ['Pacific/Enderbury', 'Pacific/Kanton'],
];

const TABLES = ['stations', 'tenants'];

export class CurrentTimezoneNames1764300000000 implements MigrationInterface {
  name = 'CurrentTimezoneNames1764300000000';

  /**
   * Refuses, before changing anything, a PostgreSQL whose time zone data
   * predates these names: queries that compute in agency time
   * (`AT TIME ZONE`) would then fail for every agency.
   */
  async up(queryRunner: QueryRunner): Promise<void> {
    const missing = (await queryRunner.query(
      `SELECT name FROM unnest($1::text[]) AS wanted(name)
        WHERE name NOT IN (SELECT name FROM pg_timezone_names)`,
      [RENAMED.map(([, current]) => current)],
    )) as { name: string }[];
    if (missing.length > 0) {
      throw new Error(
        `PostgreSQL's time zone data does not know ${missing.map((row) => row.name).join(', ')}: ` +
          'update the server (or its tzdata package) before migrating.',
      );
    }
    await rename(queryRunner, RENAMED);
  }

  /** Back to the legacy names: the code before this migration produced nothing else. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await rename(
      queryRunner,
      RENAMED.map(([legacy, current]) => [current, legacy]),
    );
  }
}

async function rename(queryRunner: QueryRunner, pairs: [from: string, to: string][]) {
  for (const table of TABLES) {
    await queryRunner.query(
      // A new version and update time, so integrators syncing with updatedSince see the change.
      `UPDATE "${table}" AS t
          SET timezone = r.to_name, version = t.version + 1, updated_at = now()
         FROM unnest($1::text[], $2::text[]) AS r(from_name, to_name)
        WHERE t.timezone = r.from_name`,
      [pairs.map(([from]) => from), pairs.map(([, to]) => to)],
    );
  }
}
