import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDelivery } from './webhook-delivery.entity.js';

/** One try at a delivery, as the delivery log shows it. */
@Entity('webhook_attempts')
@Index('IDX_webhook_attempts_delivery', ['deliveryId', 'attempt'])
export class WebhookAttempt {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_attempts' })
  id: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'FK_webhook_attempts_delivery' })
  delivery?: WebhookDelivery;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  /** The receiver's HTTP status; null when none came (refused, timed out, unreachable). */
  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  /** The start of the receiver's answer (WEBHOOK_RESPONSE_LIMIT). */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  /** Why no answer came, in words. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** When the next attempt is due; null after success or the last attempt. */
  @Column({ name: 'next_retry_at', type: 'timestamptz', precision: 3, nullable: true })
  nextRetryAt: Date | null;
}
