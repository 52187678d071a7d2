// RVOS: Run YOFO on Split… — picks a model (bundled default, rvos.model.path, or a browsed folder; a model inside an
// untrusted workspace is refused) and a scope (whole split, the clips the filter shows, the selected clip), runs it in
// the background inference worker under a cancellable progress notification, and registers the finished folder as a
// prediction run, so it can be compared like an imported run. Removing such a run deletes its folder (ours only).

import * as vscode from 'vscode';
import type { Dataset } from '../../core/dataset';
import { defaultModelDir } from '../../inference/defaultModel';
import type { InferenceClient } from '../../inference/inferenceClient';
import type { ResultCache } from '../../inference/resultCache';
import { filterClips } from '../clips/clipFilter';
import type { ClipNode } from '../clips/clipsTree';
import { checkModelTrust, resolveModelDir, type InferenceConfig } from '../common/config';
import { guarded, isAbort, logLine, outputChannel } from '../common/errors';
import type { Session } from '../session/session';
import { removeOwnYofoRun, runYofoOnSplit, sweepYofoRunTemps } from './yofoSplitRun';

export interface YofoSplitRunDeps {
  session: Session;
  client: InferenceClient;
  cache: ResultCache;
  inference: () => InferenceConfig;
  /** Where the bundled default model lies (always trusted). */
  extensionRoot: string;
  /** The extension's storage folder (context.storageUri, else globalStorageUri). */
  storageDir: string;
  /** The Clips view, for "the selected clip". */
  view: vscode.TreeView<ClipNode>;
}

export function registerYofoSplitRunCommand(deps: YofoSplitRunDeps): vscode.Disposable[] {
  const { session, storageDir } = deps;
  void sweepYofoRunTemps(storageDir).catch(() => undefined); // temp folders of runs interrupted in an earlier session
  let running = false;
  return [
    session.onDidRemoveRun((r) => {
      if (r.owned)
        void removeOwnYofoRun(storageDir, r.run.dir).catch((err) =>
          outputChannel().appendLine(`could not delete ${r.run.dir}: ${String(err)}`),
        );
    }),
    vscode.commands.registerCommand(
      'rvos.runYofoOnSplit',
      guarded('Run YOFO on split', async () => {
        const ds = session.dataset;
        if (!ds) throw new Error('no dataset is open (RVOS: Open Dataset…)');
        if (running) throw new Error('a YOFO split run is already running; cancel it or wait for it to finish');
        const modelDir = await pickModel(deps);
        if (!modelDir) return;
        const scope = await pickScope(deps, ds);
        if (!scope) return;
        running = true;
        try {
          await run(deps, ds, modelDir, scope);
        } finally {
          running = false;
        }
      }),
    ),
  ];
}

async function pickModel(deps: YofoSplitRunDeps): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const configured = deps.inference().modelPath;
  const items: (vscode.QuickPickItem & { dir?: string })[] = [
    { label: 'Default model', description: 'bundled with the extension', dir: defaultModelDir(deps.extensionRoot) },
  ];
  if (configured !== '') {
    const dir = resolveModelDir(configured, deps.extensionRoot, folders[0]);
    items.push({ label: 'Configured model', description: 'rvos.model.path', detail: dir, dir });
  }
  items.push({
    label: 'Browse…',
    description: 'a model folder exported by training/ (model.json, text.onnx, frame.onnx)',
  });
  const picked = await vscode.window.showQuickPick(items, { title: 'RVOS: Run YOFO on Split — Model' });
  if (!picked) return undefined;
  const dir =
    picked.dir ??
    (
      await vscode.window.showOpenDialog({
        title: 'RVOS: Run YOFO on Split — Model Folder',
        openLabel: 'Use Model',
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
      })
    )?.[0]?.fsPath;
  // Restricted Mode: a model inside the untrusted workspace is refused before onnxruntime parses it.
  if (dir) checkModelTrust(dir, deps.extensionRoot, folders, vscode.workspace.isTrusted);
  return dir;
}

interface Scope {
  videoIds: string[];
  /** False for the whole split; else the run covers (and is scored on) only these videos. */
  partial: boolean;
}

