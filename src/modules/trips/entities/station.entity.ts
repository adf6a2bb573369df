import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { Trip } from './trip.entity.js';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/** A leg of a trip: a city with its own timezone, between two dates inside the trip's. */
@Entity('stations')
@Check('CHK_stations_dates', `"departure_date" >= "arrival_date"`)
@Check('CHK_stations_country', `"country" ~ '^[A-Z]{2}$'`)
@Index('IDX_stations_trip_position', ['tripId', 'position', 'id'])
export class Station extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_stations' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'trip_id', type: 'uuid' })
  tripId: string;

  /** Stations are part of their trip: deleting a (draft) trip removes them. */
  @ManyToOne(() => Trip, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_stations_trip' })
  trip?: Trip;

  @Column({ type: 'varchar', length: 100 })
  city: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  /** IANA name, e.g. Asia/Almaty; meetings here are shown in it. */
  @Column({ type: 'text' })
  timezone: string;

  @Column({ name: 'arrival_date', type: 'date' })
  arrivalDate: string;

  @Column({ name: 'departure_date', type: 'date' })
  departureDate: string;

  /** Order within the trip, from 1. */
  @Column({ type: 'integer' })
  position: number;
}
