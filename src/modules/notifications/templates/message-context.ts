import type { Locale } from '../../identity/roles.js';
import type { NotificationKind } from '../notifications.constants.js';

export interface StationFacts {
  city: string;
  country: string;
  timezone: string;
  arrivalDate: string;
  departureDate: string;
}

/** What a message says about a trip. */
export interface TripFacts {
  title: string;
  startDate: string;
  endDate: string;
  registrationClosesAt: Date | null;
  stations: StationFacts[];
}

/** What a meeting reminder says about the meeting, read when it is sent. */
export interface MeetingFacts {
  title: string;
  startsAt: Date;
  endsAt: Date;
  /** The station's IANA zone: the times are shown in it, named. */
  timeZone: string;
  city: string;
  location: string | null;
  /** Whom it is with: organisations and people, as the directory names them. */
  counterparts: string[];
}

/** Everything a template may say, read from the database when the message is sent. */
export interface MessageContext {
  kind: NotificationKind;
  locale: Locale;
  agency: { name: string; timezone: string };
  recipient: { title: string | null; firstName: string | null; lastName: string };
  /** The trip it is about (every kind but those about agreements). */
  trip?: TripFacts;
  /** The public page the message points to (invitation or self-service). */
  link: string;
  /** The participant's personal calendar feed, where the message offers it. */
  calendarFeed?: string | null;
  /** The agency's personal note on an invitation. */
  personalMessage: string | null;
  waitlistPosition: number | null;
  /** The meeting a reminder is about. */
  meeting?: MeetingFacts;
  /** The agreement follow-up a reminder is about. */
  followUp?: FollowUpFacts;
  /** What staff announce to the delegation, in the recipient's language (Markdown body). */
  announcement?: { subject: string; body: string };
  /** A webhook endpoint switched off after failing, told to the agency's admins. */
  webhookEndpoint?: WebhookEndpointFacts;
}

/** What the message about a switched-off webhook endpoint says. */
export interface WebhookEndpointFacts {
  url: string;
  description: string | null;
  failingSince: Date;
  /** The endpoint's delivery log in the API. */
  deliveriesUrl: string;
}

/** What a follow-up reminder says, read when it is sent. */
export interface FollowUpFacts {
  title: string;
  dueOn: string;
  agreementTitle: string;
  notes: string | null;
  /** Sent as the overdue reminder (the due day has passed). */
  overdue: boolean;
  /** The agreement in the API, for the staff member's tools. */
  agreementUrl: string;
}
