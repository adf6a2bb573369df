import { ApiProperty, IntersectionType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsUUID,
} from 'class-validator';
import { ApiDate, ApiText, ApiUuid, ApiUuids } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import type { LocalReading } from '../../../common/time.js';
import {
  IsCalendarDate,
  IsInstant,
  IsPlaceTime,
  IsText,
  NestedObject,
  Optional,
  ToBoolean,
} from '../../../common/validation.js';
import {
  MEETING_KINDS,
  MEETING_STATUSES,
  MEETING_VISIBILITIES,
  type MeetingKind,
  type MeetingStatus,
  type MeetingVisibility,
} from '../programme.constants.js';

export class MeetingLocationDto {
  /** E.g. "Ministry of Trade and Integration, room 402". */
  @IsText(200)
  name: string;

  @IsOptional()
  @IsText(500)
  address?: string | null;
}

/** Who is met: the agency's partner organisations and contacts. */
export class CounterpartsDto {
  @IsOptional()
  @ApiUuids()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  organisationIds?: string[];

  @IsOptional()
  @ApiUuids()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  contactIds?: string[];
}

export class CreateMeetingDto {
  /** E.g. "Talks with the Ministry of Trade and Integration". */
  @IsText(200)
  title: string;

  @IsIn(MEETING_KINDS)
  kind: MeetingKind;

  /** The station of this trip where it takes place; its timezone reads local times. */
  @IsUUID()
  stationId: string;

  /** Start: local at the station (`2024-03-01T10:00`) or with an offset. */
  @IsPlaceTime()
  startsAt: string;

  /** End: after the start, at most 24 hours later. */
  @IsPlaceTime()
  endsAt: string;

  @IsOptional()
  @NestedObject(() => MeetingLocationDto)
  location?: MeetingLocationDto | null;

  @Optional()
  @NestedObject(() => CounterpartsDto)
  counterparts?: CounterpartsDto;

  /** Participants of this trip who attend: confirmed (or attended, no-show) or applied. */
  @Optional()
  @ApiUuids()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  attendeeIds?: string[];

  /** The staff member in charge. */
  @IsOptional()
  @IsUUID()
  hostUserId?: string | null;

  @IsOptional()
  @IsText(5000)
  notes?: string | null;

  /** `delegation`: shown to every confirmed participant; `attendees` (default): only to them. */
  @Optional()
  @IsIn(MEETING_VISIBILITIES)
  visibility?: MeetingVisibility;
}

export class UpdateMeetingDto extends PartialType(CreateMeetingDto, {
  skipNullProperties: false,
}) {
  /** What came of it; may be set once the meeting is `held`. */
  @IsOptional()
  @IsText(10_000)
  outcome?: string | null;
}

export class MeetingTransitionDto {
  /** `planned → confirmed → held`; anything before `held` → `cancelled`. */
  @IsIn(MEETING_STATUSES)
  to: MeetingStatus;
}

/** The programme's filters (the meeting list has them too); no paging: a trip's programme is one answer. */
export class ProgrammeQuery {
  /** Only meetings at this station. */
  @IsOptional()
  @IsUUID()
  stationId?: string;

  /** Only meetings of this kind. */
  @IsOptional()
  @IsIn(MEETING_KINDS)
  kind?: MeetingKind;

  /** Only meetings in this status. */
  @IsOptional()
  @IsIn(MEETING_STATUSES)
  status?: MeetingStatus;

  /** Only meetings this participant attends. */
  @IsOptional()
  @IsUUID()
  participantId?: string;

  /** Only meetings starting on or after this local date at their station. */
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  /** Only meetings starting on or before this local date at their station. */
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

/** The meeting list's filters: the programme's, and an organisation met and recent changes. */
export class ListMeetingsQuery extends IntersectionType(PageQueryDto, ProgrammeQuery) {
  /** Meetings with this partner organisation. */
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  /**
   * true: only official appointments (held, or confirmed while the trip is under way; not
   * `travel` or `other`), as the trip report counts them; false: all others.
   */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  official?: boolean;

