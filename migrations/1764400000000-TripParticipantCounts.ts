import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trip figures kept as participants change (issue 14): each participant
 * remembers what it is counted as (`counted_status`, `counted_flags`), and
 * `trip_participant_counts` holds the sums per trip and status. Filled here
 * from the rows as they are.
 */
export class TripParticipantCounts1764400000000 implements MigrationInterface {
  name = 'TripParticipantCounts1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "participants" ADD "counted_status" text`);
    await queryRunner.query(
      `ALTER TABLE "participants" ADD "counted_flags" smallint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `CREATE TABLE "trip_participant_counts" (
         "trip_id" uuid NOT NULL, "status" text NOT NULL,
         "participants" integer NOT NULL DEFAULT '0', "seated" integer NOT NULL DEFAULT '0',
         "visa_required" integer NOT NULL DEFAULT '0', "visas_not_granted" integer NOT NULL DEFAULT '0',
         "travel_documents_missing" integer NOT NULL DEFAULT '0',
         "passport_expiry_warnings" integer NOT NULL DEFAULT '0',
         CONSTRAINT "PK_trip_participant_counts" PRIMARY KEY ("trip_id", "status"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "trip_participant_counts" ADD CONSTRAINT "FK_trip_participant_counts_trip"
         FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `UPDATE participants p
          SET counted_status = p.status,
              counted_flags = (CASE WHEN p.role <> 'staff' THEN 1 ELSE 0 END
                | CASE WHEN p.visa_required THEN 2 ELSE 0 END
                | CASE WHEN p.visa_required AND p.visa_status <> 'granted' THEN 4 ELSE 0 END
                | CASE WHEN p.visa_required AND d.participant_id IS NULL THEN 8 ELSE 0 END
                | CASE WHEN d.expires_on < t.end_date
                         + make_interval(months => tn.passport_validity_margin_months)
                       THEN 16 ELSE 0 END)::smallint
         FROM participants q
         JOIN trips t ON t.id = q.trip_id
         JOIN tenants tn ON tn.id = t.tenant_id
         LEFT JOIN travel_documents d ON d.participant_id = q.id
        WHERE q.id = p.id`,
    );
    await queryRunner.query(
      `INSERT INTO trip_participant_counts
         (trip_id, status, participants, seated, visa_required, visas_not_granted,
          travel_documents_missing, passport_expiry_warnings)
       SELECT trip_id, counted_status, count(*),
              count(*) FILTER (WHERE counted_flags & 1 <> 0),
              count(*) FILTER (WHERE counted_flags & 2 <> 0),
              count(*) FILTER (WHERE counted_flags & 4 <> 0),
              count(*) FILTER (WHERE counted_flags & 8 <> 0),
              count(*) FILTER (WHERE counted_flags & 16 <> 0)
         FROM participants GROUP BY trip_id, counted_status`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "trip_participant_counts"`);
    await queryRunner.query(`ALTER TABLE "participants" DROP COLUMN "counted_flags"`);
    await queryRunner.query(`ALTER TABLE "participants" DROP COLUMN "counted_status"`);
  }
}
