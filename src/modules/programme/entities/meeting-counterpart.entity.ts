import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Contact } from '../../directory/entities/contact.entity.js';
import { PartnerOrganisation } from '../../directory/entities/partner-organisation.entity.js';
import { Meeting } from './meeting.entity.js';

/** A partner organisation met in a meeting; it cannot be deleted while a meeting names it. */
@Entity('meeting_organisations')
export class MeetingOrganisation {
  @PrimaryColumn({
    name: 'meeting_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_meeting_organisations',
  })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_meeting_organisations_meeting' })
  meeting?: Meeting;

  @Index('IDX_meeting_organisations_organisation')
  @PrimaryColumn({
    name: 'partner_organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_meeting_organisations',
  })
  partnerOrganisationId: string;

  @ManyToOne(() => PartnerOrganisation, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'partner_organisation_id',
    foreignKeyConstraintName: 'FK_meeting_organisations_organisation',
  })
  organisation?: PartnerOrganisation;
}

/** A contact met in a meeting; it cannot be deleted while a meeting names it. */
@Entity('meeting_contacts')
export class MeetingContact {
  @PrimaryColumn({
    name: 'meeting_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_meeting_contacts',
  })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_meeting_contacts_meeting' })
  meeting?: Meeting;

  @Index('IDX_meeting_contacts_contact')
  @PrimaryColumn({
    name: 'contact_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_meeting_contacts',
  })
  contactId: string;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_meeting_contacts_contact' })
  contact?: Contact;
}