  /** false: leave cancelled meetings out (as the trip report counts meetings); true: only those. */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  cancelled?: boolean;

  /** Only meetings changed at or after this instant. */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

/** A meeting's times as they read at its station, from the IANA rules in force then. */
export class LocalTimesDto {
  /** Wall-clock start at the station, e.g. `2024-03-01T10:00:00`. */
  @ApiText(19)
  startsAt: string;
  @ApiText(19)
  endsAt: string;
  /** The local date it starts on. */
  @ApiDate()
  date: string;
  /** The station's IANA timezone. */
  @ApiText(64)
  timeZone: string;
  /** Its offset from UTC at the start, e.g. `+05:00`. */
  @ApiText(6)
  utcOffset: string;

  static of(start: LocalReading, end: LocalReading): LocalTimesDto {
    return {
      startsAt: start.dateTime,
      endsAt: end.dateTime,
      date: start.date,
      timeZone: start.timeZone,
      utcOffset: start.utcOffset,
    };
  }
}

export class MeetingLocationViewDto {
  @ApiText(200)
  name: string;
  @ApiText(500)
  address: string | null;
}

export class CounterpartsViewDto {
  @ApiUuids()
  organisationIds: string[];
  @ApiUuids()
  contactIds: string[];
}

export class MeetingDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  tripId: string;
  @ApiUuid()
  stationId: string;
  @ApiText(200)
  title: string;
  @ApiProperty({ enum: MEETING_KINDS })
  kind: MeetingKind;
  @ApiProperty({ enum: MEETING_STATUSES })
  status: MeetingStatus;
  /** The start as a UTC instant. */
  startsAt: Date;
  endsAt: Date;
  /** Start and end as they read at the station. */
  local: LocalTimesDto;
  location: MeetingLocationViewDto | null;
  counterparts: CounterpartsViewDto;
  /** Participants attending, by id. */
  @ApiUuids()
  attendeeIds: string[];
  @ApiUuid()
  hostUserId: string | null;
  notes: string | null;
  outcome: string | null;
  @ApiProperty({ enum: MEETING_VISIBILITIES })
  visibility: MeetingVisibility;
  /** The statuses it can move to now. */
  @ApiProperty({ enum: MEETING_STATUSES, isArray: true })
  allowedTransitions: MeetingStatus[];
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiProperty({ type: 'integer' })
  version: number;
}

export class ProgrammeStationDto {
  @ApiUuid()
  id: string;
  @ApiText(100)
  city: string;
  @ApiText(64)
  timeZone: string;
}

/** One local day at one station. */
export class ProgrammeDayDto {
  @ApiDate()
  date: string;
  station: ProgrammeStationDto;
  @ApiProperty({ type: () => MeetingDto, isArray: true })
  meetings: MeetingDto[];
}

export class ProgrammeDto {
  /** By local date, then station order; meetings by start. */
  @ApiProperty({ type: () => ProgrammeDayDto, isArray: true })
  days: ProgrammeDayDto[];
}

export class ItineraryStationDto {
  @ApiUuid()
  id: string;
  @ApiText(100)
  city: string;
  /** ISO 3166-1 alpha-2. */
  @ApiText(2)
  country: string;
  @ApiText(64)
  timeZone: string;
  @ApiDate()
  arrivalDate: string;
  @ApiDate()
  departureDate: string;
}

/** A participant's trip: its stations, and the meetings they attend or the whole delegation is shown. */
export class ItineraryDto {
  @ApiUuid()
  tripId: string;
  @ApiUuid()
  participantId: string;
  @ApiProperty({ type: () => ItineraryStationDto, isArray: true })
  stations: ItineraryStationDto[];
  /** By start, cancelled ones included (with their status). */
  @ApiProperty({ type: () => MeetingDto, isArray: true })
  meetings: MeetingDto[];
}
