import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participant pages (issue 18): the agency's logo, accent colour and
 * privacy text, shown on the pages behind the links in our emails.
 */
export class ParticipantPages1764900000000 implements MigrationInterface {
  name = 'ParticipantPages1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "logo_url" character varying(2000), ADD "accent_color" character varying(7), ADD "privacy_notice" text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tenants" DROP COLUMN "privacy_notice", DROP COLUMN "accent_color", DROP COLUMN "logo_url"`,
    );
  }
}
