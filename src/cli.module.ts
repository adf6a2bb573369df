import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { CliRunner } from './common/cli-command.js';
import type { AppConfig } from './config/app-config.js';
import { PiiCipher } from './common/crypto/pii-cipher.js';
import { foundation } from './foundation.js';
import { DemoCliModule, SeedDemoCommand } from './modules/demo/seed-demo.command.js';
import { CreateTenantCommand } from './modules/identity/create-tenant.command.js';
import { IdentityCliModule } from './modules/identity/identity-cli.module.js';
import { CheckTripCountsCommand } from './modules/participants/check-trip-counts.command.js';
import { ParticipantsCliModule } from './modules/participants/participants-cli.module.js';
import { PingWorkerCommand } from './modules/system/ping-worker.command.js';
import { ReencryptCommand } from './modules/system/reencrypt.command.js';
import { WebhooksCliModule } from './modules/webhooks/webhooks-cli.module.js';

/** Every command of `npm run cli`, in the order `--help` lists them. */
export const CLI_COMMANDS: Type<CliRunner>[] = [
  SeedDemoCommand,
  CreateTenantCommand,
  ReencryptCommand,
  CheckTripCountsCommand,
  PingWorkerCommand,
];

/** Operator commands (`npm run cli -- <command>`). */
@Module({})
export class CliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ...foundation(config),
        DiscoveryModule,
        IdentityCliModule,
        DemoCliModule,
        ParticipantsCliModule,
        WebhooksCliModule,
      ],
      providers: [PiiCipher, PingWorkerCommand, ReencryptCommand],
    };
  }
}
