import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { Equals, IsIn, IsOptional, IsUUID } from 'class-validator';
import {
  ApiCountries,
  ApiCountry,
  ApiDate,
  ApiInteger,
  ApiText,
  ApiUuid,
} from '../../../common/openapi.js';
import { IsEmailAddress, IsText, NestedObject } from '../../../common/validation.js';
import { ParticipantFieldsDto } from '../../participants/dto/participant.dto.js';
import {
  PARTICIPANT_STATUSES,
  type ParticipantCategory,
  type ParticipantStatus,
} from '../../participants/participants.constants.js';
import {
  PutTravelDocumentDto,
  TravelDocumentDto,
} from '../../participants/dto/travel-document.dto.js';
import { INVITATION_STATUSES, type InvitationStatus } from '../invitations.constants.js';
import { LOCALES, type Locale } from '../../identity/roles.js';
import type { TripKind } from '../../trips/trips.constants.js';

/** What a participant may say about themselves, when registering and afterwards. */
const SELF_SERVICE_FIELDS = [
  'category',
  'dietaryNeeds',
  'accessibilityNeeds',
  'arrival',
  'departure',
  'visaRequired',
  'answers',
] as const;

class SelfServiceFieldsDto extends PickType(ParticipantFieldsDto, SELF_SERVICE_FIELDS) {}

export class PublicRegistrationDto extends SelfServiceFieldsDto {
  /**
   * The organisation they represent: the one the agency has on record for
   * them (see the invitation's `invitee.organisation`), or null to register
   * in a personal capacity. Defaults to the one on record.
   */
  @IsOptional()
  @IsUUID()
  organisationId?: string | null;

  /** Explicit consent to the processing of their data for the trip: must be true. */
  @ApiProperty({ enum: [true] })
  @Equals(true, { message: 'consent must be true: registering needs your consent' })
  consent: true;
}

export class PublicRegistrationUpdateDto extends PartialType(SelfServiceFieldsDto, {
  skipNullProperties: false,
}) {
  /** Passport details for the visa; replaces any given before. */
  @IsOptional()
  @NestedObject(() => PutTravelDocumentDto)
  travelDocument?: PutTravelDocumentDto;
}

export class PublicStationDto {
  @ApiText(100)
  city: string;
  /** ISO 3166-1 alpha-2. */
  @ApiCountry()
  country: string;
  /** IANA time zone: times there are shown in it. */
  @ApiText(64)
  timezone: string;
  @ApiDate()
  arrivalDate: string;
  @ApiDate()
  departureDate: string;
}

/** The trip as an invitee or participant sees it: nothing about other participants. */
export class PublicTripDto {
  @ApiText(300)
  title: string;
  kind: TripKind;
  @ApiText(20_000)
  description: string | null;
  @ApiDate()
  startDate: string;
  @ApiDate()
  endDate: string;
  @ApiCountries()
  countries: string[];
  @ApiProperty({ type: [PublicStationDto] })
  stations: PublicStationDto[];
  registrationOpensAt: Date | null;
  /** Registration, and changes to it, end here; the link stops working. */
  registrationClosesAt: Date | null;
  /** Whether registering is possible right now. */
  registrationOpen: boolean;
  /** Registrations are reviewed by the agency before a seat is given. */
  approvalRequired: boolean;
}

export class PublicAgencyDto {
  @ApiText(200)
  name: string;
  /** The agency's home time zone; deadlines are shown in it. */
  @ApiText(64)
  timezone: string;
  /** The agency's logo (https), if it set one. */
  @ApiProperty({ type: String, format: 'uri', nullable: true, maxLength: 2000 })
  logoUrl: string | null;
  /** The agency's colour, `#rrggbb`, if it set one. */
  @ApiProperty({ type: String, nullable: true, pattern: '^#[0-9a-f]{6}$' })
  accentColor: string | null;
  /** The agency's privacy text: what registering consents to. */
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  privacyNotice: string | null;
}

export class PublicOrganisationDto {
  @ApiUuid()
  id: string;
  @ApiText(300)
  name: string;
}

