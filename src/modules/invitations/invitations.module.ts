import { Module } from '@nestjs/common';
import { LinksModule } from '../../common/links/links.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ParticipantsModule } from '../participants/participants.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { InvitationAcceptance } from './invitation-acceptance.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsPersonalData } from './invitations.personal-data.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';
import { PublicRateLimit } from '../identity/access/public-rate-limit.guard.js';
import {
  PublicInvitationsController,
  PublicRegistrationsController,
  PublicTripsController,
} from './public.controller.js';
import { PublicLinksRepository } from './public-links.repository.js';
import { PublicService } from './public.service.js';

/** Invitations to trips, and what invitees and participants do through their links. */
@Module({
  imports: [IdentityModule, TripsModule, ParticipantsModule, NotificationsModule, LinksModule],
  controllers: [
    InvitationsController,
    PublicInvitationsController,
    PublicRegistrationsController,
    PublicTripsController,
  ],
  providers: [
    InvitationsRepository,
    InvitationsService,
    PublicLinksRepository,
    PublicService,
    PublicRateLimit,
    InvitationAcceptance,
    InvitationsPersonalData,
  ],
  exports: [PublicService],
})
export class InvitationsModule {}
