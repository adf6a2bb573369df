import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { LOCALES, ROLES, type Locale, type Role } from '../roles.js';
import { sqlList } from '../../../database/sql.js';
import { Tenant } from './tenant.entity.js';
import { BelongsToTenant, TenantIdColumn } from './belongs-to-tenant.js';

/** A staff member of an agency who signs in with email and password. */
@Entity('users')
@Check('CHK_users_role', `"role" IN (${sqlList(ROLES)})`)
@Check('CHK_users_locale', `"locale" IN (${sqlList(LOCALES)})`)
@Index('IDX_users_tenant_name', ['tenantId', 'name', 'id'])
export class User extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_users' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('users')
  tenant?: Tenant;

  /** Unique across the whole service, ignoring case, so login needs no tenant. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'citext' })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  /** argon2id, in PHC string format (carries its own parameters and salt). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'text', default: 'de' })
  locale: Locale;

  /** Deactivated users cannot sign in; their sessions are revoked. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'last_login_at', type: 'timestamptz', precision: 3, nullable: true })
  lastLoginAt: Date | null;
}
