import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { LOCALES, sqlList, type Locale } from '../roles.js';

/** An agency using Delegation Desk. Every other row belongs to exactly one tenant. */
@Entity('tenants')
@Check('CHK_tenants_default_locale', `"default_locale" IN (${sqlList(LOCALES)})`)
export class Tenant extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_tenants' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** URL-friendly name, unique across the service. */
  @Index('UQ_tenants_slug', { unique: true })
  @Column({ type: 'varchar', length: 80 })
  slug: string;

  /** Language of messages to people who have not chosen one. */
  @Column({ name: 'default_locale', type: 'text', default: 'de' })
  defaultLocale: Locale;

  /** IANA timezone of the agency's office, for dates without a station. */
  @Column({ type: 'text', default: 'Europe/Berlin' })
  timezone: string;
}
