// Progress of the viewer's YOFO runs and probes in the status bar. The viewer shows its own progress and Cancel button,
// so these short runs get no notification toast (a toast covered the viewer's zoom buttons and could outlive the run).
// One item per run; dispose() removes it the moment the run settles.

import * as vscode from 'vscode';

export class RunStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly title: string) {
    this.item.name = 'RVOS run';
    this.item.tooltip = `${title} (Cancel in the clip viewer)`;
    this.report('starting…');
    this.item.show();
  }

  /** Shows "<title> · <message>" with a spinner. */
  report(message: string): void {
    this.item.text = `$(sync~spin) ${this.title} · ${message}`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
