import { ApiCountry, ApiDate, ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import { PartialType } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import {
  IsCalendarDate,
  IsCountryCode,
  IsText,
  IsTimezone,
  Optional,
} from '../../../common/validation.js';
import type { Station } from '../entities/station.entity.js';
import { Notice } from '../../../common/notice.dto.js';

export class CreateStationDto {
  @IsText(100)
  city: string;

  /** ISO 3166-1 alpha-2. */
  @IsCountryCode()
  country: string;

  /** IANA timezone, e.g. Asia/Almaty (never a fixed offset). */
  @IsTimezone()
  timezone: string;

  /** YYYY-MM-DD, inside the trip's dates. */
  @IsCalendarDate()
  arrivalDate: string;

  /** YYYY-MM-DD, inside the trip's dates, not before arrival. */
  @IsCalendarDate()
  departureDate: string;

  /** Place in the trip's order, from 1; defaults to after the last station. */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  position?: number;
}

export class UpdateStationDto extends PartialType(CreateStationDto, {
  skipNullProperties: false,
}) {}

export class StationDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  tripId: string;
  @ApiText(100)
  city: string;
  /** ISO 3166-1 alpha-2. */
  @ApiCountry()
  country: string;
  /** IANA timezone; times at this station are shown in it. */
  @ApiText(64)
  timezone: string;
  @ApiDate()
  arrivalDate: string;
  @ApiDate()
  departureDate: string;
  @ApiInteger()
  position: number;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  static from(station: Station): StationDto {
    return {
      id: station.id,
      tripId: station.tripId,
      city: station.city,
      country: station.country,
      timezone: station.timezone,
      arrivalDate: station.arrivalDate,
      departureDate: station.departureDate,
      position: station.position,
      createdAt: station.createdAt,
      updatedAt: station.updatedAt,
      version: station.version,
    };
  }
}

/** A changed station, with what the change did elsewhere. */
export class UpdatedStationDto extends StationDto {
  /**
   * What the change did beyond the station, e.g. `meetings_shown_in_new_timezone`
   * after a change of `timezone`: the meetings keep their instants, their local
   * times now read in the new zone. Empty when nothing else changed.
   */
  notices: Notice[];

  static withNotices(station: Station, notices: Notice[]): UpdatedStationDto {
    return { ...StationDto.from(station), notices };
  }
}
