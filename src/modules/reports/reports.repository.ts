import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlList } from '../../database/sql.js';
import type { Locale } from '../identity/roles.js';
import { SIGNED_STATUSES } from '../agreements/agreements.constants.js';
import { UNOFFICIAL_MEETING_KINDS } from '../programme/programme.constants.js';
import { officialAppointment } from '../programme/programme.repository.js';
import { OUTGOING_TRIP_KINDS, TAKING_PART, UNCOUNTED_TRIP_STATUSES } from './reports.constants.js';

/** One figure: a dimension (e.g. `participants.status`), the value counted, and how many. */
export interface Figure {
  dimension: string;
  key: string | null;
  count: number;
}

/** A figure of an agency's year. */
export interface YearFigure extends Figure {
  year: number;
}

/** A trip and what a report says about it beside the figures. */
export interface ReportedTrip {
  id: string;
  title: string;
  status: string;
  startDate: string;
  endDate: string;
  stations: { id: string; city: string; country: string }[];
}

/** The agency a report is for. */
export interface ReportingAgency {
  name: string;
  timeZone: string;
  locale: Locale;
  accentColor: string | null;
  /** Its calendar day, for file names. */
  today: string;
}

/**
 * The figures of reports, computed by PostgreSQL: one statement per report
 * whatever the size of the trip, each part served by the trip's own indexes
 * (participants, meetings, agreements, invitations and messages by trip).
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async trip(tenantId: string, tripId: string): Promise<ReportedTrip | null> {
    const [trip] = await this.dataSource.query<ReportedTrip[]>(
      `SELECT t.id, t.title, t.status, t.start_date::text AS "startDate", t.end_date::text AS "endDate",
              coalesce((SELECT json_agg(json_build_object('id', s.id, 'city', s.city, 'country', s.country)
                                        ORDER BY s.position, s.id)
                          FROM stations s WHERE s.trip_id = t.id), '[]') AS stations
         FROM trips t WHERE t.tenant_id = $1 AND t.id = $2`,
      [tenantId, tripId],
    );
    return trip ?? null;
  }

  /** What the report files say about the agency: its name, zone, language and colour, and its day. */
  async agency(tenantId: string): Promise<ReportingAgency> {
    const [agency] = await this.dataSource.query<ReportingAgency[]>(
      `SELECT name, timezone AS "timeZone", default_locale AS locale, accent_color AS "accentColor",
              (now() AT TIME ZONE timezone)::date::text AS today
         FROM tenants WHERE id = $1`,
      [tenantId],
    );
    return agency;
  }

  /** Every figure of a trip's report, in one statement. */
  tripFigures(tripId: string): Promise<Figure[]> {
    const taking = sqlList(TAKING_PART);
    return this.dataSource.query<Figure[]>(
      `WITH p AS (SELECT p.status, p.role, p.category, p.organisation_id, o.kind AS org_kind,
                         o.country AS org_country
                    FROM participants p LEFT JOIN partner_organisations o ON o.id = p.organisation_id
                   WHERE p.trip_id = $1),
            m AS (SELECT m.id, m.kind, m.status, m.station_id, (${officialAppointment('m')}) AS official
                    FROM meetings m WHERE m.trip_id = $1),
            met AS (SELECT DISTINCT o.id, o.kind, o.country
                      FROM m JOIN meeting_organisations mo ON mo.meeting_id = m.id
                      JOIN partner_organisations o ON o.id = mo.partner_organisation_id
                     WHERE m.official),
            a AS (SELECT id, category, kind, status FROM agreements WHERE trip_id = $1)
       SELECT 'participants.status' AS dimension, status AS key, count(*)::int AS count FROM p GROUP BY status
       UNION ALL SELECT 'participants.role', role, count(*)::int FROM p GROUP BY role
       UNION ALL SELECT 'participants.category', category, count(*)::int FROM p GROUP BY category
       UNION ALL SELECT 'participants.organisationKind', org_kind, count(*)::int
                   FROM p WHERE status IN (${taking}) GROUP BY org_kind
       UNION ALL SELECT 'participants.organisationCountry', org_country, count(*)::int
                   FROM p WHERE status IN (${taking}) GROUP BY org_country
       UNION ALL SELECT 'organisationsRepresented', NULL, count(DISTINCT organisation_id)::int
                   FROM p WHERE status IN (${taking})
       UNION ALL SELECT 'meetings.kind', kind, count(*)::int FROM m WHERE status <> 'cancelled' GROUP BY kind
       UNION ALL SELECT 'meetings.status', status, count(*)::int FROM m GROUP BY status
       UNION ALL SELECT 'meetings.station', station_id::text, count(*)::int
                   FROM m WHERE status <> 'cancelled' GROUP BY station_id
       UNION ALL SELECT 'meetings.official', NULL, count(*)::int FROM m WHERE official
       UNION ALL SELECT 'meetings.officialByStation', station_id::text, count(*)::int
                   FROM m WHERE official GROUP BY station_id
       UNION ALL SELECT 'counterparts.country', country, count(*)::int FROM met GROUP BY country
       UNION ALL SELECT 'counterparts.kind', kind, count(*)::int FROM met GROUP BY kind
       UNION ALL SELECT 'agreements.status', status, count(*)::int FROM a GROUP BY status
       UNION ALL SELECT 'agreements.category', category, count(*)::int FROM a GROUP BY category
       UNION ALL SELECT 'agreements.kind', kind, count(*)::int FROM a GROUP BY kind
       UNION ALL SELECT 'agreements.signedByCategory', category, count(*)::int
                   FROM a WHERE status IN (${sqlList(SIGNED_STATUSES)}) GROUP BY category
       UNION ALL SELECT 'agreements.signedByKind', kind, count(*)::int
                   FROM a WHERE status IN (${sqlList(SIGNED_STATUSES)}) GROUP BY kind
       UNION ALL SELECT 'followUps.open', NULL, count(*)::int
                   FROM follow_ups f JOIN a ON a.id = f.agreement_id WHERE f.done_at IS NULL
       UNION ALL SELECT 'invitations.status', status, count(*)::int
                   FROM invitations WHERE trip_id = $1 GROUP BY status
       UNION ALL SELECT 'messages.status', status, count(*)::int
                   FROM notifications WHERE trip_id = $1 AND status IN ('sent', 'failed')
                  GROUP BY status`,
      [tripId],
    );
  }

  /**
   * The figures of an agency's years (`from` to `to`), in one statement: the
   * trips starting in each year (by their calendar dates), not drafts or
   * cancelled; meetings and signatures by the day they happened in the
   * agency's timezone. Served by the trips' (tenant, start) index, the
   * participants' trip index, the meetings' (tenant, start) index and the
   * counterparts' meeting index: a year is a fraction of an agency's history.
   */
  yearFigures(tenantId: string, from: number, to: number): Promise<YearFigure[]> {
    const official = `m.kind NOT IN (${sqlList(UNOFFICIAL_MEETING_KINDS)})`;
    return this.dataSource.query<YearFigure[]>(
      `WITH tz AS (SELECT timezone FROM tenants WHERE id = $1),
            tr AS (SELECT t.id, t.kind, t.status, extract(year FROM t.start_date)::int AS year
                     FROM trips t
                    WHERE t.tenant_id = $1 AND t.start_date >= make_date($2, 1, 1)
                      AND t.start_date < make_date($3 + 1, 1, 1)
                      AND t.status NOT IN (${sqlList(UNCOUNTED_TRIP_STATUSES)})),
            -- By trip id (the participants' trip index): a year's trips are a fraction of all.
            p AS (SELECT tr.year, p.contact_id, p.organisation_id, p.status
                    FROM participants p JOIN tr ON tr.id = p.trip_id
                   WHERE p.trip_id = ANY ((SELECT array_agg(id) FROM tr)::uuid[])
                     AND p.status <> 'rejected'),
            -- Meetings held in the years by their instant (the agency's days as instants).
            m AS (SELECT extract(year FROM m.starts_at AT TIME ZONE tz.timezone)::int AS year, m.id
                    FROM tz, meetings m
                   WHERE m.tenant_id = $1 AND m.status = 'held' AND ${official}
                     AND m.starts_at >= make_date($2, 1, 1)::timestamp AT TIME ZONE tz.timezone
                     AND m.starts_at < make_date($3 + 1, 1, 1)::timestamp AT TIME ZONE tz.timezone),
            reached AS (SELECT year, organisation_id AS id FROM p WHERE organisation_id IS NOT NULL
                        UNION
                        SELECT m.year, mo.partner_organisation_id
                          FROM m JOIN meeting_organisations mo ON mo.meeting_id = m.id
                         WHERE mo.meeting_id = ANY ((SELECT array_agg(id) FROM m)::uuid[])),
            a AS (SELECT extract(year FROM a.signed_on)::int AS year, a.category, a.kind
                    FROM agreements a
                   WHERE a.tenant_id = $1 AND a.status IN (${sqlList(SIGNED_STATUSES)})
                     AND a.listed_on >= make_date($2, 1, 1) AND a.listed_on < make_date($3 + 1, 1, 1))
       SELECT 'trips.kind' AS dimension, year, kind AS key, count(*)::int AS count
         FROM tr GROUP BY year, kind
       UNION ALL SELECT 'trips.status', year, status, count(*)::int FROM tr GROUP BY year, status
       UNION ALL SELECT 'countriesVisited', tr.year, s.country, count(DISTINCT tr.id)::int
                   FROM tr JOIN stations s ON s.trip_id = tr.id
                  WHERE tr.kind IN (${sqlList(OUTGOING_TRIP_KINDS)}) GROUP BY tr.year, s.country
       UNION ALL SELECT 'participants', year, NULL, count(*)::int
                   FROM p WHERE status IN (${sqlList(TAKING_PART)}) GROUP BY year
       UNION ALL SELECT 'peopleReached', year, NULL, count(DISTINCT contact_id)::int
                   FROM p GROUP BY year
       UNION ALL SELECT 'organisationsReached', reached.year, o.kind, count(*)::int
                   FROM reached JOIN partner_organisations o ON o.id = reached.id
                  GROUP BY reached.year, o.kind
       UNION ALL SELECT 'meetingsHeld', year, NULL, count(*)::int FROM m GROUP BY year
       UNION ALL SELECT 'agreementsSigned.category', year, category, count(*)::int
                   FROM a GROUP BY year, category
       UNION ALL SELECT 'agreementsSigned.kind', year, kind, count(*)::int FROM a GROUP BY year, kind`,
      [tenantId, from, to],
    );
  }
}
