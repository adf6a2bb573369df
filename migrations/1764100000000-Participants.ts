import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participants: one row per contact and trip (unique), status CHECKed
 * against the lifecycle, and a waitlist position exactly while waitlisted.
 * Seats are decided under the trip's row lock (see src/modules/trips/seats.ts).
 * Travel documents (passport number sealed, never plain), the tenant's
 * retention and passport-margin settings, and contacts' erasure mark.
 */
export class Participants1764100000000 implements MigrationInterface {
  name = 'Participants1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "participants" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT 1, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "trip_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "organisation_id" uuid, "role" text NOT NULL, "category" text NOT NULL, "status" text NOT NULL, "waitlist_position" integer, "registered_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "status_changed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "dietary_needs" character varying(500), "accessibility_needs" character varying(500), "arrival" character varying(500), "departure" character varying(500), "visa_required" boolean NOT NULL DEFAULT false, "visa_status" text NOT NULL DEFAULT 'not_needed', "answers" jsonb NOT NULL DEFAULT '{}', "notes" text, "consent_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "CHK_participants_waitlist_position" CHECK (("status" = 'waitlisted') = ("waitlist_position" IS NOT NULL) AND ("waitlist_position" IS NULL OR "waitlist_position" >= 1)), CONSTRAINT "CHK_participants_visa_status" CHECK ("visa_status" IN ('not_needed', 'to_apply', 'applied', 'granted', 'refused')), CONSTRAINT "CHK_participants_status" CHECK ("status" IN ('applied', 'confirmed', 'waitlisted', 'rejected', 'cancelled', 'attended', 'no_show')), CONSTRAINT "CHK_participants_category" CHECK ("category" IN ('business', 'science', 'politics', 'administration', 'other')), CONSTRAINT "CHK_participants_role" CHECK ("role" IN ('delegation_lead', 'member', 'staff', 'press', 'guest')), CONSTRAINT "PK_participants" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_participants_contact" ON "participants" ("contact_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_participants_organisation" ON "participants" ("organisation_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_participants_trip_status" ON "participants" ("trip_id", "status")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_participants_trip_registered" ON "participants" ("trip_id", "registered_at", "id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_participants_trip_contact" ON "participants" ("trip_id", "contact_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_participants_trip" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_participants_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "participants" ADD CONSTRAINT "FK_participants_organisation" FOREIGN KEY ("organisation_id") REFERENCES "partner_organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "travel_documents" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "participant_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "passport_number_sealed" bytea NOT NULL, "key_id" text NOT NULL, "nationality" character(2) NOT NULL, "issuing_country" character(2) NOT NULL, "issued_on" date, "expires_on" date NOT NULL, CONSTRAINT "PK_travel_documents" PRIMARY KEY ("participant_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_travel_documents_tenant" ON "travel_documents" ("tenant_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "travel_documents" ADD CONSTRAINT "FK_travel_documents_participant" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "travel_document_retention_days" integer NOT NULL DEFAULT '30'`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "passport_validity_margin_months" integer NOT NULL DEFAULT '6'`,
    );
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD CONSTRAINT "CHK_tenants_retention" CHECK ("travel_document_retention_days" BETWEEN 0 AND 3650 AND "passport_validity_margin_months" BETWEEN 0 AND 24)`,
    );
    await queryRunner.query(`ALTER TABLE "contacts" ADD "erased_at" TIMESTAMP(3) WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contacts" DROP COLUMN "erased_at"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP CONSTRAINT "CHK_tenants_retention"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "passport_validity_margin_months"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "travel_document_retention_days"`);
    await queryRunner.query(`DROP TABLE "travel_documents"`);
    await queryRunner.query(
      `ALTER TABLE "participants" DROP CONSTRAINT "FK_participants_organisation"`,
    );
    await queryRunner.query(`ALTER TABLE "participants" DROP CONSTRAINT "FK_participants_contact"`);
    await queryRunner.query(`ALTER TABLE "participants" DROP CONSTRAINT "FK_participants_trip"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_participants_trip_contact"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_participants_trip_registered"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_participants_trip_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_participants_organisation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_participants_contact"`);
    await queryRunner.query(`DROP TABLE "participants"`);
  }
}
