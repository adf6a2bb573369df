import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PartnerOrganisation } from '../../directory/entities/partner-organisation.entity.js';
import { Trip } from './trip.entity.js';

/** A partner organisation co-organising a trip. It cannot be deleted while it is one. */
@Entity('trip_co_organisers')
export class TripCoOrganiser {
  @PrimaryColumn({
    name: 'trip_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_trip_co_organisers',
  })
  tripId: string;

  @Index('IDX_trip_co_organisers_partner_organisation')
  @PrimaryColumn({
    name: 'partner_organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_trip_co_organisers',
  })
  partnerOrganisationId: string;

  @ManyToOne(() => Trip, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_trip_co_organisers_trip' })
  trip?: Trip;

  @ManyToOne(() => PartnerOrganisation, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'partner_organisation_id',
    foreignKeyConstraintName: 'FK_trip_co_organisers_partner_organisation',
  })
  partnerOrganisation?: PartnerOrganisation;
}
