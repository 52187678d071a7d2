// Errors caused by the user's input (files, folders, options). They carry the offending path so that the CLI can
// print `error: <path>: <what is wrong>` and the extension can show the same text, never a stack trace.

export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'InputError';
  }
}

/** One line per unscorable expression: `<file>: video <v>, expression <e>: <reason>`. */
export function describeSkipped(s: { video: string; expId: string; file: string; reason: string }): string {
  return `${s.file}: video ${s.video}, expression ${s.expId}: ${s.reason}`;
}

/**
 * Strict scoring refused: these expressions should be scored but cannot be. A number over different ground truth is
 * worse than none, so the split score is withheld unless the caller opted in to skipping them.
 */
export class UnscorableError extends InputError {
  constructor(readonly skipped: readonly { video: string; expId: string; file: string; reason: string }[]) {
    super(
      skipped[0].file,
      `${skipped.length === 1 ? 'an expression cannot' : `${skipped.length} expressions cannot`} be scored (first: video ${skipped[0].video}, expression ${skipped[0].expId}: ${skipped[0].reason})`,
    );
    this.name = 'UnscorableError';
  }
}

/** True for errors whose message is meant for the user as is. */
export function isInputError(err: unknown): err is InputError {
  return err instanceof InputError;
}

/**
 * A failure the user did not cause with their input and that is not a bug either, e.g. a helper process that crashed or
 * was killed. Its message is meant for the user as is (the CLI prints `error: <message>`, not "internal error").
 */
export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

export function isFaultError(err: unknown): err is FaultError {
  return err instanceof FaultError;
}
