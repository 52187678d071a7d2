// The RVOS commands. Each body is wrapped by `guarded`, so a bad folder shows "RVOS: <file>: <problem>" and nothing
// else breaks.

import * as vscode from 'vscode';
import type { Dataset } from '../../core/dataset';
import { parseFilter } from '../clips/clipFilter';
import type { ClipViewerPanels } from '../clipViewer/clipViewerPanel';
import type { ClipNode } from '../clips/clipsTree';
import { guarded, isAbort, outputChannel } from '../common/errors';
import { describeSkipped } from '../../core/errors';
import type { Session } from './session';
import { formatPercent } from '../../shared/scoreFormat';
import { runDescription, runPlace } from '../clips/treeLabels';

export function registerCommands(session: Session, panels: ClipViewerPanels): vscode.Disposable[] {
  const reg = <A extends unknown[]>(id: string, doing: string, body: (...args: A) => unknown) =>
    vscode.commands.registerCommand(id, guarded(doing, body));
  return [
    reg('rvos.openDataset', 'Open dataset', async (folder?: vscode.Uri | string) => {
      const root =
        typeof folder === 'string'
          ? folder
          : (folder?.fsPath ?? (await pickFolder('Open Dataset (the folder that contains meta_expressions/)')));
      if (root) await openAndReport(session, root);
    }),
    reg('rvos.chooseSplit', 'Choose split', async (split?: string) => {
      const ds = requireDataset(session);
      const chosen =
        split ??
        (
          await vscode.window.showQuickPick(
            ds.splits.map((s) => ({ label: s, description: s === ds.split ? 'open' : undefined })),
            { title: 'RVOS: Choose Split' },
          )
        )?.label;
      if (chosen && chosen !== ds.split) await openAndReport(session, ds.root, chosen);
    }),
    reg('rvos.importPredictions', 'Import predictions', async (folder?: vscode.Uri | string, name?: string) => {
      const dir =
        typeof folder === 'string'
          ? folder
          : (folder?.fsPath ??
            (await pickFolder('Import Predictions (the folder holding Annotations/<video>/<exp_id>/<frame>.png)')));
      if (!dir) return;
      // Named after its folder (the parent of Annotations/); a second run with the same name gets a " (2)" suffix.
      const imported = await session.importRun(dir, name);
      if (session.dataset?.hasAnnotations) {
        // Not awaited: the import is done; scoring is offered, not forced (a full split can take a while).
        void vscode.window
          .showInformationMessage(`RVOS: imported run "${imported.run.name}" (${imported.run.dir}).`, 'Score Run')
          .then(
            (choice) => choice === 'Score Run' && vscode.commands.executeCommand('rvos.scoreRun', imported.run.name),
          );
      }
    }),
    reg('rvos.selectRun', 'Select prediction run', async (name?: string) => {
      const chosen = name ?? (await pickRun(session, 'RVOS: Active Prediction Run', true));
      if (chosen !== undefined) session.setActiveRun(chosen === '' ? undefined : chosen);
    }),
    reg('rvos.removeRun', 'Remove prediction run', async (name?: string) => {
      if (name === undefined && session.runs.size === 0) {
        void vscode.window.showInformationMessage('RVOS: there is no prediction run to remove.');
        return;
      }
      const chosen =
        name ??
        (await pickRun(
          session,
          'RVOS: Remove Prediction Run (imported folders are kept; a Run YOFO on Split folder is deleted)',
          false,
        ));
      if (chosen) session.removeRun(chosen);
    }),
    reg('rvos.scoreRun', 'Score run', async (name?: string) => {
      const ds = requireDataset(session);
      if (!ds.hasAnnotations)
        throw new Error(`split "${ds.split}" has no Annotations folder; there is no ground truth to score against`);
      const runName = name ?? session.activeRunName ?? (await pickRun(session, 'RVOS: Score Prediction Run', false));
      if (!runName) return;
      const abort = new AbortController();
      try {
        const score = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `RVOS: scoring "${runName}" on ${ds.split}`,
            cancellable: true,
          },
          async (progress, token) => {
            token.onCancellationRequested(() => abort.abort());
            let reported = 0;
            return session.scoreRun(runName, abort.signal, (done, total) => {
              const pct = total === 0 ? 100 : (100 * done) / total;
              progress.report({ increment: pct - reported, message: `${done}/${total} expressions` });
              reported = pct;
            });
          },
        );
        const text = `RVOS: "${runName}" on ${ds.split}: J&F ${formatPercent(score.JF)} (J ${formatPercent(score.J)}, F ${formatPercent(score.F)}) over ${score.expressions.length} expressions`;
        const skipped = score.skipped?.length ?? 0;
        if (skipped === 0) void vscode.window.showInformationMessage(`${text}.`);
        else {
          void vscode.window
            .showWarningMessage(
              `${text}: PARTIAL, ${skipped} expression${skipped === 1 ? '' : 's'} cannot be scored and ${skipped === 1 ? 'is' : 'are'} left out (first: ${describeSkipped(score.skipped![0])}).`,
              'Show Problems',
            )
            .then((choice) => choice === 'Show Problems' && vscode.commands.executeCommand('rvos.showProblems'));
        }
      } catch (err) {
        if (!isAbort(err) && !abort.signal.aborted) throw err;
      }
    }),
    reg('rvos.showClip', 'Show clip', async (target?: string | ClipNode, expId?: string) => {
      const ds = requireDataset(session);
      // From the palette: nothing (pick one); from a tree row's command: ids; from its inline button: the node.
      const node = typeof target === 'object' ? target : undefined;
      if (node?.kind === 'expression') expId ??= node.expression.expId;
      const id =
        (node && node.kind !== 'dataset' ? node.video.id : typeof target === 'string' ? target : undefined) ??
        (
          await vscode.window.showQuickPick(
            ds.videos.map((v) => ({
              label: v.id,
              description: `${v.frames.length} frames · ${v.expressions.length} expressions`,
            })),
            { title: 'RVOS: Show Clip', matchOnDescription: false },
          )
        )?.label;
      // Picking an expression (a tree row) runs YOFO for it; opening a clip does not.
      if (id) panels.show(ds, id, expId, { run: expId !== undefined });
    }),
    reg('rvos.filterClips', 'Filter clips', async () => {
      const text = await vscode.window.showInputBox({
        title: 'RVOS: Filter Clips',
        prompt: 'Words to find in the video id or the expression text (all must match); empty clears the filter',
        value: session.filter?.text ?? '',
      });
      if (text !== undefined) session.setFilter(parseFilter(text));
    }),
    reg('rvos.clearFilter', 'Clear filter', () => session.setFilter(undefined)),
    reg('rvos.showProblems', 'Show dataset problems', () => {
      const ds = requireDataset(session);
      const out = outputChannel();
      out.appendLine(`${ds.root} split ${ds.split}: ${ds.problems.length} problems`);
      for (const p of ds.problems) out.appendLine(`  ${p.file}: ${p.message}`);
      for (const r of session.runs.values()) {
        if (!r.skipped) continue;
        out.appendLine(
          `run "${r.run.name}": ${r.skipped.length} expressions cannot be scored; its split score is partial`,
        );
        for (const s of r.skipped) out.appendLine(`  ${describeSkipped(s)}`);
      }
      out.show(true);
    }),
  ];
}

