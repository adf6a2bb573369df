import { TAKING_PART } from './reports.constants.js';
import type { Figure, ReportedTrip } from './reports.repository.js';
import type { BreakdownDto, CountDto, TripReportDto } from './dto/trip-report.dto.js';

const API = '/api/v1';

/** The figures of one dimension, by key. */
class Figures {
  private readonly byDimension = new Map<string, Figure[]>();

  constructor(rows: Figure[]) {
    for (const row of rows) {
      this.byDimension.set(row.dimension, [...(this.byDimension.get(row.dimension) ?? []), row]);
    }
  }

  /** A dimension's breakdown, largest first (then by key), each with its list (or null). */
  breakdown(dimension: string, list: ((key: string) => string) | null = null): BreakdownDto[] {
    return [...(this.byDimension.get(dimension) ?? [])]
      .sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)))
      .map(({ key, count }) => ({ key, count, list: list && key !== null ? list(key) : null }));
  }

  /** A single figure (a dimension without keys, or one key of it). */
  count(dimension: string, key: string | null = null, list: string | null = null): CountDto {
    const row = (this.byDimension.get(dimension) ?? []).find((figure) => figure.key === key);
    return { count: row?.count ?? 0, list };
  }

  /** The sum over a dimension's keys (those `keep` accepts). */
  sum(dimension: string, list: string | null, keep: (key: string | null) => boolean = () => true) {
    const count = (this.byDimension.get(dimension) ?? [])
      .filter((figure) => keep(figure.key))
      .reduce((total, figure) => total + figure.count, 0);
    return { count, list };
  }
}

/**
 * A trip's report from its figures (one statement, see
 * ReportsRepository.tripFigures): the same numbers the rows say, each with
 * the list endpoint and filter that shows those rows, where one exists.
 */
export function tripReport(trip: ReportedTrip, rows: Figure[], generatedAt: Date): TripReportDto {
  const figures = new Figures(rows);
  const participants = `${API}/trips/${trip.id}/participants`;
  const meetings = `${API}/trips/${trip.id}/meetings`;
  const agreements = `${API}/agreements?tripId=${trip.id}`;
  const invitations = `${API}/trips/${trip.id}/invitations`;
  const messages = `${API}/notifications?tripId=${trip.id}`;
  const takingPart = `${participants}?status=${TAKING_PART.join(',')}`;
  const met = `${API}/partner-organisations?metOnTrip=${trip.id}`;
  const byStation = new Map(
    figures.breakdown('meetings.station').map((figure) => [figure.key, figure.count]),
  );
  const officialByStation = new Map(
    figures.breakdown('meetings.officialByStation').map((figure) => [figure.key, figure.count]),
  );
  return {
    trip: {
      id: trip.id,
      title: trip.title,
      status: trip.status,
      startDate: trip.startDate,
      endDate: trip.endDate,
    },
    generatedAt,
    participants: {
      total: figures.sum('participants.status', participants),
      byStatus: figures.breakdown('participants.status', (key) => `${participants}?status=${key}`),
      byRole: figures.breakdown('participants.role', (key) => `${participants}?role=${key}`),
      byCategory: figures.breakdown(
        'participants.category',
        (key) => `${participants}?category=${key}`,
      ),
      byOrganisationKind: figures.breakdown(
        'participants.organisationKind',
        (key) => `${takingPart}&organisationKind=${key}`,
      ),
      byOrganisationCountry: figures.breakdown(
        'participants.organisationCountry',
        (key) => `${takingPart}&organisationCountry=${key}`,
      ),
    },
    organisationsRepresented: figures.count(
      'organisationsRepresented',
      null,
      `${API}/partner-organisations?representedOnTrip=${trip.id}`,
    ),
    stations: { count: trip.stations.length, list: `${API}/trips/${trip.id}/stations` },
    meetings: {
      total: figures.sum('meetings.kind', `${meetings}?cancelled=false`),
      officialAppointments: figures.count('meetings.official', null, `${meetings}?official=true`),
      byKind: figures.breakdown(
        'meetings.kind',
        (key) => `${meetings}?cancelled=false&kind=${key}`,
      ),
      byStatus: figures.breakdown('meetings.status', (key) => `${meetings}?status=${key}`),
      byStation: trip.stations.map((station) => ({
        key: station.id,
        city: station.city,
        count: byStation.get(station.id) ?? 0,
        list: `${meetings}?cancelled=false&stationId=${station.id}`,
        officialAppointments: {
          count: officialByStation.get(station.id) ?? 0,
          list: `${meetings}?official=true&stationId=${station.id}`,
        },
      })),
    },
    counterpartsMet: {
      total: figures.sum('counterparts.kind', met),
      byCountry: figures.breakdown('counterparts.country', (key) => `${met}&country=${key}`),
      byKind: figures.breakdown('counterparts.kind', (key) => `${met}&kind=${key}`),
    },
    agreements: {
      total: figures.sum('agreements.status', agreements),
      byStatus: figures.breakdown('agreements.status', (key) => `${agreements}&status=${key}`),
      byCategory: figures.breakdown(
        'agreements.category',
        (key) => `${agreements}&category=${key}`,
      ),
      byKind: figures.breakdown('agreements.kind', (key) => `${agreements}&kind=${key}`),
      signed: {
        total: figures.sum('agreements.signedByCategory', `${agreements}&signed=true`),
        byCategory: figures.breakdown(
          'agreements.signedByCategory',
          (key) => `${agreements}&signed=true&category=${key}`,
        ),
        byKind: figures.breakdown(
          'agreements.signedByKind',
          (key) => `${agreements}&signed=true&kind=${key}`,
        ),
      },
    },
    openFollowUps: figures.count(
      'followUps.open',
      null,
      `${API}/follow-ups?tripId=${trip.id}&state=open`,
    ),
    invitations: {
      sent: figures.sum('invitations.status', invitations),
      accepted: figures.count('invitations.status', 'accepted', `${invitations}?status=accepted`),
      declined: figures.count('invitations.status', 'declined', `${invitations}?status=declined`),
    },
    messages: {
      sent: figures.count('messages.status', 'sent', `${messages}&status=sent`),
      failed: figures.count('messages.status', 'failed', `${messages}&status=failed`),
    },
  };
}
