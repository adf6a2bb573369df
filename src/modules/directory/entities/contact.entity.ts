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
import { Tenant } from '../../identity/entities/tenant.entity.js';
import { PartnerOrganisation } from './partner-organisation.entity.js';
import { BelongsToTenant, TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/** A person the agency knows, optionally at a partner organisation. */
@Entity('contacts')
@Check('CHK_contacts_preferred_language', `"preferred_language" ~ '^[a-z]{2}$'`)
@Index('IDX_contacts_tenant_name', ['tenantId', 'lastName', 'id'])
@Index('IDX_contacts_tenant_updated', ['tenantId', 'updatedAt'])
@Index('UQ_contacts_tenant_email', ['tenantId', 'email'], {
  unique: true,
  where: '"email" IS NOT NULL',
})
// Trigram index for `?q=`, on CONTACT_SEARCH_TEXT; written in the migration.
@Index('IDX_contacts_search', { synchronize: false })
export class Contact extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_contacts' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('contacts')
  tenant?: Tenant;

  @Index('IDX_contacts_partner_organisation')
  @Column({ name: 'partner_organisation_id', type: 'uuid', nullable: true })
  partnerOrganisationId: string | null;

  /** Deleting an organisation that still has contacts is refused (409), never cascaded. */
  @ManyToOne(() => PartnerOrganisation, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'partner_organisation_id',
    foreignKeyConstraintName: 'FK_contacts_partner_organisation',
  })
  partnerOrganisation?: PartnerOrganisation;

  /** "Dr.", "Prof. Dr."... */
  @Column({ type: 'varchar', length: 50, nullable: true })
  title: string | null;

  @Column({ name: 'first_name', type: 'varchar', length: 100, nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName: string;

  /** "First Deputy Minister", "Head of Department"... */
  @Column({ type: 'varchar', length: 200, nullable: true })
  position: string | null;

  /** Unique within the tenant, ignoring case, when present. */
  @Column({ type: 'citext', nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  phone: string | null;

  /** ISO 639-1; messages go out in it when we have templates for it. */
  @Column({ name: 'preferred_language', type: 'text', nullable: true })
  preferredLanguage: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** When the person's data was erased on request; what is left identifies nobody. */
  @Column({ name: 'erased_at', type: 'timestamptz', precision: 3, nullable: true })
  erasedAt: Date | null;
}