/** "No prediction run yet" (or not enough to compare): a pick between the two ways to get one; the chosen command runs. */
export async function offerRunSources(title = 'RVOS: No prediction run yet: make one or import one'): Promise<void> {
  const items = [
    {
      label: '$(run-all) Run YOFO on Split…',
      detail: 'Runs the YOFO model on the split; expressions already run in the clip viewer come from the cache.',
      command: 'rvos.runYofoOnSplit',
    },
    {
      label: '$(cloud-download) Import Predictions…',
      detail: "Another model's masks: a folder with Annotations/<video>/<exp_id>/<frame>.png.",
      command: 'rvos.importPredictions',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title });
  if (picked) await vscode.commands.executeCommand(picked.command);
}

function requireDataset(session: Session): Dataset {
  if (!session.dataset) throw new Error('no dataset is open (RVOS: Open Dataset…)');
  return session.dataset;
}

async function pickFolder(title: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `RVOS: ${title}`,
    openLabel: 'Open',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
  });
  return picked?.[0]?.fsPath;
}

/**
 * Quick pick over the imported runs with their J&F; '' stands for "no run" when `allowNone`. Without any run it offers
 * the ways to get one instead (never an error: the Failures panel's hints lead here).
 */
async function pickRun(session: Session, title: string, allowNone: boolean): Promise<string | undefined> {
  if (session.runs.size === 0) {
    await offerRunSources();
    return undefined;
  }
  const items: vscode.QuickPickItem[] = [...session.runs.values()].map((r) => ({
    label: r.run.name,
    description: `${r.run.name === session.activeRunName ? 'active · ' : ''}${r.complete ? runDescription(r.scores.mean(), r.skipped?.length) : 'not scored'}`,
    detail: runPlace(r),
  }));
  if (allowNone) items.push({ label: '', description: 'No prediction run (ground truth only)' });
  return (await vscode.window.showQuickPick(items, { title }))?.label;
}

async function openAndReport(session: Session, root: string, split?: string): Promise<void> {
  const ds = await session.openDataset(root, split);
  await vscode.commands.executeCommand('rvos.clips.focus');
  if (ds.problems.length > 0) {
    // Not awaited: the command finishes when the dataset is open, not when the user dismisses the warning.
    void vscode.window
      .showWarningMessage(
        `RVOS: ${ds.split} opened with ${ds.problems.length} problem${ds.problems.length === 1 ? '' : 's'} (first: ${ds.problems[0].file}: ${ds.problems[0].message}).`,
        'Show Problems',
      )
      .then((choice) => choice === 'Show Problems' && vscode.commands.executeCommand('rvos.showProblems'));
  }
}
