// Command-line dispatch: picks the command, parses its options, and turns every failure into one line on stderr
// with exit code 1 (bad input) or 2 (bad command line). Stacks only with RVOS_DEBUG=1.

import { parseArgs } from 'node:util';
import { describeSkipped, isFaultError, isInputError, UnscorableError } from '../core/errors';
import { describeFsError } from '../core/json';
import { UsageError, type Command } from './command';
import { COMMANDS } from './commands';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  signal: AbortSignal;
  debug: boolean;
}

function globalUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: rvos <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "rvos <command> --help" for the options of a command.\n`;
}

/** Node's parseArgs reports bad command lines as TypeErrors with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(err: unknown): err is Error {
  return err instanceof Error && String((err as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS_');
}

async function runCommand(command: Command, args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // Node appends advice about '--' to unknown options; the first sentence is the useful part.
    if (isParseArgsError(err))
      throw new UsageError(
        err.message.split('. ')[0].replace(/^\w/, (c) => c.toLowerCase()),
        command.help,
      );
    throw err;
  }
  if (parsed.values.help) {
    io.stdout(command.help);
    return 0;
  }
  const [min, max] =
    typeof command.positionals === 'number' ? [command.positionals, command.positionals] : command.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError(`missing argument${min - n > 1 ? 's' : ''}`, command.help);
  if (n > max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[max])}`, command.help);
  return command.run({
    positionals: parsed.positionals,
    values: parsed.values,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: io.signal,
  });
}

/** Runs `rvos <argv…>` and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === '-h' || name === '--help') {
      io.stdout(globalUsage());
      return 0;
    }
    if (name === undefined) throw new UsageError('missing command');
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    return await runCommand(command, rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    io.stderr(`error: ${err.message}\n\n${err.help ?? globalUsage()}`);
    return 2;
  }
  if (io.debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  if (err instanceof UnscorableError) {
    for (const s of err.skipped) io.stderr(`error: ${describeSkipped(s)}\n`);
    const n = err.skipped.length;
    io.stderr(
      `error: ${n === 1 ? '1 expression' : `${n} expressions`} cannot be scored; no split score over different ground truth. Fix the files above, or pass --skip-unscorable to score the rest\n`,
    );
    return 1;
  }
  if (isInputError(err)) {
    io.stderr(`error: ${err.message}\n`);
    return 1;
  }
  if (io.signal.aborted) {
    io.stderr('error: interrupted\n');
    return 130;
  }
  if (isFaultError(err)) {
    io.stderr(`error: ${err.message}\n`); // after the abort check: Ctrl-C also kills the inference worker
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e instanceof Error && typeof e.code === 'string' && typeof e.path === 'string') {
    io.stderr(`error: ${e.path}: ${describeFsError(e)}\n`); // a file-system failure we did not foresee, still about a path
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(
    `error: internal error: ${message.split('\n')[0]}${io.debug ? '' : ' (set RVOS_DEBUG=1 to see the stack)'}\n`,
  );
  return 1;
}
