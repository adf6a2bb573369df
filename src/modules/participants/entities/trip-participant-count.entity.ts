import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Trip } from '../../trips/entities/trip.entity.js';
import type { ParticipantStatus } from '../participants.constants.js';

/**
 * A trip's participants of one status, counted as they change (TripCounts),
 * so that showing a trip costs the same for ten participants as for a
 * hundred thousand. `npm run cli -- check-trip-counts` recounts them from
 * the rows.
 */
@Entity('trip_participant_counts')
export class TripParticipantCount {
  @PrimaryColumn({
    name: 'trip_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_trip_participant_counts',
  })
  tripId: string;

  @ManyToOne(() => Trip, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_trip_participant_counts_trip' })
  trip?: Trip;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_trip_participant_counts' })
  status: ParticipantStatus;

  @Column({ type: 'integer', default: 0 })
  participants: number;

  /** Of them, not staff: those who take a seat when the status holds one. */
  @Column({ type: 'integer', default: 0 })
  seated: number;

  @Column({ name: 'visa_required', type: 'integer', default: 0 })
  visaRequired: number;

  @Column({ name: 'visas_not_granted', type: 'integer', default: 0 })
  visasNotGranted: number;

  @Column({ name: 'travel_documents_missing', type: 'integer', default: 0 })
  travelDocumentsMissing: number;

  @Column({ name: 'passport_expiry_warnings', type: 'integer', default: 0 })
  passportExpiryWarnings: number;
}
