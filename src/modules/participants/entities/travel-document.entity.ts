import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { Participant } from './participant.entity.js';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/**
 * A participant's passport, for visas. The number is stored only sealed
 * (AES-256-GCM, see PiiCipher) with the id of the key that sealed it; the
 * row goes with its participant, and is purged a tenant-set number of days
 * after the trip ends.
 */
@Entity('travel_documents')
export class TravelDocument extends VersionedEntity {
  @PrimaryColumn({
    name: 'participant_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_travel_documents',
  })
  participantId: string;

  @OneToOne(() => Participant, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'participant_id',
    foreignKeyConstraintName: 'FK_travel_documents_participant',
  })
  participant?: Participant;

  @Index('IDX_travel_documents_tenant')
  @TenantIdColumn()
  tenantId: string;

  /** IV, tag and ciphertext of the passport number; its row id is the authenticated context. */
  @Column({ name: 'passport_number_sealed', type: 'bytea' })
  passportNumberSealed: Buffer;

  /** Which configured key sealed the number (rotation). */
  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  @Column({ type: 'char', length: 2 })
  nationality: string;

  @Column({ name: 'issuing_country', type: 'char', length: 2 })
  issuingCountry: string;

  @Column({ name: 'issued_on', type: 'date', nullable: true })
  issuedOn: string | null;

  @Column({ name: 'expires_on', type: 'date' })
  expiresOn: string;
}
