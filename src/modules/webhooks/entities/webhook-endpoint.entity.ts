import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { BelongsToTenant, TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';
import type { Tenant } from '../../identity/entities/tenant.entity.js';

/**
 * Where an agency wants events sent (its CRM, website, newsletter tool):
 * the URL, the event types, and the signing secret, sealed at rest (AES-GCM,
 * PII_ENCRYPTION_KEYS). After a rotation the previous secret signs too,
 * until `previousSecretExpiresAt`.
 */
@Entity('webhook_endpoints')
@Check('CHK_webhook_endpoints_event_types', `cardinality("event_types") >= 1`)
@Index('IDX_webhook_endpoints_tenant_created', ['tenantId', 'createdAt', 'id'])
export class WebhookEndpoint extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_endpoints' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('webhook_endpoints')
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** Event types from the catalogue, or `['*']` for all. */
  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'secret_key_id', type: 'text' })
  secretKeyId: string;

  @Column({ type: 'bytea' })
  secret: Buffer;

  @Column({ name: 'previous_secret_key_id', type: 'text', nullable: true })
  previousSecretKeyId: string | null;

  @Column({ name: 'previous_secret', type: 'bytea', nullable: true })
  previousSecret: Buffer | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;

  /** Since when every attempt has failed (null once one succeeds). */
  @Column({ name: 'failing_since', type: 'timestamptz', precision: 3, nullable: true })
  failingSince: Date | null;

  /** When the endpoint was switched off for failing (null: by staff, or active). */
  @Column({ name: 'disabled_for_failures_at', type: 'timestamptz', precision: 3, nullable: true })
  disabledForFailuresAt: Date | null;
}
