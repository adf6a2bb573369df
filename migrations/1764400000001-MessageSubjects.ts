import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message names what it is about by type and id (`subject_type`,
 * `subject_id`) instead of one column per kind of subject, and may go to a
 * staff user (`user_id`) instead of a contact (issue 14).
 */
export class MessageSubjects1764400000001 implements MigrationInterface {
  name = 'MessageSubjects1764400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD "user_id" uuid, ADD "subject_type" text, ADD "subject_id" uuid`,
    );
    await queryRunner.query(
      `UPDATE notifications
          SET subject_type = CASE WHEN invitation_id IS NOT NULL THEN 'invitation' ELSE 'participant' END,
              subject_id = coalesce(invitation_id, participant_id)`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_invitation"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" DROP COLUMN "invitation_id", DROP COLUMN "participant_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_subject" ON "notifications" ("subject_type", "subject_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_user" ON "notifications" ("user_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_recipient" CHECK (num_nonnulls("contact_id", "user_id") <= 1)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_recipient"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_user"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_subject"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD "invitation_id" uuid, ADD "participant_id" uuid`,
    );
    await queryRunner.query(
      `UPDATE notifications
          SET invitation_id = CASE WHEN subject_type = 'invitation' THEN subject_id END,
              participant_id = CASE WHEN subject_type = 'participant' THEN subject_id END`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_invitation" ON "notifications" ("invitation_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" DROP COLUMN "subject_id", DROP COLUMN "subject_type", DROP COLUMN "user_id"`,
    );
  }
}
