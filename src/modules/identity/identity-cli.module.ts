import { Module } from '@nestjs/common';
import { CreateTenantCommand } from './create-tenant.command.js';
import { IDENTITY_SERVICES, jwtModule } from './identity.module.js';

/** Identity's services without HTTP controllers or guards, for operator commands. */
@Module({
  imports: [jwtModule],
  providers: [...IDENTITY_SERVICES, CreateTenantCommand],
  exports: IDENTITY_SERVICES,
})
export class IdentityCliModule {}
