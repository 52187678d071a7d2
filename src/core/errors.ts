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
