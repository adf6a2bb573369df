import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'invitation', 'invitation_reminder', 'registration_received', 'registration_waitlisted', 'registration_confirmed', 'registration_rejected', 'registration_cancelled'`;

/**
 * Reminders that follow the plan (issue 17): meeting, departure,
 * travel-document and agreement follow-up reminders as kinds of message, the agency's settings of when they go out,
 * and a trip's messages indexed by when they go out.
 */
export class Reminders1764700000000 implements MigrationInterface {
  name = 'Reminders1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "meeting_reminder_hours" integer NOT NULL DEFAULT '24'`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "departure_reminder_days" integer array NOT NULL DEFAULT '{7,1}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "departure_reminder_hour" integer NOT NULL DEFAULT '9'`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "travel_document_reminder_days" integer NOT NULL DEFAULT '21'`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "follow_up_reminder_hour" integer NOT NULL DEFAULT '8'`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "follow_up_overdue_days" integer NOT NULL DEFAULT '7'`,
    );
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}, 'meeting_reminder', 'departure_reminder', 'follow_up_reminder', 'travel_document_reminder'))`,
    );
    // A trip's reminders by when they go out (GET /trips/{id}/reminders).
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_trip"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_trip_due" ON "notifications" ("trip_id", "due_at", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_trip_due"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_trip" ON "notifications" ("trip_id") `,
    );
    await queryRunner.query(
      `DELETE FROM "notifications" WHERE "kind" IN ('meeting_reminder', 'departure_reminder', 'follow_up_reminder', 'travel_document_reminder')`,
    );
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}))`,
    );
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "follow_up_overdue_days"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "follow_up_reminder_hour"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "travel_document_reminder_days"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "departure_reminder_hour"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "departure_reminder_days"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "meeting_reminder_hours"`);
  }
}
