import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Tenant } from '../../identity/entities/tenant.entity.js';
import { sqlList } from '../../../database/sql.js';
import { BelongsToTenant, TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

export const ACTOR_TYPES = ['user', 'api_key', 'system', 'anonymous'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** A field's value before and after a change. Personal data is redacted before it gets here. */
export type Changes = Record<string, { before: unknown; after: unknown }>;

/** Who did what to which record, when, and from which request. Never updated. */
@Entity('audit_events')
@Check('CHK_audit_events_actor_type', `"actor_type" IN (${sqlList(ACTOR_TYPES)})`)
@Index('IDX_audit_events_tenant_at', ['tenantId', 'at', 'id'])
@Index('IDX_audit_events_tenant_entity', ['tenantId', 'entityType', 'entityId'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_audit_events' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('audit_events')
  tenant?: Tenant;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: ActorType;

  /** The user or API key that acted; null for the system and anonymous callers. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** What happened, as `<entity>.<verb>`, e.g. `user.role_changed`. */
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'uuid', nullable: true })
  entityId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  changes: Changes | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;
}
