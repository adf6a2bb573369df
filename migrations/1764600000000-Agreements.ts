import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agreements (issue 16): MoUs, cooperation agreements, letters of intent
 * and contracts with partner organisations, their parties and signatories,
 * and follow-ups. `listed_on` (the list's sort key: `signed_on`, or a day
 * after every other while unsigned) is kept equal to `signed_on` by a check;
 * the expiry job finds agreements in force by a partial index; `q` searches
 * titles and the parties' names (`party_names`, kept by the module) by one
 * trigram index.
 */
export class Agreements1764600000000 implements MigrationInterface {
  name = 'Agreements1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "agreements" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "title" character varying(300) NOT NULL, "kind" text NOT NULL, "category" text NOT NULL, "status" text NOT NULL DEFAULT 'draft', "status_since" date NOT NULL DEFAULT ('now'::text)::date, "agency_is_party" boolean NOT NULL DEFAULT false, "trip_id" uuid, "meeting_id" uuid, "summary" text, "signed_on" date, "signed_in_city" character varying(100), "signed_in_country" character varying(2), "valid_until" date, "document_url" character varying(2000), "tags" text array NOT NULL DEFAULT '{}', "party_names" text NOT NULL DEFAULT '', "listed_on" date NOT NULL, CONSTRAINT "CHK_agreements_document_url" CHECK ("document_url" IS NULL OR "document_url" LIKE 'https://%'), CONSTRAINT "CHK_agreements_listed_on" CHECK ("listed_on" = coalesce("signed_on", DATE '9999-12-31')), CONSTRAINT "CHK_agreements_meeting_trip" CHECK ("meeting_id" IS NULL OR "trip_id" IS NOT NULL), CONSTRAINT "CHK_agreements_valid_until" CHECK ("valid_until" IS NULL OR "signed_on" IS NULL OR "valid_until" >= "signed_on"), CONSTRAINT "CHK_agreements_signed_on" CHECK ("signed_on" IS NOT NULL OR "status" NOT IN ('signed', 'in_force', 'expired', 'terminated')), CONSTRAINT "CHK_agreements_status" CHECK ("status" IN ('draft', 'negotiating', 'signed', 'in_force', 'expired', 'terminated', 'abandoned')), CONSTRAINT "CHK_agreements_category" CHECK ("category" IN ('business', 'academic', 'government')), CONSTRAINT "CHK_agreements_kind" CHECK ("kind" IN ('mou', 'cooperation_agreement', 'letter_of_intent', 'contract')), CONSTRAINT "PK_agreements" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreements_search" ON "agreements" USING gin ((dd_unaccent(lower(title || ' ' || party_names))) gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreements_meeting" ON "agreements"  ("meeting_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreements_expiring" ON "agreements"  ("valid_until") WHERE "status" = 'in_force'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreements_trip_status" ON "agreements"  ("trip_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreements_tenant_status_listed" ON "agreements"  ("tenant_id", "status", "listed_on", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreements_tenant_updated" ON "agreements"  ("tenant_id", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreements_tenant_listed" ON "agreements"  ("tenant_id", "listed_on", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "agreement_parties" ("agreement_id" uuid NOT NULL, "partner_organisation_id" uuid NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_agreement_parties" PRIMARY KEY ("agreement_id", "partner_organisation_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreement_parties_organisation" ON "agreement_parties"  ("partner_organisation_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "agreement_signatories" ("agreement_id" uuid NOT NULL, "partner_organisation_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_agreement_signatories" PRIMARY KEY ("agreement_id", "partner_organisation_id", "contact_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agreement_signatories_contact" ON "agreement_signatories"  ("contact_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "follow_ups" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "agreement_id" uuid NOT NULL, "title" character varying(300) NOT NULL, "due_on" date NOT NULL, "owner_user_id" uuid NOT NULL, "notes" text, "done_at" TIMESTAMP(3) WITH TIME ZONE, "done_by" uuid, CONSTRAINT "PK_follow_ups" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_follow_ups_done_by" ON "follow_ups"  ("done_by") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_follow_ups_owner_due" ON "follow_ups"  ("owner_user_id", "due_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_follow_ups_tenant_due" ON "follow_ups"  ("tenant_id", "due_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_follow_ups_agreement_due" ON "follow_ups"  ("agreement_id", "due_on", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "agreements" ADD CONSTRAINT "FK_agreements_trip" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreements" ADD CONSTRAINT "FK_agreements_meeting" FOREIGN KEY ("meeting_id") REFERENCES "meetings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreement_parties" ADD CONSTRAINT "FK_agreement_parties_agreement" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreement_parties" ADD CONSTRAINT "FK_agreement_parties_organisation" FOREIGN KEY ("partner_organisation_id") REFERENCES "partner_organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreement_signatories" ADD CONSTRAINT "FK_agreement_signatories_party" FOREIGN KEY ("agreement_id", "partner_organisation_id") REFERENCES "agreement_parties"("agreement_id","partner_organisation_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreement_signatories" ADD CONSTRAINT "FK_agreement_signatories_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_ups" ADD CONSTRAINT "FK_follow_ups_agreement" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_ups" ADD CONSTRAINT "FK_follow_ups_owner" FOREIGN KEY ("owner_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_ups" ADD CONSTRAINT "FK_follow_ups_done_by" FOREIGN KEY ("done_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "follow_ups" DROP CONSTRAINT "FK_follow_ups_done_by"`);
    await queryRunner.query(`ALTER TABLE "follow_ups" DROP CONSTRAINT "FK_follow_ups_owner"`);
    await queryRunner.query(`ALTER TABLE "follow_ups" DROP CONSTRAINT "FK_follow_ups_agreement"`);
    await queryRunner.query(
      `ALTER TABLE "agreement_signatories" DROP CONSTRAINT "FK_agreement_signatories_contact"`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreement_signatories" DROP CONSTRAINT "FK_agreement_signatories_party"`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreement_parties" DROP CONSTRAINT "FK_agreement_parties_organisation"`,
    );
    await queryRunner.query(
      `ALTER TABLE "agreement_parties" DROP CONSTRAINT "FK_agreement_parties_agreement"`,
    );
    await queryRunner.query(`ALTER TABLE "agreements" DROP CONSTRAINT "FK_agreements_meeting"`);
    await queryRunner.query(`ALTER TABLE "agreements" DROP CONSTRAINT "FK_agreements_trip"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_follow_ups_agreement_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_follow_ups_tenant_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_follow_ups_owner_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_follow_ups_done_by"`);
    await queryRunner.query(`DROP TABLE "follow_ups"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreement_signatories_contact"`);
    await queryRunner.query(`DROP TABLE "agreement_signatories"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreement_parties_organisation"`);
    await queryRunner.query(`DROP TABLE "agreement_parties"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_tenant_listed"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_tenant_updated"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_tenant_status_listed"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_trip_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_expiring"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_meeting"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_search"`);
    await queryRunner.query(`DROP TABLE "agreements"`);
  }
}
