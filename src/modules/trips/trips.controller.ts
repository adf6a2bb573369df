import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch, WithLiveFigures } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, PageQueryDto, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  CreateStationDto,
  StationDto,
  UpdateStationDto,
  UpdatedStationDto,
} from './dto/station.dto.js';
import {
  CreateTripDto,
  ListTripsQuery,
  TripDto,
  TripTransitionDto,
  UpdateTripDto,
} from './dto/trip.dto.js';
import { StationsService } from './stations.service.js';
import { TRIP_TRANSITIONS } from './trips.constants.js';
import { TripsService } from './trips.service.js';
import type { TripView } from './trip-reads.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const toDto = ({ trip, ...extra }: TripView) =>
  TripDto.from(trip, extra, TRIP_TRANSITIONS[trip.status]);

const TRIP_ID = "The trip's id.";
const STATION_ID = "The station's id.";

@ApiTags('trips')
@Controller('trips')
export class TripsController {
  constructor(
    private readonly trips: TripsService,
    private readonly stations: StationsService,
  ) {}

  /**
   * Your trips, latest start first.
   *
   * @remarks
   * Filter by `status`, `kind`, a `country` visited, the `year` it starts in, a date range
   * (`from`: still running on or after; `to`: started on or before) and `updatedSince` to
   * pick up changes since your last sync. Each trip comes with its seats left, participants
   * per status and readiness, as they are now. Cursor-paginated: pass `nextCursor` as
   * `cursor`.
   */
  @Get()
  @Requires('trips:read')
  @ApiPageResponse(TripDto)
  @ApiProblems(400)
  async list(@CurrentActor() actor: Actor, @Query() query: ListTripsQuery): Promise<Page<TripDto>> {
    const page = await this.trips.list(actor, query);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  /**
   * Plan a trip; it starts as `draft`.
   *
   * @remarks
   * The end must not be before the start, `capacity` is at least 1 (seats for everyone but
   * staff) and `seatsPerOrganisation` optionally caps the seats one organisation takes. A
   * registration window must close before the trip starts, that is before 00:00 of its first
   * day in the agency's timezone, and after it opens. Co-organisers must be your partner
   * organisations and the lead one of your contacts. Every broken rule is listed in one 400.
   * Add stations with `POST /trips/{id}/stations`. Audited.
   */
  @Post()
  @Idempotent()
  @Requires('trips:write')
  @Created(TripDto)
  @ApiProblems(400, 422)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateTripDto): Promise<TripDto> {
    return toDto(await this.trips.create(actor, dto));
  }

  /**
   * One trip, with its seats and readiness as they are now.
   *
   * @remarks
   * `seatsLeft`, `participantCounts` and `readiness` (of the confirmed: visas still needed,
   * travel documents missing, passports expiring too soon) are computed on every read, and
   * `allowedTransitions` lists the statuses it can move to now. The `ETag` (the `version`)
   * serves `If-Match` on changes, but `If-None-Match` never answers 304: the figures change
   * without the trip changing.
   */
  @Get(':id')
  @WithLiveFigures()
  @Requires('trips:read')
  @ApiProblems(400, 404)
  async get(@CurrentActor() actor: Actor, @UuidParam('id', TRIP_ID) id: string): Promise<TripDto> {
    return toDto(await this.trips.get(actor, id));
  }

  /**
   * Change some fields of a trip.
   *
   * @remarks
   * Send only the fields to change; `null` clears an optional one. The status changes only
   * through `POST /trips/{id}/transitions`. The rules of `POST /trips` apply to the result
   * (400). New dates that would leave a station outside the trip are 409
   * `stations_outside_trip` with `stationIds`; a capacity below the confirmed participants
   * is 409 `capacity_below_confirmed`. More seats, a looser cap or another waitlist policy
   * promote from the waitlist at once. 412 on a stale `If-Match`. Audited with what changed.
   */
  @Patch(':id')
  @Requires('trips:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Body() dto: UpdateTripDto,
    @IfMatch() version?: number,
  ): Promise<TripDto> {
    return toDto(await this.trips.update(actor, id, dto, version));
  }

