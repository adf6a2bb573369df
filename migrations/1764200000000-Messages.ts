import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Invitations, the notification outbox / delivery log, and self-service link nonces of participants. */

export class Messages1764200000000 implements MigrationInterface {
  name = 'Messages1764200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "invitations" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "trip_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "email" character varying(320) NOT NULL, "status" text NOT NULL DEFAULT 'pending', "token_nonce" uuid NOT NULL DEFAULT gen_random_uuid(), "message" text, "send_count" integer NOT NULL DEFAULT '1', "last_sent_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "answered_at" TIMESTAMP(3) WITH TIME ZONE, "participant_id" uuid, CONSTRAINT "CHK_invitations_status" CHECK ("status" IN ('pending', 'accepted', 'declined', 'revoked')), CONSTRAINT "PK_invitations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_invitations_contact" ON "invitations"  ("contact_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_invitations_pending" ON "invitations"  ("trip_id") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_invitations_trip_created" ON "invitations"  ("trip_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_invitations_trip_contact" ON "invitations"  ("trip_id", "contact_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notifications" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "kind" text NOT NULL, "locale" text NOT NULL, "recipient_email" character varying(320) NOT NULL, "contact_id" uuid, "trip_id" uuid, "invitation_id" uuid, "participant_id" uuid, "dedupe_key" character varying(300) NOT NULL, "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "status" text NOT NULL DEFAULT 'scheduled', "relayed_at" TIMESTAMP(3) WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "lease_until" TIMESTAMP(3) WITH TIME ZONE, "last_error" text, "subject" character varying(500), "provider_message_id" character varying(500), "provider_response" text, "sent_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "CHK_notifications_locale" CHECK ("locale" IN ('de', 'en')), CONSTRAINT "CHK_notifications_status" CHECK ("status" IN ('scheduled', 'queued', 'sending', 'sent', 'failed', 'cancelled')), CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN ('invitation', 'invitation_reminder', 'registration_received', 'registration_waitlisted', 'registration_confirmed', 'registration_rejected', 'registration_cancelled')), CONSTRAINT "PK_notifications" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_sending" ON "notifications"  ("lease_until") WHERE "status" = 'sending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_queued" ON "notifications"  ("relayed_at") WHERE "status" = 'queued'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_due" ON "notifications"  ("due_at") WHERE "status" = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_invitation" ON "notifications"  ("invitation_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_contact" ON "notifications"  ("contact_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_trip" ON "notifications"  ("trip_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_tenant_updated" ON "notifications"  ("tenant_id", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_tenant_created" ON "notifications"  ("tenant_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_notifications_tenant_dedupe_key" ON "notifications"  ("tenant_id", "dedupe_key") `,
    );
    await queryRunner.query(
      `ALTER TABLE "participants" ADD "access_nonce" uuid NOT NULL DEFAULT gen_random_uuid()`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_invitations_trip" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_invitations_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_invitations_participant" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "FK_notifications_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notifications" DROP CONSTRAINT "FK_notifications_tenant"`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" DROP CONSTRAINT "FK_invitations_participant"`,
    );
    await queryRunner.query(`ALTER TABLE "invitations" DROP CONSTRAINT "FK_invitations_contact"`);
    await queryRunner.query(`ALTER TABLE "invitations" DROP CONSTRAINT "FK_invitations_trip"`);
    await queryRunner.query(`ALTER TABLE "participants" DROP COLUMN "access_nonce"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_notifications_tenant_dedupe_key"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_tenant_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_tenant_updated"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_trip"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_contact"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_invitation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_queued"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_sending"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_invitations_trip_contact"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_invitations_trip_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_invitations_pending"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_invitations_contact"`);
    await queryRunner.query(`DROP TABLE "invitations"`);
  }
}
