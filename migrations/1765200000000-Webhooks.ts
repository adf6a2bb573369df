import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'scheduled', 'queued', 'sending', 'succeeded', 'failed'`;
const KINDS_BEFORE = `'invitation', 'invitation_reminder', 'registration_received', 'registration_waitlisted', 'registration_confirmed', 'registration_rejected', 'registration_cancelled', 'meeting_reminder', 'departure_reminder', 'follow_up_reminder', 'travel_document_reminder', 'announcement'`;

/**
 * Webhooks (issue 20): the agencies' endpoints with their sealed secrets,
 * one delivery per event and endpoint (written with the change that caused
 * it), each attempt for the delivery log, and the sequence that orders the
 * events of a resource.
 */
export class Webhooks1765200000000 implements MigrationInterface {
  name = 'Webhooks1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "url" character varying(2000) NOT NULL, "description" character varying(500), "event_types" text array NOT NULL, "active" boolean NOT NULL DEFAULT true, "secret_key_id" text NOT NULL, "secret" bytea NOT NULL, "previous_secret_key_id" text, "previous_secret" bytea, "previous_secret_expires_at" TIMESTAMP(3) WITH TIME ZONE, "failing_since" TIMESTAMP(3) WITH TIME ZONE, "disabled_for_failures_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "CHK_webhook_endpoints_event_types" CHECK (cardinality("event_types") >= 1)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_endpoints_tenant_created" ON "webhook_endpoints"  ("tenant_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" text NOT NULL, "event_key" text, "payload" jsonb NOT NULL, "status" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "attempt_limit" integer NOT NULL, "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "handed_over_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "CHK_webhook_deliveries_status" CHECK ("status" IN (${STATUSES}))`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "CHK_webhook_deliveries_attempts" CHECK ("attempts" >= 0)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries"  ("status", "due_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_endpoint_created" ON "webhook_deliveries"  ("endpoint_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "attempt" integer NOT NULL, "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "response_status" integer, "response_body" text, "error" text, "next_retry_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_webhook_attempts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_attempts_delivery" ON "webhook_attempts"  ("delivery_id", "attempt") `,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "FK_webhook_endpoints_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_webhook_deliveries_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE SEQUENCE "webhook_event_sequence"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_webhook_deliveries_event_key" ON "webhook_deliveries" ("endpoint_id", "event_key") WHERE "event_key" IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}, 'webhook_endpoint_disabled'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_attempts" ADD CONSTRAINT "FK_webhook_attempts_delivery" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "notifications" WHERE "kind" = 'webhook_endpoint_disabled'`,
    );
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}))`,
    );
    await queryRunner.query(`DROP INDEX "public"."UQ_webhook_deliveries_event_key"`);
    await queryRunner.query(`DROP SEQUENCE "webhook_event_sequence"`);
    await queryRunner.query(
      `ALTER TABLE "webhook_attempts" DROP CONSTRAINT "FK_webhook_attempts_delivery"`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_webhook_deliveries_endpoint"`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "FK_webhook_endpoints_tenant"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_attempts_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_deliveries_endpoint_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_deliveries_due"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_endpoints_tenant_created"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
