import { Module } from '@nestjs/common';
import { AgreementsRepository } from './agreements.repository.js';
import { ExpireAgreementsJob } from './jobs/expire-agreements.job.js';

/** The worker side of agreements: those in force expire when their validity ends. */
@Module({ providers: [ExpireAgreementsJob, AgreementsRepository] })
export class AgreementsJobsModule {}
