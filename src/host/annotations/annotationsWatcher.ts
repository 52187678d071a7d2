// Keeps the tags and notes in step with edits made outside the extension (git, an editor): watches the annotations
// file and its storage copy wherever the current settings, workspace folder and dataset put them.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceAnnotations } from './annotations';

/** Watches the annotations file (and its storage copy) wherever they are now; `follow` after the place may have changed. */
export class AnnotationsWatcher implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];

  constructor(private readonly annotations: WorkspaceAnnotations) {
    this.watch();
  }

  follow(): void {
    this.watch();
    this.annotations.reload();
  }

  private watch(): void {
    this.dispose();
    const place = this.annotations.place;
    for (const file of new Set(place ? [place.file, place.saveTo] : [])) {
      const w = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)),
      );
      const reload = () => this.annotations.reload();
      this.watchers.push(w, w.onDidChange(reload), w.onDidCreate(reload), w.onDidDelete(reload));
    }
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
  }
}
