import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditPersonalData } from './audit.personal-data.js';
import { AuditService } from './audit.service.js';
import { Changes } from './changes.js';

/**
 * The audit trail and the change seam: every module records its changes
 * through `Changes` in its own transaction, which writes the audit event and
 * hands the change to the subscribers other modules registered.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, Changes, AuditPersonalData],
  exports: [AuditService, Changes],
})
export class AuditModule {}
