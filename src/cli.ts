import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { CLI_COMMANDS, CliModule } from './cli.module.js';
import { cliCommandSpec, type CliRunner } from './common/cli-command.js';
import { configFromEnvironment } from './config/config.module.js';
import { prepareDatabase } from './database/prepare-database.js';

/**
 * `npm run cli -- <command> [options]`: operator commands. Commander parses
 * and documents the options (`--help`); the database and the Nest
 * application are only started for a command that is actually run.
 */
const program = new Command('npm run cli --').showHelpAfterError().exitOverride();

async function run(command: Type<CliRunner>, options: Record<string, unknown>): Promise<void> {
  const config = configFromEnvironment();
  await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(CliModule.register(config), {
    logger: ['error', 'warn'],
  });
  try {
    await app.get(command).run(options as never);
  } finally {
    await app.close();
  }
}

for (const command of CLI_COMMANDS) {
  const spec = cliCommandSpec(command);
  const sub = program
    .command(spec.name)
    .aliases(spec.aliases ?? [])
    .description(spec.description);
  for (const option of spec.options ?? []) {
    const add = option.required ? sub.requiredOption.bind(sub) : sub.option.bind(sub);
    add(option.flags, option.description, option.parse ?? String, option.defaultValue);
  }
  sub.action((options: Record<string, unknown>) => run(command, options));
}

try {
  await program.parseAsync();
} catch (error) {
  // Commander has printed its own message (bad option, --help); a failing command prints its own.
  const commanderExit = (error as { exitCode?: number }).exitCode;
  if (commanderExit === undefined) console.error((error as Error).message);
  process.exit(commanderExit ?? 1);
}
