import { sqlList } from '../../database/sql.js';
import { UNOFFICIAL_MEETING_KINDS } from '../programme/programme.constants.js';
import { officialAppointment } from '../programme/programme.repository.js';
import { TAKING_PART, UNCOUNTED_TRIP_STATUSES } from './reports.constants.js';

/**
 * The rows behind report figures that are people and organisations, as
 * subqueries selecting their ids, for the directory's list filters
 * (`representedOnTrip`, `metOnTrip`, `reachedIn`): the lists a report's
 * `list` links open. Named parameters: `:tenantId`, and `:reachTripId` or
 * `:reachYear`. The reports test follows each link and counts its rows.
 */

/** Organisations represented by those taking part in the trip (confirmed, attended). */
export const REPRESENTED_ON_TRIP = `SELECT p.organisation_id FROM participants p
  WHERE p.trip_id = :reachTripId AND p.status IN (${sqlList(TAKING_PART)})
    AND p.organisation_id IS NOT NULL`;

/** Organisations met in the trip's official appointments. */
export const MET_ON_TRIP = `SELECT mo.partner_organisation_id FROM meetings m
  JOIN meeting_organisations mo ON mo.meeting_id = m.id
  WHERE m.trip_id = :reachTripId AND (${officialAppointment('m')})`;

/**
 * The year's trips: starting in it, neither drafts nor cancelled. Used as
 * `= ANY (ARRAY(...))`, so that participants are read by their trip index
 * (an `IN` inside a union tempts the planner to scan them all).
 */
const TRIPS_OF_YEAR = `SELECT t.id FROM trips t
  WHERE t.tenant_id = :tenantId AND t.status NOT IN (${sqlList(UNCOUNTED_TRIP_STATUSES)})
    AND t.start_date >= make_date((:reachYear)::int, 1, 1)
    AND t.start_date < make_date((:reachYear)::int + 1, 1, 1)`;

/** People reached in the year: registered for or taking part in its trips (not rejected). */
export const CONTACTS_REACHED_IN = `SELECT p.contact_id FROM participants p
  WHERE p.trip_id = ANY (ARRAY(${TRIPS_OF_YEAR})) AND p.status <> 'rejected'`;

/**
 * Organisations reached in the year: represented by its people, or met in
 * official appointments held in it by the agency's calendar.
 */
export const ORGANISATIONS_REACHED_IN = `SELECT p.organisation_id FROM participants p
  WHERE p.trip_id = ANY (ARRAY(${TRIPS_OF_YEAR})) AND p.status <> 'rejected'
    AND p.organisation_id IS NOT NULL
  UNION
  SELECT mo.partner_organisation_id
    FROM meetings m JOIN meeting_organisations mo ON mo.meeting_id = m.id,
         (SELECT timezone FROM tenants WHERE id = :tenantId) tz
   WHERE m.tenant_id = :tenantId AND m.status = 'held'
     AND m.kind NOT IN (${sqlList(UNOFFICIAL_MEETING_KINDS)})
     AND m.starts_at >= make_date((:reachYear)::int, 1, 1)::timestamp AT TIME ZONE tz.timezone
     AND m.starts_at < make_date((:reachYear)::int + 1, 1, 1)::timestamp AT TIME ZONE tz.timezone`;
