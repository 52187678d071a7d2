// The issue-5 commands: RVOS: Show Failures, Compare Runs…, Tag Expression…, Edit Note…, Export Failure Report…,
// Export Scores…, Export Submission Zip…. Each body is wrapped by `guarded`, so a problem shows as one message.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { parseTags } from '../../shared/failures/protocol';
import type { WorkspaceAnnotations } from '../annotations/annotations';
import type { ClipViewerPanels } from '../clipViewer/clipViewerPanel';
import { guarded } from '../common/errors';
import {
  exportReport,
  exportScores,
  exportSubmission,
  type ExportContext,
  type ExportUi,
  type ScoresFormat,
} from '../exports/exportCommands';
import type { FailuresPanel } from './failuresPanel';
import type { Session } from '../session/session';
import { runDescription, runPlace } from '../clips/treeLabels';
import { offerRunSources } from '../session/sessionCommands';

export interface FailuresCommandDeps {
  session: Session;
  panels: ClipViewerPanels;
  failures: FailuresPanel;
  annotations: WorkspaceAnnotations;
}

/** The VS Code side of the export commands. */
const exportUi: ExportUi = {
  async saveFile({ title, defaultPath, filters }) {
    return (
      await vscode.window.showSaveDialog({
        title,
        defaultUri: vscode.Uri.file(defaultPath),
        filters,
        saveLabel: 'Export',
      })
    )?.fsPath;
  },
  async pick(title, items) {
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.description, value: i.value })),
      { title },
    );
    return picked?.value;
  },
  progress(title, task) {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          return task((message, fraction) => {
            const increment = fraction === undefined ? undefined : Math.max(0, 100 * fraction - reported);
            if (fraction !== undefined) reported = Math.max(reported, 100 * fraction);
            progress.report({ message, increment });
          }, abort.signal);
        },
      ),
    );
  },
  info: (message) => void vscode.window.showInformationMessage(message),
  warn: (message) => void vscode.window.showWarningMessage(message),
};

function workspaceDir(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** The (video, expression) a tag or note command is about: its arguments, else the focused clip viewer's selection. */
function targetExpression(panels: ClipViewerPanels, video?: string, expId?: string): { video: string; expId: string } {
  if (typeof video === 'string' && typeof expId === 'string') return { video, expId };
  const state = (panels.activePanel ?? (panels.openPanels.length === 1 ? panels.openPanels[0] : undefined))
    ?.viewerState;
  if (!state?.expId)
    throw new Error('no clip viewer with a selected expression is focused (RVOS: Show Clip, then pick an expression)');
  return { video: state.videoId, expId: state.expId };
}

export function registerFailuresCommands(deps: FailuresCommandDeps): vscode.Disposable[] {
  const { session, panels, failures, annotations } = deps;
  const reg = <A extends unknown[]>(id: string, doing: string, body: (...args: A) => unknown) =>
    vscode.commands.registerCommand(id, guarded(doing, body));
  const exportContext = (): ExportContext => ({
    session,
    ui: exportUi,
    defaultDir: workspaceDir() ?? os.homedir(),
    annotations,
  });
  return [
    reg('rvos.showFailures', 'Show failures', () => failures.show()),
    reg('rvos.compareRuns', 'Compare runs', async (names?: string[]) => {
      if (!session.dataset) throw new Error('no dataset is open (RVOS: Open Dataset…)');
      const chosen = Array.isArray(names) ? names : await pickRuns(session);
      if (!chosen) return;
      if (chosen.length < 2)
        throw new Error(`comparing needs at least two runs, ${chosen.length === 0 ? 'none was' : 'one was'} chosen`);
      // The comparison needs whole-split scores: score the runs that lack them (each cancellable on its own).
      for (const name of chosen) {
        if (session.runs.get(name)?.complete) continue;
        await vscode.commands.executeCommand('rvos.scoreRun', name);
        if (!session.runs.get(name)?.complete) return; // cancelled or failed (the scoring said why)
      }
      failures.show(chosen);
    }),
    reg('rvos.tagExpression', 'Tag expression', async (video?: string, expId?: string) => {
      const target = targetExpression(panels, video, expId);
      const store = await annotations.load();
      const current = store.get(target.video, target.expId);
      const known = store.allTags();
      const text = await vscode.window.showInputBox({
        title: `RVOS: Tags of ${target.video} · expression ${target.expId}`,
        prompt: `Comma-separated tags; empty removes them all${known.length ? ` (in use: ${known.join(', ')})` : ''}`,
        value: current.tags.join(', '),
      });
      if (text === undefined) return;
      const saved = await annotations.set(target.video, target.expId, { tags: parseTags(text) });
      void vscode.window.setStatusBarMessage(
        `RVOS: tags of ${target.video}/${target.expId}: ${saved.tags.join(', ') || 'none'}`,
        4000,
      );
    }),
    reg('rvos.editNote', 'Edit note', async (video?: string, expId?: string) => {
      const target = targetExpression(panels, video, expId);
      const current = (await annotations.load()).get(target.video, target.expId);
      const note = await vscode.window.showInputBox({
        title: `RVOS: Note on ${target.video} · expression ${target.expId}`,
        prompt: 'Why it fails, what to try; empty removes the note (longer notes: the Failures panel)',
        value: current.note,
      });
      if (note === undefined) return;
      await annotations.set(target.video, target.expId, { note });
      void vscode.window.setStatusBarMessage(`RVOS: note on ${target.video}/${target.expId} saved`, 4000);
    }),
    reg('rvos.exportReport', 'Export failure report', (worst?: number) =>
      exportReport(exportContext(), typeof worst === 'number' ? worst : undefined),
    ),
    reg('rvos.exportScores', 'Export scores', (format?: ScoresFormat) => exportScores(exportContext(), format)),
    reg('rvos.exportSubmission', 'Export submission zip', () => exportSubmission(exportContext())),
  ];
}

/** Multi-select quick pick over the imported runs, the active one first and preselected. */
async function pickRuns(session: Session): Promise<string[] | undefined> {
  if (session.runs.size < 2) {
    // Not an error: the walkthrough and the panel lead here; say what is missing and offer the ways to add a run.
    await offerRunSources(
      `RVOS: Compare Runs needs two runs, ${session.runs.size === 0 ? 'none is' : 'one is'} loaded: make or import another`,
    );
    return undefined;
  }
  const runs = [...session.runs.values()].sort(
    (a, b) => Number(b.run.name === session.activeRunName) - Number(a.run.name === session.activeRunName),
  );
  const items = runs.map((r) => ({
    label: r.run.name,
    description: `${r.run.name === session.activeRunName ? 'active · ' : ''}${r.complete ? runDescription(r.scores.mean(), r.skipped?.length) : 'not scored (will be)'}`,
    detail: runPlace(r),
    picked: r.run.name === session.activeRunName,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'RVOS: Compare Runs (pick two or more; the first is the baseline)',
    canPickMany: true,
  });
  return picked?.map((p) => p.label);
}
