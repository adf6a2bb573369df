import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The programme (issue 15): meetings at a trip's stations, their attendees
 * and counterparts. No participant attends two overlapping meetings: an
 * exclusion constraint over the attendance rows (btree_gist) refuses it
 * under any concurrency; adjacent times do not overlap, and the rows of a
 * cancelled meeting (inactive) never conflict.
 */
export class Programme1764500000000 implements MigrationInterface {
  name = 'Programme1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Equality on uuid inside a GiST exclusion constraint.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(
      `CREATE TABLE "meetings" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "trip_id" uuid NOT NULL, "station_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "kind" text NOT NULL, "status" text NOT NULL DEFAULT 'planned', "starts_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "location_name" character varying(200), "location_address" character varying(500), "host_user_id" uuid, "notes" text, "outcome" text, "visibility" text NOT NULL DEFAULT 'attendees', CONSTRAINT "CHK_meetings_times" CHECK ("ends_at" > "starts_at"), CONSTRAINT "CHK_meetings_visibility" CHECK ("visibility" IN ('delegation', 'attendees')), CONSTRAINT "CHK_meetings_status" CHECK ("status" IN ('planned', 'confirmed', 'held', 'cancelled')), CONSTRAINT "CHK_meetings_kind" CHECK ("kind" IN ('b2b', 'company_visit', 'government_talk', 'institution_visit', 'reception', 'seminar', 'networking', 'site_visit', 'travel', 'other')), CONSTRAINT "PK_meetings" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_meetings_station" ON "meetings"  ("station_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_meetings_host" ON "meetings"  ("host_user_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_meetings_tenant_updated" ON "meetings"  ("tenant_id", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meetings_trip_starts" ON "meetings"  ("trip_id", "starts_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "meeting_attendees" ("meeting_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "starts_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "EXCL_meeting_attendees_no_overlap" EXCLUDE USING gist ("participant_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("active"), CONSTRAINT "PK_meeting_attendees" PRIMARY KEY ("meeting_id", "participant_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_attendees_participant" ON "meeting_attendees"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "meeting_organisations" ("meeting_id" uuid NOT NULL, "partner_organisation_id" uuid NOT NULL, CONSTRAINT "PK_meeting_organisations" PRIMARY KEY ("meeting_id", "partner_organisation_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_organisations_organisation" ON "meeting_organisations"  ("partner_organisation_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "meeting_contacts" ("meeting_id" uuid NOT NULL, "contact_id" uuid NOT NULL, CONSTRAINT "PK_meeting_contacts" PRIMARY KEY ("meeting_id", "contact_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_meeting_contacts_contact" ON "meeting_contacts"  ("contact_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "meetings" ADD CONSTRAINT "FK_meetings_trip" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meetings" ADD CONSTRAINT "FK_meetings_station" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meetings" ADD CONSTRAINT "FK_meetings_host_user" FOREIGN KEY ("host_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_attendees" ADD CONSTRAINT "FK_meeting_attendees_meeting" FOREIGN KEY ("meeting_id") REFERENCES "meetings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_attendees" ADD CONSTRAINT "FK_meeting_attendees_participant" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_organisations" ADD CONSTRAINT "FK_meeting_organisations_meeting" FOREIGN KEY ("meeting_id") REFERENCES "meetings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_organisations" ADD CONSTRAINT "FK_meeting_organisations_organisation" FOREIGN KEY ("partner_organisation_id") REFERENCES "partner_organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_contacts" ADD CONSTRAINT "FK_meeting_contacts_meeting" FOREIGN KEY ("meeting_id") REFERENCES "meetings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_contacts" ADD CONSTRAINT "FK_meeting_contacts_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "meeting_contacts" DROP CONSTRAINT "FK_meeting_contacts_contact"`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_contacts" DROP CONSTRAINT "FK_meeting_contacts_meeting"`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_organisations" DROP CONSTRAINT "FK_meeting_organisations_organisation"`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_organisations" DROP CONSTRAINT "FK_meeting_organisations_meeting"`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_attendees" DROP CONSTRAINT "FK_meeting_attendees_participant"`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_attendees" DROP CONSTRAINT "FK_meeting_attendees_meeting"`,
    );
    await queryRunner.query(`ALTER TABLE "meetings" DROP CONSTRAINT "FK_meetings_host_user"`);
    await queryRunner.query(`ALTER TABLE "meetings" DROP CONSTRAINT "FK_meetings_station"`);
    await queryRunner.query(`ALTER TABLE "meetings" DROP CONSTRAINT "FK_meetings_trip"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_meeting_contacts_contact"`);
    await queryRunner.query(`DROP TABLE "meeting_contacts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_meeting_organisations_organisation"`);
    await queryRunner.query(`DROP TABLE "meeting_organisations"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_meeting_attendees_participant"`);
    await queryRunner.query(`DROP TABLE "meeting_attendees"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_meetings_trip_starts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_meetings_tenant_updated"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_meetings_host"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_meetings_station"`);
    await queryRunner.query(`DROP TABLE "meetings"`);
    // btree_gist stays: dropping an extension could break what others built on it.
  }
}
