// Entry point of the RVOS Inspector extension: the Clips view, the RVOS commands and the clip viewer panels.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { InferenceClient } from './inference/inferenceClient';
import { ResultCache } from './inference/resultCache';
import { ClipViewerPanels, VIEW_TYPE } from './host/clipViewer/clipViewerPanel';
import { ClipsTree } from './host/clips/clipsTree';
import { WorkspaceAnnotations } from './host/annotations/annotations';
import { AnnotationsWatcher } from './host/annotations/annotationsWatcher';
import { registerCommands } from './host/session/sessionCommands';
import { modelDirToLoad, parseConfig } from './host/common/config';
import { findDatasetRoot } from './host/session/detectDataset';
import { logLine, reportError } from './host/common/errors';
import { registerFailuresCommands } from './host/failures/failuresCommands';
import { FAILURES_VIEW_TYPE, FailuresPanel } from './host/failures/failuresPanel';
import { Session } from './host/session/session';
import { UserExpressions } from './host/clipViewer/userExpressions';
import { registerYofoCommands } from './host/yofo/yofoCommands';
import { registerYofoSplitRunCommand } from './host/yofo/yofoSplitRunCommand';
import { YofoRuns, type YofoSettings } from './host/yofo/yofoRuns';

/** What `activate` returns: used by the integration tests (and other extensions) to inspect the state. */
export interface RvosApi {
  session: Session;
  tree: ClipsTree;
  panels: ClipViewerPanels;
  failures: FailuresPanel;
  annotations: WorkspaceAnnotations;
}

export async function activate(context: vscode.ExtensionContext): Promise<RvosApi> {
  const config = () => parseConfig(vscode.workspace.getConfiguration('rvos'));
  const session = new Session(context.workspaceState);
  const tree = new ClipsTree(session);
  const view = vscode.window.createTreeView('rvos.clips', { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  // The inference worker starts on the first YOFO run, not here: activation stays fast.
  const client = new InferenceClient();
  const cache = new ResultCache(path.join(context.globalStorageUri.fsPath, 'yofo-cache'));
  void cache.sweepTemp().catch(() => undefined); // temp folders of writes interrupted in an earlier session
  const yofoSettings = (): YofoSettings => {
    const { inference } = config();
    return {
      // In Restricted Mode a model inside the workspace is refused (the run shows why).
      modelDir: modelDirToLoad(
        inference.modelPath,
        context.extensionUri.fsPath,
        workspaceFolderPaths(),
        vscode.workspace.isTrusted,
      ),
      executionProvider: inference.executionProvider,
      threads: inference.threads > 0 ? inference.threads : undefined,
      cacheResults: inference.cacheResults,
    };
  };
  // The CPU-instead-of-GPU notice is one line in the RVOS output, not a toast that stays until dismissed.
  const yofo = new YofoRuns(client, cache, yofoSettings, (notice) => logLine(notice));
  const userExpressions = new UserExpressions(context.workspaceState);
  const panels = new ClipViewerPanels(
    context.extensionUri,
    session,
    () => {
      const c = config();
      return { overlay: c.overlay, playback: { fps: c.fps, prefetch: c.prefetchFrames } };
    },
    { yofo, userExpressions },
  );

  // Tags and notes live in the first workspace folder's .rvos/annotations.json (or rvos.annotationsFile), never written
  // inside the open dataset (then in this extension's storage); edits made elsewhere (git, an editor) are picked up
  // through the watcher.
  const annotations = new WorkspaceAnnotations({
    workspaceDir: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    setting: () => config().annotationsFile,
    datasetRoot: () => session.dataset?.root,
    storageDir: () => (context.storageUri ?? context.globalStorageUri).fsPath,
    notify: (message) => void vscode.window.showInformationMessage(`RVOS: ${message}`),
  });
  const annotationsWatcher = new AnnotationsWatcher(annotations);
  const failures = new FailuresPanel({ extensionUri: context.extensionUri, session, panels, annotations });

  context.subscriptions.push(
    session,
    tree,
    view,
    panels,
    { dispose: () => client.dispose() },
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, panels),
    ...registerCommands(session, panels),
    failures,
    vscode.window.registerWebviewPanelSerializer(FAILURES_VIEW_TYPE, failures),
    ...registerFailuresCommands({ session, panels, failures, annotations }),
    annotationsWatcher,
    vscode.workspace.onDidChangeWorkspaceFolders(() => annotationsWatcher.follow()),
    session.onDidChange((kind) => kind === 'dataset' && annotationsWatcher.follow()),
    ...registerYofoCommands({
      session,
      panels,
      client,
      cache,
      inference: () => config().inference,
      extensionRoot: context.extensionUri.fsPath,
    }),
    ...registerYofoSplitRunCommand({
      session,
      client,
      cache,
      inference: () => config().inference,
      extensionRoot: context.extensionUri.fsPath,
      storageDir: (context.storageUri ?? context.globalStorageUri).fsPath,
      view,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('rvos.overlay')) panels.post({ type: 'overlayDefaults', overlay: config().overlay });
      if (e.affectsConfiguration('rvos.annotationsFile')) annotationsWatcher.follow();
    }),
  );

  await openInitialDataset(session, config().datasetPath);
  if (config().openFirstClipOnStart) await openFirstClip(session, panels, context.workspaceState);
  return { session, tree, panels, failures, annotations };
}

/** The remembered session, else `rvos.datasetPath`, else a dataset found in the workspace folders. */
async function openInitialDataset(session: Session, configured: string): Promise<void> {
  try {
    const problems = await session.restore();
    for (const p of problems) void vscode.window.showWarningMessage(`RVOS: could not reopen ${p}`);
    if (session.dataset) return;
    const root = configured || (await findDatasetRoot(workspaceFolderPaths()));
    if (root) await session.openDataset(root);
  } catch (err) {
    reportError(err, 'Open dataset');
  }
}

/**
 * rvos.openFirstClipOnStart (the demo workspace sets it): a first view that is not plain VS Code — the RVOS view, and
 * the dataset's first clip once per workspace (later starts restore the editors the user left open).
 */
async function openFirstClip(session: Session, panels: ClipViewerPanels, state: vscode.Memento): Promise<void> {
  const ds = session.dataset;
  if (!ds || ds.videos.length === 0) return;
  try {
    if (state.get<boolean>(FIRST_CLIP_SHOWN) !== true) {
      await state.update(FIRST_CLIP_SHOWN, true);
      panels.show(ds, ds.videos[0].id);
    }
    await vscode.commands.executeCommand('rvos.clips.focus');
  } catch (err) {
    reportError(err, 'Open the first clip');
  }
}

const FIRST_CLIP_SHOWN = 'rvos.firstClipShown';

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
