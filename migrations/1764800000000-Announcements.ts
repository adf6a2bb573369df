import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'invitation', 'invitation_reminder', 'registration_received', 'registration_waitlisted', 'registration_confirmed', 'registration_rejected', 'registration_cancelled', 'meeting_reminder', 'departure_reminder', 'follow_up_reminder', 'travel_document_reminder'`;

/**
 * Announcements (issue 17): messages from staff to part of a trip's
 * delegation, each recipient's message a new kind in the outbox.
 */
export class Announcements1764800000000 implements MigrationInterface {
  name = 'Announcements1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "announcements" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "trip_id" uuid NOT NULL, "subject" jsonb NOT NULL, "body" jsonb NOT NULL, "audience" jsonb NOT NULL, "send_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "recipient_count" integer NOT NULL, "created_by" uuid, "withdrawn_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_announcements" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_announcements_created_by" ON "announcements"  ("created_by") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_announcements_trip_created" ON "announcements"  ("trip_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "announcements" ADD CONSTRAINT "FK_announcements_trip" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "announcements" ADD CONSTRAINT "FK_announcements_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}, 'announcement'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notifications" WHERE "kind" = 'announcement'`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}))`,
    );
    await queryRunner.query(
      `ALTER TABLE "announcements" DROP CONSTRAINT "FK_announcements_created_by"`,
    );
    await queryRunner.query(`ALTER TABLE "announcements" DROP CONSTRAINT "FK_announcements_trip"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_announcements_trip_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_announcements_created_by"`);
    await queryRunner.query(`DROP TABLE "announcements"`);
  }
}
