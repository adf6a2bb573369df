import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trips listed by status, newest start first: with a rare status (only a
 * few trips are in progress at a time) the planner could not use the
 * (tenant, start) index well and chose a sequential scan of the tenant.
 */
export class TripsStatusIndex1764100000001 implements MigrationInterface {
  name = 'TripsStatusIndex1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_trips_tenant_status_start" ON "trips" ("tenant_id", "status", "start_date", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_trips_tenant_status_start"`);
  }
}
