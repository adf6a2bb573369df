import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 21: rows written due at once in an outbox table (messages, webhook
 * deliveries) NOTIFY their relay's channel, delivered when the transaction
 * commits, so the worker hands them to the queue at once instead of at its
 * next round (src/database/database-nudges.ts). One notification per
 * statement, only if a row it inserted is due (`due_at` keeps milliseconds,
 * rounded: one written due now() may lie a fraction of one after it).
 */
export class OutboxNudges1765300000000 implements MigrationInterface {
  name = 'OutboxNudges1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "outbox_nudge"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM inserted WHERE due_at <= now() + interval '1 millisecond') THEN
          PERFORM pg_notify(TG_ARGV[0], '');
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "notifications_nudge" AFTER INSERT ON "notifications"
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT
        EXECUTE FUNCTION "outbox_nudge"('outbox_notifications')`);
    await queryRunner.query(`
      CREATE TRIGGER "webhook_deliveries_nudge" AFTER INSERT ON "webhook_deliveries"
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT
        EXECUTE FUNCTION "outbox_nudge"('outbox_webhooks')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "webhook_deliveries_nudge" ON "webhook_deliveries"`);
    await queryRunner.query(`DROP TRIGGER "notifications_nudge" ON "notifications"`);
    await queryRunner.query(`DROP FUNCTION "outbox_nudge"()`);
  }
}
