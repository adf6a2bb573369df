import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rows an UPDATE makes due at once nudge their relay too, as inserted ones
 * do (1765300000000-OutboxNudges): a webhook delivery sent again on
 * request, a message planned anew for now. A row trigger whose WHEN only
 * lets through rows left `scheduled` and due, so claiming messages and
 * recording outcomes (the outbox's busiest updates) cost one comparison per
 * row and nudge nothing; PostgreSQL sends one notification per channel and
 * transaction however many rows raise it.
 */
export class OutboxNudgesOnUpdate1765400000000 implements MigrationInterface {
  name = 'OutboxNudgesOnUpdate1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "outbox_nudge_row"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(TG_ARGV[0], '');
        RETURN NULL;
      END $$`);
    for (const [table, channel] of OUTBOXES) {
      await queryRunner.query(`
        CREATE TRIGGER "${table}_nudge_update" AFTER UPDATE ON "${table}" FOR EACH ROW
          WHEN (NEW.status = 'scheduled' AND NEW.due_at <= now() + interval '1 millisecond')
          EXECUTE FUNCTION "outbox_nudge_row"('${channel}')`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of OUTBOXES) {
      await queryRunner.query(`DROP TRIGGER "${table}_nudge_update" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION "outbox_nudge_row"()`);
  }
}

/** Each outbox table and the channel its relay listens on. */
const OUTBOXES = [
  ['notifications', 'outbox_notifications'],
  ['webhook_deliveries', 'outbox_webhooks'],
] as const;
