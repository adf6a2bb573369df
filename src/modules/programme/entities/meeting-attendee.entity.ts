import { Column, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';
import { Participant } from '../../participants/entities/participant.entity.js';
import { Meeting } from './meeting.entity.js';

/**
 * A participant attending a meeting, with the meeting's time copied onto the
 * row so that PostgreSQL itself refuses a second overlapping attendance of
 * the same participant (exclusion constraint; adjacent times do not overlap,
 * inactive rows — a cancelled meeting's — never conflict). It holds under any
 * concurrency: two bookings racing for one person cannot both commit.
 */
@Entity('meeting_attendees')
@Exclusion(
  'EXCL_meeting_attendees_no_overlap',
  `USING gist ("participant_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("active")`,
)
export class MeetingAttendee {
  @PrimaryColumn({
    name: 'meeting_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_meeting_attendees',
  })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_meeting_attendees_meeting' })
  meeting?: Meeting;

  @Index('IDX_meeting_attendees_participant')
  @PrimaryColumn({
    name: 'participant_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_meeting_attendees',
  })
  participantId: string;

  @ManyToOne(() => Participant, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'participant_id',
    foreignKeyConstraintName: 'FK_meeting_attendees_participant',
  })
  participant?: Participant;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'starts_at', type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', precision: 3 })
  endsAt: Date;

  /** False while the meeting is cancelled: the participant is free again. */
  @Column({ type: 'boolean', default: true })
  active: boolean;
}
