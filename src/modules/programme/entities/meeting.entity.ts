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
import { User } from '../../identity/entities/user.entity.js';
import { Station } from '../../trips/entities/station.entity.js';
import { Trip } from '../../trips/entities/trip.entity.js';
import {
  MEETING_KINDS,
  MEETING_STATUSES,
  MEETING_VISIBILITIES,
  type MeetingKind,
  type MeetingStatus,
  type MeetingVisibility,
} from '../programme.constants.js';

/**
 * An item of a trip's programme, at one of its stations: stored as instants,
 * shown in the station's timezone (DESIGN §3).
 */
@Entity('meetings')
@Check('CHK_meetings_kind', `"kind" IN (${sqlList(MEETING_KINDS)})`)
@Check('CHK_meetings_status', `"status" IN (${sqlList(MEETING_STATUSES)})`)
@Check('CHK_meetings_visibility', `"visibility" IN (${sqlList(MEETING_VISIBILITIES)})`)
@Check('CHK_meetings_times', `"ends_at" > "starts_at"`)
@Index('IDX_meetings_trip_starts', ['tripId', 'startsAt', 'id'])
@Index('IDX_meetings_tenant_updated', ['tenantId', 'updatedAt'])
@Index('IDX_meetings_tenant_starts', ['tenantId', 'startsAt'])
export class Meeting extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_meetings' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'trip_id', type: 'uuid' })
  tripId: string;

  @ManyToOne(() => Trip, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_meetings_trip' })
  trip?: Trip;

  @Index('IDX_meetings_station')
  @Column({ name: 'station_id', type: 'uuid' })
  stationId: string;

  @ManyToOne(() => Station, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'station_id', foreignKeyConstraintName: 'FK_meetings_station' })
  station?: Station;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  kind: MeetingKind;

  /** Changes only through transitions. */
  @Column({ type: 'text', default: 'planned' })
  status: MeetingStatus;

  @Column({ name: 'starts_at', type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({ name: 'location_name', type: 'varchar', length: 200, nullable: true })
  locationName: string | null;

  @Column({ name: 'location_address', type: 'varchar', length: 500, nullable: true })
  locationAddress: string | null;

  /** The staff member in charge. */
  @Index('IDX_meetings_host')
  @Column({ name: 'host_user_id', type: 'uuid', nullable: true })
  hostUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'host_user_id', foreignKeyConstraintName: 'FK_meetings_host_user' })
  host?: User;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** What came of it; set once the meeting is held. */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ type: 'text', default: 'attendees' })
  visibility: MeetingVisibility;
}
