import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { Tenant } from '../../identity/entities/tenant.entity.js';
import { sqlList } from '../../../database/sql.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../directory.constants.js';
import { BelongsToTenant, TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/** An organisation the agency works with, at home or abroad. */
@Entity('partner_organisations')
@Check('CHK_partner_organisations_kind', `"kind" IN (${sqlList(ORGANISATION_KINDS)})`)
@Check('CHK_partner_organisations_country', `"country" ~ '^[A-Z]{2}$'`)
@Index('IDX_partner_organisations_tenant_name', ['tenantId', 'name', 'id'])
@Index('IDX_partner_organisations_tenant_updated', ['tenantId', 'updatedAt'])
@Index('IDX_partner_organisations_tenant_country_name', ['tenantId', 'country', 'name', 'id'])
// Trigram index for `?q=`, on ORGANISATION_SEARCH_TEXT; written in the migration.
@Index('IDX_partner_organisations_search', { synchronize: false })
export class PartnerOrganisation extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_partner_organisations' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('partner_organisations')
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ name: 'short_name', type: 'varchar', length: 100, nullable: true })
  shortName: string | null;

  @Column({ type: 'text' })
  kind: OrganisationKind;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  website: string | null;

  /** Free tags such as "textile technology"; GIN-indexed for the `sector` filter. */
  @Index('IDX_partner_organisations_sectors', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sectors: string[];

  /** Commercial register or similar official id. */
  @Column({ name: 'register_id', type: 'varchar', length: 100, nullable: true })
  registerId: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;
}
