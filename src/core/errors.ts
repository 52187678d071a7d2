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
