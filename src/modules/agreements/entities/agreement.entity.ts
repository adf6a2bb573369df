import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { sqlList } from '../../../database/sql.js';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';
import { Meeting } from '../../programme/entities/meeting.entity.js';
import { Trip } from '../../trips/entities/trip.entity.js';
import {
  AGREEMENT_CATEGORIES,
  AGREEMENT_KINDS,
  AGREEMENT_STATUSES,
  SIGNED_STATUSES,
  type AgreementCategory,
  type AgreementKind,
  type AgreementStatus,
} from '../agreements.constants.js';

/** The day unsigned agreements list under: before every signed one, newest first. */
export const UNSIGNED_LISTED_ON = '9999-12-31';

/** `listed_on` for an agreement signed on `signedOn` (or not yet). */
export const listedOn = (signedOn: string | null) => signedOn ?? UNSIGNED_LISTED_ON;

/** The text `q` searches of an agreement: its title and its parties' names (trigram-indexed). */
export const AGREEMENT_SEARCH_TEXT = (alias: string) =>
  `dd_unaccent(lower(${alias}.title || ' ' || ${alias}.party_names))`;

/**
 * An MoU, cooperation agreement, letter of intent or contract with partner
 * organisations (DESIGN §2 Agreement); its parties and signatories are
 * rows of their own.
 */
@Entity('agreements')
@Check('CHK_agreements_kind', `"kind" IN (${sqlList(AGREEMENT_KINDS)})`)
@Check('CHK_agreements_category', `"category" IN (${sqlList(AGREEMENT_CATEGORIES)})`)
@Check('CHK_agreements_status', `"status" IN (${sqlList(AGREEMENT_STATUSES)})`)
@Check(
  'CHK_agreements_signed_on',
  `"signed_on" IS NOT NULL OR "status" NOT IN (${sqlList(SIGNED_STATUSES)})`,
)
@Check(
  'CHK_agreements_valid_until',
  `"valid_until" IS NULL OR "signed_on" IS NULL OR "valid_until" >= "signed_on"`,
)
@Check('CHK_agreements_meeting_trip', `"meeting_id" IS NULL OR "trip_id" IS NOT NULL`)
@Check(
  'CHK_agreements_listed_on',
  `"listed_on" = coalesce("signed_on", DATE '${UNSIGNED_LISTED_ON}')`,
)
@Check('CHK_agreements_document_url', `"document_url" IS NULL OR "document_url" LIKE 'https://%'`)
@Index('IDX_agreements_tenant_listed', ['tenantId', 'listedOn', 'createdAt', 'id'])
@Index('IDX_agreements_tenant_updated', ['tenantId', 'updatedAt'])
@Index('IDX_agreements_tenant_status_listed', ['tenantId', 'status', 'listedOn', 'createdAt', 'id'])
@Index('IDX_agreements_trip_status', ['tripId', 'status'])
@Index('IDX_agreements_expiring', ['validUntil'], { where: `"status" = 'in_force'` })
@Index('IDX_agreements_search', { synchronize: false })
export class Agreement extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_agreements' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text' })
  kind: AgreementKind;

  @Column({ type: 'text' })
  category: AgreementCategory;

  /** Changes only through transitions (and the expiry job). */
  @Column({ type: 'text', default: 'draft' })
  status: AgreementStatus;

  /** The day the current status took effect (the transition's `on`, or the agency's today). */
  @Column({ name: 'status_since', type: 'date', default: () => 'CURRENT_DATE' })
  statusSince: string;

  /** The agency itself signs, beside the partner organisations. */
  @Column({ name: 'agency_is_party', type: 'boolean', default: false })
  agencyIsParty: boolean;

  @Column({ name: 'trip_id', type: 'uuid', nullable: true })
  tripId: string | null;

  @ManyToOne(() => Trip, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_agreements_trip' })
  trip?: Trip;

  /** The meeting of the trip where it was signed or agreed. */
  @Index('IDX_agreements_meeting')
  @Column({ name: 'meeting_id', type: 'uuid', nullable: true })
  meetingId: string | null;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_agreements_meeting' })
  meeting?: Meeting;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ name: 'signed_on', type: 'date', nullable: true })
  signedOn: string | null;

  @Column({ name: 'signed_in_city', type: 'varchar', length: 100, nullable: true })
  signedInCity: string | null;

  /** ISO 3166-1 alpha-2. */
  @Column({ name: 'signed_in_country', type: 'varchar', length: 2, nullable: true })
  signedInCountry: string | null;

  /** The last day it is valid; the day after, an agreement in force expires. */
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil: string | null;

  @Column({ name: 'document_url', type: 'varchar', length: 2000, nullable: true })
  documentUrl: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  /**
   * The parties' names and short names, in order: what `q` searches beside
   * the title, in one trigram index. Kept by the repository as parties
   * change and as organisations are renamed.
   */
  @Column({ name: 'party_names', type: 'text', default: '' })
  partyNames: string;

  /**
   * The list's first sort key: `signed_on`, or for agreements not signed
   * yet a day after every other, so they come first in the newest-first
   * list. Written with `signed_on` (see `listedOn()`); a check keeps them equal.
   */
  @Column({ name: 'listed_on', type: 'date' })
  listedOn: string;
}
