import { Module } from '@nestjs/common';
import { CreateTenantCommand } from './create-tenant.command.js';
import { IDENTITY_SERVICES, jwtModule } from './identity.module.js';

/**
 * Identity's services without HTTP, for operator commands. Kept apart from
 * IdentityModule because nest-commander is CommonJS and must not be loaded by
 * the API (nor by Jest, which cannot require Nest's ES modules from it).
 */
@Module({
  imports: [jwtModule],
  providers: [...IDENTITY_SERVICES, CreateTenantCommand],
  exports: IDENTITY_SERVICES,
})
export class IdentityCliModule {}
