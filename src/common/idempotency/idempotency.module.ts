import { Global, Module } from '@nestjs/common';
import { IdempotencyPersonalData } from './idempotency.personal-data.js';
import { IdempotencyService } from './idempotency.service.js';

@Global()
@Module({
  providers: [IdempotencyService, IdempotencyPersonalData],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
