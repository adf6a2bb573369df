import {
  ApiCountries,
  ApiDate,
  ApiInteger,
  ApiText,
  ApiTexts,
  ApiTimestamp,
  ApiUuid,
  ApiUuids,
} from '../../../common/openapi.js';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import {
  IsCalendarDate,
  IsCountryCode,
  IsCountryCodes,
  IsInstant,
  IsTags,
  IsText,
  OneOrMoreOf,
  Optional,
} from '../../../common/validation.js';
import type { Readiness } from '../trip-reads.js';
import type { Trip } from '../entities/trip.entity.js';
import { iso, type WireRow } from '../../../database/wire-timestamps.js';
import {
  REGISTRATION_MODES,
  TRIP_KINDS,
  TRIP_STATUSES,
  WAITLIST_POLICIES,
  type RegistrationMode,
  type TripKind,
  type TripStatus,
  type WaitlistPolicy,
} from '../trips.constants.js';

export class CreateTripDto {
  /** E.g. "Markterkundungsreise Kasachstan und Usbekistan". */
  @IsText(300)
  title: string;

  @IsIn(TRIP_KINDS)
  kind: TripKind;

  /** Countries visited (ISO 3166-1 alpha-2). */
  @IsOptional()
  @IsCountryCodes()
  countries?: string[];

  /** First day (YYYY-MM-DD). */
  @IsCalendarDate()
  startDate: string;

  /** Last day (YYYY-MM-DD), not before the first. */
  @IsCalendarDate()
  endDate: string;

  /** Seats for participants other than staff. */
  @ApiInteger()
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity: number;

  /** Most seats one organisation may take; omit or null for no cap. */
  @IsOptional()
  @ApiInteger()
  @IsInt()
  @Min(1)
  @Max(10_000)
  seatsPerOrganisation?: number | null;

  /** What happens when the head of the waitlist does not fit (default `strict_order`). */
  @Optional()
  @IsIn(WAITLIST_POLICIES)
  waitlistPolicy?: WaitlistPolicy;

  /** `invitation_only` (default) or `open`. */
  @Optional()
  @IsIn(REGISTRATION_MODES)
  registrationMode?: RegistrationMode;

  /** Registrations wait for staff approval (default false). */
  @Optional()
  @IsBoolean()
  approvalRequired?: boolean;

  /** When registration opens (ISO 8601 instant). */
  @IsOptional()
  @IsInstant()
  registrationOpensAt?: Date | null;

  /** When registration closes; must be before the trip starts. */
  @IsOptional()
  @IsInstant()
  registrationClosesAt?: Date | null;

  /** Sectors of interest, as free tags. */
  @IsOptional()
  @IsTags()
  sectors?: string[];

  /** Partner organisations co-organising the trip. */
  @IsOptional()
  @ApiProperty({ type: [String], format: 'uuid', maxItems: 20, uniqueItems: true })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  coOrganiserIds?: string[];

  /** The contact leading the trip (e.g. a minister). */
  @IsOptional()
  @IsUUID()
  leadContactId?: string | null;

  /** Their role on the trip, e.g. "Minister for Economic Affairs". */
  @IsOptional()
  @IsText(200)
  leadRole?: string | null;

  /** What the trip is about, for invitees too (shown on the invitation page). */
  @IsOptional()
  @IsText(20_000)
  description?: string | null;
}

/** Any subset of the fields; `null` clears an optional one. Status changes via transitions. */
export class UpdateTripDto extends PartialType(CreateTripDto, { skipNullProperties: false }) {}

export class TripTransitionDto {
  /** The status to move to; see DESIGN's trip lifecycle. */
  @IsIn(TRIP_STATUSES)
  to: TripStatus;
}

export class ListTripsQuery extends PageQueryDto {
  /** Only trips in this status, or in one of these (`planned,registration_open`). */
  @IsOptional()
  @OneOrMoreOf(TRIP_STATUSES)
  status?: TripStatus[];

  /** Only trips of this kind. */
  @IsOptional()
  @IsIn(TRIP_KINDS)
  kind?: TripKind;

  /** Trips visiting this country. */
  @IsOptional()
  @IsCountryCode()
  country?: string;

  /** Trips starting in this year. */
  @IsOptional()
  @ApiInteger()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year?: number;

