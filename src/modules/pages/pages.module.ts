import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { PublicRateLimit } from '../identity/access/public-rate-limit.guard.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { ProgrammeModule } from '../programme/programme.module.js';
import { InvitationPageController } from './invitation-page.controller.js';
import { ItineraryPageController, PageAssetsController } from './itinerary-page.controller.js';
import { OpenRegistrationPageController } from './open-registration-page.controller.js';
import { PageCsrf } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { RegistrationPageController } from './registration-page.controller.js';

/**
 * The pages behind the links in our emails (invitation, self-service,
 * programme), served by the API itself so that a fresh install works end
 * to end; they use the same services as the public JSON endpoints.
 */
@Module({
  imports: [IdentityModule, InvitationsModule, ProgrammeModule],
  controllers: [
    InvitationPageController,
    RegistrationPageController,
    ItineraryPageController,
    OpenRegistrationPageController,
    PageAssetsController,
  ],
  providers: [PageRenderer, PageCsrf, PublicRateLimit],
})
export class PagesModule {}
