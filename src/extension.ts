// Entry point of the RVOS Inspector extension: the Clips view, the RVOS commands and the clip viewer panels.

import * as vscode from 'vscode';
import { ClipPanels, VIEW_TYPE } from './host/clipPanel';
import { ClipsTree } from './host/clipsTree';
import { registerCommands } from './host/commands';
import { parseConfig } from './host/config';
import { findDatasetRoot } from './host/detectDataset';
import { reportError } from './host/errors';
import { Session } from './host/session';

/** What `activate` returns: used by the integration tests (and other extensions) to inspect the state. */
export interface RvosApi {
  session: Session;
  tree: ClipsTree;
  panels: ClipPanels;
}

export async function activate(context: vscode.ExtensionContext): Promise<RvosApi> {
  const config = () => parseConfig(vscode.workspace.getConfiguration('rvos'));
  const session = new Session(context.workspaceState);
  const tree = new ClipsTree(session);
  const view = vscode.window.createTreeView('rvos.clips', { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const panels = new ClipPanels(context.extensionUri, session, () => {
    const c = config();
    return { overlay: c.overlay, playback: { fps: c.fps, prefetch: c.prefetchFrames } };
  });

  context.subscriptions.push(
    session,
    tree,
    view,
    panels,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, panels),
    ...registerCommands(session, panels),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('rvos.overlay')) panels.post({ type: 'overlayDefaults', overlay: config().overlay });
    }),
  );

  await openInitialDataset(session, config().datasetPath);
  return { session, tree, panels };
}

/** The remembered session, else `rvos.datasetPath`, else a dataset found in the workspace folders. */
async function openInitialDataset(session: Session, configured: string): Promise<void> {
  try {
    const problems = await session.restore();
    for (const p of problems) void vscode.window.showWarningMessage(`RVOS: could not reopen ${p}`);
    if (session.dataset) return;
    const root = configured || (await findDatasetRoot((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)));
    if (root) await session.openDataset(root);
  } catch (err) {
    reportError(err, 'Open dataset');
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
