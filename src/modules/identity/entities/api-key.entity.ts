import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { SCOPES, type Scope } from '../roles.js';
import { sqlList } from '../../../database/sql.js';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';
import { BelongsToTenant, TenantIdColumn } from './belongs-to-tenant.js';

/** A credential for an integration, sent as `X-API-Key`. Only the secret's SHA-256 is kept. */
@Entity('api_keys')
@Check('CHK_api_keys_scopes', `"scopes" <@ ARRAY[${sqlList(SCOPES)}]::text[]`)
@Index('IDX_api_keys_tenant_created', ['tenantId', 'createdAt', 'id'])
export class ApiKey extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_api_keys' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('api_keys')
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The key's first characters, shown in lists so people can tell keys apart. */
  @Index('UQ_api_keys_prefix', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Index('UQ_api_keys_secret_hash', { unique: true })
  @Column({ name: 'secret_hash', type: 'char', length: 64 })
  secretHash: string;

  @Column({ type: 'text', array: true })
  scopes: Scope[];

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  /** Updated at most once a minute, so a busy integration does not write on every request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_user_id', foreignKeyConstraintName: 'FK_api_keys_created_by' })
  createdBy?: User;
}
