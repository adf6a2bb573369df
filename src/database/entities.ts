import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity.js';
import { Agreement } from '../modules/agreements/entities/agreement.entity.js';
import {
  AgreementParty,
  AgreementSignatory,
} from '../modules/agreements/entities/agreement-party.entity.js';
import { FollowUp } from '../modules/agreements/entities/follow-up.entity.js';
import { Announcement } from '../modules/announcements/entities/announcement.entity.js';
import { AuditEvent } from '../modules/audit/entities/audit-event.entity.js';
import { Contact } from '../modules/directory/entities/contact.entity.js';
import { PartnerOrganisation } from '../modules/directory/entities/partner-organisation.entity.js';
import { Invitation } from '../modules/invitations/entities/invitation.entity.js';
import { Meeting } from '../modules/programme/entities/meeting.entity.js';
import { MeetingAttendee } from '../modules/programme/entities/meeting-attendee.entity.js';
import {
  MeetingContact,
  MeetingOrganisation,
} from '../modules/programme/entities/meeting-counterpart.entity.js';
import { Notification } from '../modules/notifications/entities/notification.entity.js';
import { Participant } from '../modules/participants/entities/participant.entity.js';
import { TravelDocument } from '../modules/participants/entities/travel-document.entity.js';
import { TripParticipantCount } from '../modules/participants/entities/trip-participant-count.entity.js';
import { Station } from '../modules/trips/entities/station.entity.js';
import { TripCoOrganiser } from '../modules/trips/entities/trip-co-organiser.entity.js';
import { Trip } from '../modules/trips/entities/trip.entity.js';
import { ApiKey } from '../modules/identity/entities/api-key.entity.js';
import { RefreshToken } from '../modules/identity/entities/refresh-token.entity.js';
import { Session } from '../modules/identity/entities/session.entity.js';
import { Tenant } from '../modules/identity/entities/tenant.entity.js';
import { User } from '../modules/identity/entities/user.entity.js';

import { WebhookAttempt } from '../modules/webhooks/entities/webhook-attempt.entity.js';
import { WebhookDelivery } from '../modules/webhooks/entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../modules/webhooks/entities/webhook-endpoint.entity.js';
/** Every entity, listed so the app, the CLI and Jest (ESM) load the same set without globbing. */
export const ENTITIES = [
  IdempotencyKey,
  Tenant,
  User,
  Session,
  RefreshToken,
  ApiKey,
  AuditEvent,
  PartnerOrganisation,
  Contact,
  Trip,
  TripCoOrganiser,
  Station,
  Participant,
  TravelDocument,
  TripParticipantCount,
  Invitation,
  Notification,
  Meeting,
  MeetingAttendee,
  MeetingOrganisation,
  MeetingContact,
  Agreement,
  AgreementParty,
  AgreementSignatory,
  FollowUp,
  Announcement,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
];