async function pickScope(deps: YofoSplitRunDeps, ds: Dataset): Promise<Scope | undefined> {
  const count = (ids: string[]) => {
    const exps = ids.reduce((n, id) => n + ds.videoById.get(id)!.expressions.length, 0);
    return `${ids.length} clip${ids.length === 1 ? '' : 's'} · ${exps} expressions`;
  };
  const all = ds.videos.map((v) => v.id);
  const items: (vscode.QuickPickItem & { scope: Scope })[] = [
    { label: 'Whole split', description: `${ds.split}: ${count(all)}`, scope: { videoIds: all, partial: false } },
  ];
  const filter = deps.session.filter;
  if (filter) {
    // Whole clips: every expression of a clip the filter shows, so the run's clip scores are complete.
    const shown = filterClips(ds.videos, filter).map((c) => c.video.id);
    if (shown.length > 0)
      items.push({
        label: 'Clips shown by the filter',
        description: `"${filter.text}": ${count(shown)}`,
        scope: { videoIds: shown, partial: true },
      });
  }
  const [node] = deps.view.selection;
  if (node && node.kind !== 'dataset' && ds.videoById.get(node.video.id) === node.video) {
    items.push({
      label: 'Selected clip',
      description: `${node.video.id}: ${count([node.video.id])}`,
      scope: { videoIds: [node.video.id], partial: true },
    });
  }
  return (await vscode.window.showQuickPick(items, { title: 'RVOS: Run YOFO on Split — Scope' }))?.scope;
}

async function run(deps: YofoSplitRunDeps, ds: Dataset, modelDir: string, scope: Scope): Promise<void> {
  const inference = deps.inference();
  const abort = new AbortController();
  const skipped: string[] = [];
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `RVOS: YOFO on ${ds.split}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        progress.report({ message: 'loading the model…' });
        let reported = 0;
        let lastReport = 0;
        return runYofoOnSplit({
          ds,
          videoIds: scope.videoIds,
          client: deps.client,
          modelDir,
          executionProvider: inference.executionProvider,
          threads: inference.threads > 0 ? inference.threads : undefined,
          cache: inference.cacheResults ? deps.cache : undefined,
          storageDir: deps.storageDir,
          session: deps.session,
          partial: scope.partial,
          signal: abort.signal,
          onSkipped: (message) => skipped.push(message),
          onProgress: (done, total, fps) => {
            const now = performance.now();
            if (done < total && now - lastReport < 250) return; // a notification update per frame would flood the UI
            lastReport = now;
            const pct = total === 0 ? 100 : (100 * done) / total;
            progress.report({
              increment: pct - reported,
              message: `${done}/${total} frames · ${fps.toFixed(1)} frames/s`,
            });
            reported = pct;
          },
        });
      },
    );
    const { imported } = result;
    if (!imported) return; // another split was opened meanwhile
    if (skipped.length > 0) {
      const out = outputChannel();
      for (const s of skipped) out.appendLine(`warning: ${s}`);
      void vscode.window.showWarningMessage(
        `RVOS: ${skipped.length} expressions could not be run (scored as empty masks); see the RVOS output.`,
      );
    }
    const { frames, seconds, model } = result.predictions;
    const speed = `${frames} frames in ${seconds.toFixed(1)} s (${(seconds > 0 ? frames / seconds : 0).toFixed(1)} frames/s, ${model.device})`;
    if (ds.hasAnnotations) {
      // Scored at once (cancellable), so the run can be compared in the Failures panel right away; the scoring's own
      // message ends the run, so the speed goes to the output rather than into a second toast.
      logLine(`run "${imported.run.name}" ready: ${speed}.`);
      await vscode.commands.executeCommand('rvos.scoreRun', imported.run.name);
    } else {
      void vscode.window.showInformationMessage(
        `RVOS: run "${imported.run.name}" ready: ${speed}; split "${ds.split}" has no ground truth to score against.`,
      );
    }
  } catch (err) {
    if (!isAbort(err) && !abort.signal.aborted) throw err;
  }
}
