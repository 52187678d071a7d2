// The YOFO commands: choose the model folder, clear the result cache, run YOFO on an expression of the Clips tree,
// probe the expression selected in the focused viewer.

import * as vscode from 'vscode';
import type { InferenceClient } from '../../inference/inferenceClient';
import type { ResultCache } from '../../inference/resultCache';
import type { ClipViewerPanels } from '../clipViewer/clipViewerPanel';
import type { ClipNode } from '../clips/clipsTree';
import { checkModelTrust, type InferenceConfig } from '../common/config';
import { guarded, logLine } from '../common/errors';
import type { Session } from '../session/session';

export interface YofoCommandDeps {
  session: Session;
  panels: ClipViewerPanels;
  client: InferenceClient;
  cache: ResultCache;
  inference: () => InferenceConfig;
  /** Where the bundled default model lies (always trusted). */
  extensionRoot: string;
}

export function registerYofoCommands(deps: YofoCommandDeps): vscode.Disposable[] {
  const { session, panels, client, cache } = deps;
  const reg = <A extends unknown[]>(id: string, doing: string, body: (...args: A) => unknown) =>
    vscode.commands.registerCommand(id, guarded(doing, body));
  return [
    reg('rvos.chooseModel', 'Choose YOFO model', async (folder?: vscode.Uri | string) => {
      const dir =
        typeof folder === 'string'
          ? folder
          : (folder?.fsPath ??
            (
              await vscode.window.showOpenDialog({
                title: 'RVOS: Choose YOFO Model (a folder exported by training/: model.json, text.onnx, frame.onnx)',
                openLabel: 'Use Model',
                canSelectFolders: true,
                canSelectFiles: false,
                canSelectMany: false,
              })
            )?.[0]?.fsPath);
      if (!dir) return;
      const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      checkModelTrust(dir, deps.extensionRoot, folders, vscode.workspace.isTrusted);
      // Loading checks model.json and both graphs against the contract; a mismatch throws the engine's message.
      const model = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `RVOS: checking YOFO model ${dir}` },
        () => client.load({ modelDir: dir, executionProvider: deps.inference().executionProvider }),
      );
      const target = vscode.workspace.workspaceFolders?.length
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
      await vscode.workspace.getConfiguration('rvos').update('model.path', dir, target);
      void vscode.window.showInformationMessage(`RVOS: YOFO model "${model.modelName}" (${model.device}) from ${dir}.`);
    }),
    reg('rvos.clearResultCache', 'Clear YOFO result cache', async () => {
      await cache.clear();
      // Quick work, no toast; the internal folder only in the output.
      logLine(`YOFO result cache cleared (${cache.dir}).`);
      void vscode.window.setStatusBarMessage('RVOS: YOFO result cache cleared', 5000);
    }),
    reg('rvos.runExpression', 'Run YOFO', (node?: ClipNode) => {
      const ds = session.dataset;
      if (node?.kind === 'expression' && ds) {
        panels.show(ds, node.video.id, node.expression.expId, { run: true });
        return;
      }
      // From the palette: the expression selected in the focused viewer.
      const panel = panels.activePanel;
      if (!panel) throw new Error('pick an expression in the Clips view or open a clip viewer first');
      panel.select(panel.viewerState.expId, true);
    }),
    reg('rvos.probeExpression', 'Probe expression', () => {
      // The viewer probes its selected expression (it knows whether that has ground truth and shows the table).
      const panel = panels.activePanel;
      if (!panel) throw new Error('open a clip viewer and select an expression with ground truth first');
      panel.post({ type: 'probeSelected' });
    }),
  ];
}
