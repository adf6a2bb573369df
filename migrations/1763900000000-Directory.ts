import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner organisations and contacts. Fuzzy search runs on
 * dd_unaccent(lower(...)) expressions with trigram (GIN) indexes; unaccent
 * itself is only STABLE, so dd_unaccent wraps it with a fixed dictionary as
 * IMMUTABLE, which is what an index expression needs. Sectors are a text
 * array with a GIN index for `@>`. Contacts' emails are unique per tenant
 * when present; an organisation with contacts cannot be deleted (RESTRICT).
 */
export class Directory1763900000000 implements MigrationInterface {
  name = 'Directory1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION dd_unaccent(text) RETURNS text
         LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
         AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`,
    );
    await queryRunner.query(
      `CREATE TABLE "partner_organisations" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT 1, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" character varying(300) NOT NULL, "short_name" character varying(100), "kind" text NOT NULL, "country" character(2) NOT NULL, "city" character varying(100), "website" character varying(500), "sectors" text array NOT NULL DEFAULT '{}', "register_id" character varying(100), "notes" text, CONSTRAINT "CHK_partner_organisations_country" CHECK ("country" ~ '^[A-Z]{2}$'), CONSTRAINT "CHK_partner_organisations_kind" CHECK ("kind" IN ('company', 'research_institute', 'university', 'chamber', 'association', 'ministry', 'embassy', 'consulate', 'agency', 'other')), CONSTRAINT "PK_partner_organisations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partner_organisations_tenant_updated" ON "partner_organisations" ("tenant_id", "updated_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partner_organisations_tenant_name" ON "partner_organisations" ("tenant_id", "name", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partner_organisations_tenant_country_name" ON "partner_organisations" ("tenant_id", "country", "name", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "contacts" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT 1, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "partner_organisation_id" uuid, "title" character varying(50), "first_name" character varying(100), "last_name" character varying(100) NOT NULL, "position" character varying(200), "email" citext, "phone" character varying(50), "preferred_language" text, "notes" text, CONSTRAINT "CHK_contacts_preferred_language" CHECK ("preferred_language" ~ '^[a-z]{2}$'), CONSTRAINT "PK_contacts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_contacts_partner_organisation" ON "contacts" ("partner_organisation_id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_contacts_tenant_email" ON "contacts" ("tenant_id", "email") WHERE "email" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_contacts_tenant_updated" ON "contacts" ("tenant_id", "updated_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_contacts_tenant_name" ON "contacts" ("tenant_id", "last_name", "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "partner_organisations" ADD CONSTRAINT "FK_partner_organisations_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" ADD CONSTRAINT "FK_contacts_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" ADD CONSTRAINT "FK_contacts_partner_organisation" FOREIGN KEY ("partner_organisation_id") REFERENCES "partner_organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partner_organisations_sectors" ON "partner_organisations" USING gin ("sectors")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partner_organisations_search" ON "partner_organisations" USING gin ((dd_unaccent(lower(name || ' ' || coalesce(short_name, '')))) gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_contacts_search" ON "contacts" USING gin ((dd_unaccent(lower(coalesce(first_name, '') || ' ' || last_name || ' ' || coalesce(email::text, '')))) gin_trgm_ops)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "contacts" DROP CONSTRAINT "FK_contacts_partner_organisation"`,
    );
    await queryRunner.query(`ALTER TABLE "contacts" DROP CONSTRAINT "FK_contacts_tenant"`);
    await queryRunner.query(
      `ALTER TABLE "partner_organisations" DROP CONSTRAINT "FK_partner_organisations_tenant"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_contacts_search"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_partner_organisations_search"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_partner_organisations_sectors"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_contacts_tenant_name"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_contacts_tenant_updated"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_contacts_tenant_email"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_contacts_partner_organisation"`);
    await queryRunner.query(`DROP TABLE "contacts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_partner_organisations_tenant_country_name"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_partner_organisations_tenant_name"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_partner_organisations_tenant_updated"`);
    await queryRunner.query(`DROP TABLE "partner_organisations"`);
    await queryRunner.query(`DROP FUNCTION dd_unaccent(text)`);
  }
}
