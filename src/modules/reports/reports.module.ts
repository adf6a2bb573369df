import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';

/** What the agency reports: a trip in figures (and, next, its year), computed from the data. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsRepository],
})
export class ReportsModule {}
