import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reports (issue 19): an agency's meetings by when they start (the annual report's years). */
export class ReportIndexes1765100000000 implements MigrationInterface {
  name = 'ReportIndexes1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_meetings_tenant_starts" ON "meetings" ("tenant_id", "starts_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_meetings_tenant_starts"`);
  }
}
