import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Contact } from '../../directory/entities/contact.entity.js';
import { PartnerOrganisation } from '../../directory/entities/partner-organisation.entity.js';
import { Agreement } from './agreement.entity.js';

/** A partner organisation that is party to an agreement; it cannot be deleted while it is. */
@Entity('agreement_parties')
export class AgreementParty {
  @PrimaryColumn({
    name: 'agreement_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_agreement_parties',
  })
  agreementId: string;

  @ManyToOne(() => Agreement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id', foreignKeyConstraintName: 'FK_agreement_parties_agreement' })
  agreement?: Agreement;

  @Index('IDX_agreement_parties_organisation')
  @PrimaryColumn({
    name: 'partner_organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_agreement_parties',
  })
  partnerOrganisationId: string;

  @ManyToOne(() => PartnerOrganisation, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'partner_organisation_id',
    foreignKeyConstraintName: 'FK_agreement_parties_organisation',
  })
  organisation?: PartnerOrganisation;

  /** The parties' order as sent. */
  @Column({ type: 'integer' })
  position: number;
}

/** A contact who signed (or is to sign) for a party; erasing the person removes the row. */
@Entity('agreement_signatories')
export class AgreementSignatory {
  @PrimaryColumn({
    name: 'agreement_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_agreement_signatories',
  })
  agreementId: string;

  @PrimaryColumn({
    name: 'partner_organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_agreement_signatories',
  })
  partnerOrganisationId: string;

  @ManyToOne(() => AgreementParty, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'agreement_id',
      referencedColumnName: 'agreementId',
      foreignKeyConstraintName: 'FK_agreement_signatories_party',
    },
    {
      name: 'partner_organisation_id',
      referencedColumnName: 'partnerOrganisationId',
      foreignKeyConstraintName: 'FK_agreement_signatories_party',
    },
  ])
  party?: AgreementParty;

  @Index('IDX_agreement_signatories_contact')
  @PrimaryColumn({
    name: 'contact_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_agreement_signatories',
  })
  contactId: string;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_agreement_signatories_contact' })
  contact?: Contact;

  /** Order within the party, as sent. */
  @Column({ type: 'integer' })
  position: number;
}