  /**
   * Move the trip along its lifecycle.
   *
   * @remarks
   * `draft` → `planned` → `registration_open` → `registration_closed` → `in_progress` →
   * `completed`, and `cancelled` from any status before `completed`; `completed` and
   * `cancelled` are final. Any other move is 409 `illegal_transition` with
   * `allowedTransitions`. Invitations can be sent while the trip is `planned` or
   * `registration_open`; invitees register only while it is `registration_open`. Answers
   * with the trip. 412 on a stale `If-Match`. Audited.
   */
  @Post(':id/transitions')
  @Idempotent()
  @Requires('trips:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412, 422)
  async transition(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Body() dto: TripTransitionDto,
    @IfMatch() version?: number,
  ): Promise<TripDto> {
    return toDto(await this.trips.transition(actor, id, dto.to, version));
  }

  /**
   * Delete a draft trip and its stations.
   *
   * @remarks
   * Only a `draft` can be deleted; a trip past that is 409 `trip_not_draft` and is cancelled
   * instead (`POST /trips/{id}/transitions` with `cancelled`), so its history stays. A draft
   * that already has participants is 409 `in_use`. 412 on a stale `If-Match`. Audited.
   */
  @Delete(':id')
  @Requires('trips:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.trips.delete(actor, id, version);
  }

  /**
   * The trip's stations, in order.
   *
   * @remarks
   * By `position` (1 first): each city visited, with its country, IANA timezone and the
   * days there. Cursor-paginated: pass `nextCursor` as `cursor`.
   */
  @Get(':id/stations')
  @Requires('trips:read')
  @ApiPageResponse(StationDto)
  @ApiProblems(400, 404)
  async listStations(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<StationDto>> {
    const page = await this.stations.list(actor, id, query);
    return { items: page.items.map((s) => StationDto.from(s)), nextCursor: page.nextCursor };
  }

  /**
   * Add a station inside the trip's dates.
   *
   * @remarks
   * Arrival and departure must lie within the trip's dates, departure not before arrival
   * (400 naming the field). `timezone` is an IANA name such as `Asia/Almaty`, never a fixed
   * offset: messages to participants show the station's times in it. Without `position` the
   * station goes after the last one. The trip is locked meanwhile, so this never races a
   * change of its dates. Audited.
   */
  @Post(':id/stations')
  @Idempotent()
  @Requires('trips:write')
  @Created(StationDto)
  @ApiProblems(400, 404, 422)
  async createStation(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Body() dto: CreateStationDto,
  ): Promise<StationDto> {
    return StationDto.from(await this.stations.create(actor, id, dto));
  }

  /**
   * One station of a trip.
   *
   * @remarks
   * Its `ETag` (the `version`) serves `If-Match` on changes; `If-None-Match` with it answers
   * 304 while nothing changed. 404 when the station is not on this trip.
   */
  @Get(':id/stations/:stationId')
  @Requires('trips:read')
  @ApiProblems(400, 404)
  async getStation(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('stationId', STATION_ID) stationId: string,
  ): Promise<StationDto> {
    return StationDto.from(await this.stations.get(actor, id, stationId));
  }

  /**
   * Change a station.
   *
   * @remarks
   * Send only the fields to change. Its dates must stay within the trip's, departure not
   * before arrival (400). Changing `position` reorders the list. 412 on a stale `If-Match`.
   * Audited with what changed.
   *
   * The programme follows: dates that would leave meetings on days the delegation is
   * elsewhere are 409 `meetings_outside_station` with `meetingIds`. A new `timezone` keeps
   * the meetings' instants (10:00 in Almaty stays the same moment), so their local times
   * change: the response says so in `notices` (`meetings_shown_in_new_timezone`, with their
   * ids), and each meeting gets a new version (calendar SEQUENCE raised).
   */
  @Patch(':id/stations/:stationId')
  @Requires('trips:write')
  @ApiProblems(400, 404, 409, 412)
  async updateStation(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('stationId', STATION_ID) stationId: string,
    @Body() dto: UpdateStationDto,
    @IfMatch() version?: number,
  ): Promise<UpdatedStationDto> {
    const { station, notices } = await this.stations.update(actor, id, stationId, dto, version);
    return UpdatedStationDto.withNotices(station, notices);
  }

  /**
   * Remove a station from a trip.
   *
   * @remarks
   * The other stations keep their positions. A station with meetings in the programme is 409
   * `in_use` (delete or move them first). 412 on a stale `If-Match`. Audited.
   */
  @Delete(':id/stations/:stationId')
  @Requires('trips:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  deleteStation(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('stationId', STATION_ID) stationId: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.stations.delete(actor, id, stationId, version);
  }
}
