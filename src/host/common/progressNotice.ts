// A cancellable progress notification that lives as long as a job: opened when the job knows its size, advanced by
// `report`, closed by `finish` (safe to call when it was never opened).

import * as vscode from 'vscode';

export interface ProgressNotice {
  open(title: string, onCancel: () => void): void;
  report(increment: number, message: string): void;
  finish(): void;
}

export function progressNotice(): ProgressNotice {
  let finish = (): void => undefined;
  let report: ((increment: number, message: string) => void) | undefined;
  return {
    open(title, onCancel) {
      const finished = new Promise<void>((resolve) => (finish = resolve));
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(onCancel);
        report = (increment, message) => progress.report({ increment, message });
        return finished;
      });
    },
    report: (increment, message) => report?.(increment, message),
    finish: () => finish(),
  };
}