  /** Trips still running on or after this date (YYYY-MM-DD). */
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  /** Trips that have started on or before this date (YYYY-MM-DD). */
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  /** Only trips changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class ReadinessDto implements Readiness {
  /** Confirmed participants, staff included. */
  @ApiInteger()
  travelling: number;
  /** Of them, those who need a visa. */
  @ApiInteger()
  visaRequired: number;
  /** Those who need a visa that is not granted yet. */
  @ApiInteger()
  visasNotGranted: number;
  /** Those who need a visa and have no travel document on file. */
  @ApiInteger()
  travelDocumentsMissing: number;
  /** Those whose passport expires less than the agency's margin after the trip ends. */
  @ApiInteger()
  passportExpiryWarnings: number;
}

export class TripDto {
  @ApiUuid()
  id: string;
  @ApiText(300)
  title: string;
  kind: TripKind;
  /** Read-only; change it with POST /trips/{id}/transitions. */
  status: TripStatus;
  @ApiCountries()
  countries: string[];
  /** YYYY-MM-DD. */
  @ApiDate()
  startDate: string;
  /** YYYY-MM-DD. */
  @ApiDate()
  endDate: string;
  @ApiInteger()
  capacity: number;
  @ApiInteger()
  seatsPerOrganisation: number | null;
  waitlistPolicy: WaitlistPolicy;
  registrationMode: RegistrationMode;
  /**
   * The trip's name in public links: with `registrationMode: open`, anyone registers at
   * `{PUBLIC_BASE_URL}/trips/{publicId}/register` (JSON: `/api/v1/public/trips/{publicId}`).
   */
  @ApiText(16)
  publicId: string;
  approvalRequired: boolean;
  @ApiTimestamp({ nullable: true })
  registrationOpensAt: string | null;
  @ApiTimestamp({ nullable: true })
  registrationClosesAt: string | null;
  @ApiTexts(60)
  sectors: string[];
  @ApiUuids()
  coOrganiserIds: string[];
  @ApiUuid()
  leadContactId: string | null;
  @ApiText(200)
  leadRole: string | null;
  @ApiText(20_000)
  description: string | null;
  /** The statuses this trip can move to now. */
  allowedTransitions: TripStatus[];
  /** Participants per status (statuses with none are left out). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { confirmed: 10, waitlisted: 3 },
  })
  participantCounts: Record<string, number>;
  /** Agreements from this trip per status (statuses with none are left out). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { signed: 2, in_force: 9 },
  })
  agreementCounts: Record<string, number>;
  /** Seats not taken by confirmed participants other than staff. */
  @ApiInteger()
  seatsLeft: number;
  /** How ready the confirmed participants are to travel (visas, passports). */
  readiness: ReadinessDto;
  @ApiTimestamp()
  createdAt: string;
  @ApiTimestamp()
  updatedAt: string;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  /** From the entity or from a hot read's row (timestamps already text). */
  static from(
    trip: Trip | WireRow<Trip>,
    extra: {
      coOrganiserIds: string[];
      participantCounts: Record<string, number>;
      agreementCounts: Record<string, number>;
      seatsLeft: number;
      readiness: Readiness;
    },
    allowedTransitions: readonly TripStatus[],
  ): TripDto {
    return {
      id: trip.id,
      title: trip.title,
      kind: trip.kind,
      status: trip.status,
      countries: trip.countries,
      startDate: trip.startDate,
      endDate: trip.endDate,
      capacity: trip.capacity,
      seatsPerOrganisation: trip.seatsPerOrganisation,
      waitlistPolicy: trip.waitlistPolicy,
      registrationMode: trip.registrationMode,
      publicId: trip.publicId,
      approvalRequired: trip.approvalRequired,
      registrationOpensAt: iso(trip.registrationOpensAt),
      registrationClosesAt: iso(trip.registrationClosesAt),
      sectors: trip.sectors,
      coOrganiserIds: extra.coOrganiserIds,
      leadContactId: trip.leadContactId,
      leadRole: trip.leadRole,
      description: trip.description,
      allowedTransitions: [...allowedTransitions],
      participantCounts: extra.participantCounts,
      agreementCounts: extra.agreementCounts,
      seatsLeft: extra.seatsLeft,
      readiness: extra.readiness,
      createdAt: iso(trip.createdAt),
      updatedAt: iso(trip.updatedAt),
      version: trip.version,
    };
  }
}
