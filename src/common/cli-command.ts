import { Injectable, type Type } from '@nestjs/common';

export interface CliOption {
  /** Commander's flag syntax: `--owner-email <email>`, `-t, --timeout <ms>`. */
  flags: string;
  description: string;
  required?: boolean;
  defaultValue?: string | number;
  parse?: (value: string) => unknown;
}

export interface CliCommandSpec {
  name: string;
  /** Other names it answers to (a former name, kept for scripts that use it). */
  aliases?: string[];
  description: string;
  options?: CliOption[];
}

/**
 * An operator command: a provider of the CLI's Nest application, run with
 * the options Commander parsed (typed by each command for itself).
 */
export interface CliRunner {
  run(options: never): Promise<void>;
}

const CLI_COMMAND = Symbol('cliCommand');

/** Marks a provider as the command `spec.name` of `npm run cli`. */
export function CliCommand(spec: CliCommandSpec): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(CLI_COMMAND, spec, target);
    Injectable()(target);
  };
}

export function cliCommandSpec(command: Type<CliRunner>): CliCommandSpec {
  const spec = Reflect.getMetadata(CLI_COMMAND, command) as CliCommandSpec | undefined;
  if (!spec) throw new Error(`${command.name} has no @CliCommand()`);
  return spec;
}
