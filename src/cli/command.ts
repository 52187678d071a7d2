// What a CLI command is: its options (for node:util parseArgs), its help text and its action. Each command lives in
// its own module and is listed once in commands.ts.

import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values, as parseArgs returns them. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  positionals: string[];
  values: OptionValues;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted on Ctrl-C, so long runs stop cleanly. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `rvos --help`. */
  summary: string;
  /** Full help for `rvos <name> --help`, starting with the usage line. */
  help: string;
  options: OptionSpec;
  /** Exact number of positional arguments, or [min, max]. */
  positionals: number | [number, number];
  /** Returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Wrong command line: the CLI prints the message and the usage on stderr and exits with 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly help?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A string option's value, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A comma-separated list option (`--videos a,b`), items trimmed and empty ones dropped, or undefined. */
export function listOption(values: OptionValues, name: string): string[] | undefined {
  return stringOption(values, name)
    ?.split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** A non-negative integer option (`--videos 12`); text that is not one is a usage error. */
export function integerOption(values: OptionValues, name: string, fallback: number, help?: string): number {
  const v = stringOption(values, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} expects a whole number, got ${JSON.stringify(v)}`, help);
  return Number(v);
}
