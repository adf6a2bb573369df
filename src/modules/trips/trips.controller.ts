import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch, WithLiveFigures } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, PageQueryDto, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { CreateStationDto, StationDto, UpdateStationDto } from './dto/station.dto.js';
import {
  CreateTripDto,
  ListTripsQuery,
  TripDto,
  TripTransitionDto,
  UpdateTripDto,
} from './dto/trip.dto.js';
import { StationsService } from './stations.service.js';
import { TRIP_TRANSITIONS } from './trips.constants.js';
import { TripsService, type TripView } from './trips.service.js';

const toDto = ({ trip, ...extra }: TripView) =>
  TripDto.from(trip, extra, TRIP_TRANSITIONS[trip.status]);

@ApiTags('trips')
@Controller('trips')
export class TripsController {
  constructor(
    private readonly trips: TripsService,
    private readonly stations: StationsService,
  ) {}

  /** Your trips, newest start first. */
  @Get()
  @Requires('trips:read')
  @ApiPageResponse(TripDto)
  @ApiProblems(400)
  async list(@CurrentActor() actor: Actor, @Query() query: ListTripsQuery): Promise<Page<TripDto>> {
    const page = await this.trips.list(actor, query);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  /** Plan a trip; it starts as `draft`. */
  @Post()
  @Requires('trips:write')
  @ApiProblems(400, 422)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateTripDto): Promise<TripDto> {
    return toDto(await this.trips.create(actor, dto));
  }

  /** One trip, with its seats and readiness as they are now. */
  @Get(':id')
  @WithLiveFigures()
  @Requires('trips:read')
  @ApiProblems(400, 404)
  async get(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<TripDto> {
    return toDto(await this.trips.get(actor, id));
  }

  /** Change some fields; `null` clears an optional one. The status changes through transitions. */
  @Patch(':id')
  @Requires('trips:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: UpdateTripDto,
    @IfMatch() version?: number,
  ): Promise<TripDto> {
    return toDto(await this.trips.update(actor, id, dto, version));
  }

  /** Move the trip along its lifecycle (409 names the statuses allowed next). */
  @Post(':id/transitions')
  @Requires('trips:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412, 422)
  async transition(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: TripTransitionDto,
    @IfMatch() version?: number,
  ): Promise<TripDto> {
    return toDto(await this.trips.transition(actor, id, dto.to, version));
  }

  /** Delete a draft trip and its stations; later trips are cancelled instead (409). */
  @Delete(':id')
  @Requires('trips:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.trips.delete(actor, id, version);
  }

  /** The trip's stations, in order. */
  @Get(':id/stations')
  @Requires('trips:read')
  @ApiPageResponse(StationDto)
  @ApiProblems(400, 404)
  async listStations(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<StationDto>> {
    const page = await this.stations.list(actor, id, query);
    return { items: page.items.map((s) => StationDto.from(s)), nextCursor: page.nextCursor };
  }

  /** Add a station inside the trip's dates; by default after the last one. */
  @Post(':id/stations')
  @Requires('trips:write')
  @ApiProblems(400, 404, 422)
  async createStation(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: CreateStationDto,
  ): Promise<StationDto> {
    return StationDto.from(await this.stations.create(actor, id, dto));
  }

  /** One station. */
  @Get(':id/stations/:stationId')
  @Requires('trips:read')
  @ApiProblems(400, 404)
  async getStation(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @UuidParam('stationId') stationId: string,
  ): Promise<StationDto> {
    return StationDto.from(await this.stations.get(actor, id, stationId));
  }

  /** Change a station; its dates stay inside the trip's. */
  @Patch(':id/stations/:stationId')
  @Requires('trips:write')
  @ApiProblems(400, 404, 412)
  async updateStation(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @UuidParam('stationId') stationId: string,
    @Body() dto: UpdateStationDto,
    @IfMatch() version?: number,
  ): Promise<StationDto> {
    return StationDto.from(await this.stations.update(actor, id, stationId, dto, version));
  }

  /** Remove a station. */
  @Delete(':id/stations/:stationId')
  @Requires('trips:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 412)
  deleteStation(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @UuidParam('stationId') stationId: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.stations.delete(actor, id, stationId, version);
  }
}