export class PublicInviteeDto {
  @ApiText(50)
  title: string | null;
  @ApiText(100)
  firstName: string | null;
  @ApiText(100)
  lastName: string;
  /** The address the invitation was sent to. */
  @ApiText(320)
  email: string;
  @ApiProperty({ type: PublicOrganisationDto, nullable: true })
  organisation: PublicOrganisationDto | null;
}

export class PublicPersonDto {
  @ApiText(100)
  firstName: string | null;
  @ApiText(100)
  lastName: string;
}

export class PublicInvitationDto {
  @ApiProperty({ enum: INVITATION_STATUSES })
  status: InvitationStatus;
  /** The agency's personal note. */
  @ApiText(5000)
  message: string | null;
  invitee: PublicInviteeDto;
  /** The language we write to them in: their own choice if we write in it, else the agency's. */
  @ApiProperty({ enum: LOCALES })
  language: Locale;
  agency: PublicAgencyDto;
  trip: PublicTripDto;
}

export class PublicRegistrationViewDto {
  @ApiProperty({ enum: PARTICIPANT_STATUSES })
  status: ParticipantStatus;
  /** Place on the waiting list (1 = next); null unless waitlisted. */
  @ApiInteger()
  waitlistPosition: number | null;
  category: ParticipantCategory;
  @ApiProperty({ type: PublicOrganisationDto, nullable: true })
  organisation: PublicOrganisationDto | null;
  @ApiText(500)
  dietaryNeeds: string | null;
  @ApiText(500)
  accessibilityNeeds: string | null;
  @ApiText(500)
  arrival: string | null;
  @ApiText(500)
  departure: string | null;
  visaRequired: boolean;
  answers: Record<string, unknown>;
  consentAt: Date | null;
  /** Passport number masked. */
  @ApiProperty({ type: TravelDocumentDto, nullable: true })
  travelDocument: TravelDocumentDto | null;
  /** Whether it can still be changed or cancelled here (until registration closes). */
  editable: boolean;
  /**
   * The participant's personal calendar feed (their stations' meetings in local time), to
   * subscribe to from a phone or Outlook; null once the participation was cancelled or rejected.
   */
  @ApiText(300)
  calendarFeed: string | null;
  /** The participant's programme as a page (printable); null once cancelled or rejected. */
  @ApiText(300)
  itinerary: string | null;
  /** The language we write to them in: their own choice if we write in it, else the agency's. */
  @ApiProperty({ enum: LOCALES })
  language: Locale;
  /** Changes with each edit (by the participant or the agency); send it as If-Match with PATCH. */
  @ApiInteger()
  version: number;
  participant: PublicPersonDto;
  agency: PublicAgencyDto;
  trip: PublicTripDto;
}

/** The answer to a registration: the registration and its self-service token. */
export class PublicRegisteredDto extends PublicRegistrationViewDto {
  /**
   * Token of the self-service page `${PUBLIC_BASE_URL}/registrations/{token}`
   * (also sent by email): use it with `/public/registrations/{token}`.
   */
  @ApiText(200)
  registrationToken: string;
}

/** Someone registering themselves for a trip in `open` mode. */
export class OpenRegistrationDto extends SelfServiceFieldsDto {
  /** E.g. "Dr.". */
  @IsOptional()
  @IsText(50)
  title?: string | null;

  @IsOptional()
  @IsText(100)
  firstName?: string | null;

  @IsText(100)
  lastName: string;

  /** Where the link to the registration is sent: only its owner gets it. */
  @IsEmailAddress()
  email: string;

  /** The language to write to them in (default: the agency's). */
  @IsOptional()
  @IsIn(LOCALES)
  preferredLanguage?: Locale | null;

  /** Explicit consent to the processing of their data for the trip: must be true. */
  @ApiProperty({ enum: [true] })
  @Equals(true, { message: 'consent must be true: registering needs your consent' })
  consent: true;
}

/** What anyone may see of a trip open for registration. */
export class PublicOpenTripDto {
  agency: PublicAgencyDto;
  trip: PublicTripDto;
}

/** The same answer to every registration: what happened is in the email to the address given. */
export class OpenRegistrationAcceptedDto {
  /** E.g. "Thank you. We have sent an email to the address you gave." */
  @ApiText(300)
  message: string;
}
