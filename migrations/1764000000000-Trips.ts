import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trips (status CHECKed against the lifecycle's states, dates, capacity and
 * registration window checked in the database too), their co-organisers
 * (a partner organisation cannot be deleted while it co-organises a trip)
 * and their stations (deleted with a draft trip). Countries get a GIN index
 * for the `country` filter.
 */
export class Trips1764000000000 implements MigrationInterface {
  name = 'Trips1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "trips" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT 1, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "title" character varying(300) NOT NULL, "kind" text NOT NULL, "status" text NOT NULL DEFAULT 'draft', "countries" text array NOT NULL DEFAULT '{}', "start_date" date NOT NULL, "end_date" date NOT NULL, "capacity" integer NOT NULL, "seats_per_organisation" integer, "waitlist_policy" text NOT NULL DEFAULT 'strict_order', "registration_mode" text NOT NULL DEFAULT 'invitation_only', "approval_required" boolean NOT NULL DEFAULT false, "registration_opens_at" TIMESTAMP(3) WITH TIME ZONE, "registration_closes_at" TIMESTAMP(3) WITH TIME ZONE, "sectors" text array NOT NULL DEFAULT '{}', "lead_contact_id" uuid, "lead_role" character varying(200), "description" text, CONSTRAINT "CHK_trips_countries" CHECK (array_to_string("countries", ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'), CONSTRAINT "CHK_trips_registration_window" CHECK ("registration_opens_at" IS NULL OR "registration_closes_at" IS NULL OR "registration_opens_at" < "registration_closes_at"), CONSTRAINT "CHK_trips_seats_per_organisation" CHECK ("seats_per_organisation" IS NULL OR "seats_per_organisation" >= 1), CONSTRAINT "CHK_trips_capacity" CHECK ("capacity" >= 1), CONSTRAINT "CHK_trips_dates" CHECK ("end_date" >= "start_date"), CONSTRAINT "CHK_trips_waitlist_policy" CHECK ("waitlist_policy" IN ('strict_order', 'fill_gaps')), CONSTRAINT "CHK_trips_registration_mode" CHECK ("registration_mode" IN ('invitation_only', 'open')), CONSTRAINT "CHK_trips_status" CHECK ("status" IN ('draft', 'planned', 'registration_open', 'registration_closed', 'in_progress', 'completed', 'cancelled')), CONSTRAINT "CHK_trips_kind" CHECK ("kind" IN ('delegation', 'market_exploration', 'virtual_mission', 'incoming_delegation', 'trade_fair', 'information_event')), CONSTRAINT "PK_trips" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_trips_lead_contact" ON "trips" ("lead_contact_id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_trips_tenant_updated" ON "trips" ("tenant_id", "updated_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_trips_tenant_start" ON "trips" ("tenant_id", "start_date", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "stations" ("created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT 1, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "trip_id" uuid NOT NULL, "city" character varying(100) NOT NULL, "country" character(2) NOT NULL, "timezone" text NOT NULL, "arrival_date" date NOT NULL, "departure_date" date NOT NULL, "position" integer NOT NULL, CONSTRAINT "CHK_stations_country" CHECK ("country" ~ '^[A-Z]{2}$'), CONSTRAINT "CHK_stations_dates" CHECK ("departure_date" >= "arrival_date"), CONSTRAINT "PK_stations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_stations_trip_position" ON "stations" ("trip_id", "position", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "trip_co_organisers" ("trip_id" uuid NOT NULL, "partner_organisation_id" uuid NOT NULL, CONSTRAINT "PK_trip_co_organisers" PRIMARY KEY ("trip_id", "partner_organisation_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_trip_co_organisers_partner_organisation" ON "trip_co_organisers" ("partner_organisation_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "trips" ADD CONSTRAINT "FK_trips_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "trips" ADD CONSTRAINT "FK_trips_lead_contact" FOREIGN KEY ("lead_contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stations" ADD CONSTRAINT "FK_stations_trip" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "trip_co_organisers" ADD CONSTRAINT "FK_trip_co_organisers_trip" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "trip_co_organisers" ADD CONSTRAINT "FK_trip_co_organisers_partner_organisation" FOREIGN KEY ("partner_organisation_id") REFERENCES "partner_organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_trips_countries" ON "trips" USING gin ("countries")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_trips_countries"`);
    await queryRunner.query(
      `ALTER TABLE "trip_co_organisers" DROP CONSTRAINT "FK_trip_co_organisers_partner_organisation"`,
    );
    await queryRunner.query(
      `ALTER TABLE "trip_co_organisers" DROP CONSTRAINT "FK_trip_co_organisers_trip"`,
    );
    await queryRunner.query(`ALTER TABLE "stations" DROP CONSTRAINT "FK_stations_trip"`);
    await queryRunner.query(`ALTER TABLE "trips" DROP CONSTRAINT "FK_trips_lead_contact"`);
    await queryRunner.query(`ALTER TABLE "trips" DROP CONSTRAINT "FK_trips_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_trip_co_organisers_partner_organisation"`);
    await queryRunner.query(`DROP TABLE "trip_co_organisers"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_stations_trip_position"`);
    await queryRunner.query(`DROP TABLE "stations"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_trips_tenant_start"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_trips_tenant_updated"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_trips_lead_contact"`);
    await queryRunner.query(`DROP TABLE "trips"`);
  }
}
