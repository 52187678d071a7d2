// Shows failures to the user: InputError messages as they are (they name the file and the problem), anything else as
// an unexpected error with details in the RVOS output channel. The extension keeps working either way.

import * as vscode from 'vscode';
import { isInputError } from '../../core/errors';

let channel: vscode.OutputChannel | undefined;

export function outputChannel(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('RVOS');
  return channel;
}

/** One timestamped line in the RVOS output channel (notes that need no toast). */
export function logLine(text: string): void {
  outputChannel().appendLine(`[${new Date().toISOString()}] ${text}`);
}

export function reportError(err: unknown, doing: string): void {
  if (isAbort(err)) return;
  if (isInputError(err)) {
    void vscode.window.showErrorMessage(`RVOS: ${err.message}`);
    return;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  logLine(`${doing}: ${detail}`);
  void vscode.window.showErrorMessage(`RVOS: ${doing} failed: ${err instanceof Error ? err.message : String(err)}`);
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Runs a command body, reporting its failure instead of letting VS Code show a bare stack. */
export function guarded<A extends unknown[]>(
  doing: string,
  body: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (err) {
      reportError(err, doing);
    }
  };
}
