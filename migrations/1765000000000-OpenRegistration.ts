import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open registration (issue 18): each trip gets a random public id for the
 * links anyone may use to register for a trip in `open` mode.
 */
export class OpenRegistration1765000000000 implements MigrationInterface {
  name = 'OpenRegistration1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "trips" ADD "public_id" character varying(16) NOT NULL DEFAULT "left"(encode(uuid_send(gen_random_uuid()), 'hex'), 16)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_trips_public_id" ON "trips" ("public_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_trips_public_id"`);
    await queryRunner.query(`ALTER TABLE "trips" DROP COLUMN "public_id"`);
  }
}
