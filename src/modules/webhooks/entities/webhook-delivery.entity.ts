import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';
import { sqlList } from '../../../database/sql.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from '../webhooks.constants.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** What a receiver gets: thin, no personal data (README, "Webhooks"). */
export interface WebhookPayload {
  id: string;
  type: string;
  timestamp: string;
  tenantId: string;
  data: {
    resource: { type: string; id: string; url: string | null };
    /** Increases with every event of the resource: order by it. */
    sequence: number;
    changedFields: string[];
    tripId?: string;
  };
}

/**
 * One event for one endpoint, written in the transaction of the change that
 * caused it (a rolled-back change leaves none). Its id is the `webhook-id`
 * header: the same on every attempt and redelivery, so receivers can drop
 * duplicates.
 */
@Entity('webhook_deliveries')
@Check('CHK_webhook_deliveries_status', `"status" IN (${sqlList(WEBHOOK_DELIVERY_STATUSES)})`)
@Check('CHK_webhook_deliveries_attempts', `"attempts" >= 0`)
@Index('IDX_webhook_deliveries_endpoint_created', ['endpointId', 'createdAt', 'id'])
@Index('IDX_webhook_deliveries_due', ['status', 'dueAt'])
@Index('UQ_webhook_deliveries_event_key', ['endpointId', 'eventKey'], {
  unique: true,
  where: '"event_key" IS NOT NULL',
})
export class WebhookDelivery {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_webhook_deliveries' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'FK_webhook_deliveries_endpoint' })
  endpoint?: WebhookEndpoint;

  /** The event (shared by its deliveries to several endpoints). */
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  /** What the event is about when it is not a change (`follow_up.due:<id>:<day>`): each once per endpoint. */
  @Column({ name: 'event_key', type: 'text', nullable: true })
  eventKey: string | null;

  @Column({ type: 'jsonb' })
  payload: WebhookPayload;

  @Column({ type: 'text' })
  status: WebhookDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Attempts it may take: WEBHOOK_MAX_ATTEMPTS, one more for each redelivery asked for. */
  @Column({ name: 'attempt_limit', type: 'integer' })
  attemptLimit: number;

  /** When it is (next) to be sent. */
  @Column({ name: 'due_at', type: 'timestamptz', precision: 3 })
  dueAt: Date;

  /** When it was handed to the queue, or its attempt started (for the relay's second look). */
  @Column({ name: 'handed_over_at', type: 'timestamptz', precision: 3, nullable: true })
  handedOverAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
