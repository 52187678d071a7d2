// RVOS: Export Failure Report / Export Scores / Export Submission Zip for the active run, with the report modules the
// CLI uses (`rvos report`, `rvos export`). The VS Code side (save dialog, quick pick, progress notification) comes in
// as an ExportUi, so the commands run unchanged in the unit tests with scripted answers. Outputs are refused inside
// the dataset folder and written atomically; a run that is not wholly scored is scored first (cancellable).

import * as path from 'node:path';
import type { Dataset } from '../../core/dataset';
import { expressionScoresCsv, frameScoresCsv } from '../../core/report/csv';
import { refuseInsideDataset, writeFileAtomic } from '../../core/report/outputFile';
import type { SplitScore } from '../../core/types';
import type { WorkspaceAnnotations } from '../annotations/annotations';
import { splitScoreOf } from '../failures/failuresScores';
import type { ImportedRun } from '../session/importedRun';
import type { Session } from '../session/session';

export interface PickItem<T extends string> {
  value: T;
  label: string;
  description?: string;
}

/** Reports progress: a message and the fraction done (0–1) when known. */
export type ProgressReport = (message: string, fraction?: number) => void;

export interface ExportUi {
  /** A save dialog; undefined when cancelled. */
  saveFile(options: {
    title: string;
    defaultPath: string;
    filters: Record<string, string[]>;
  }): Promise<string | undefined>;
  pick<T extends string>(title: string, items: readonly PickItem<T>[]): Promise<T | undefined>;
  /** Runs `task` under a cancellable progress notification; cancelling aborts `signal`. */
  progress<R>(title: string, task: (report: ProgressReport, signal: AbortSignal) => Promise<R>): Promise<R>;
  info(message: string): void;
  warn(message: string): void;
}

/** What the export commands use of the session. */
export type ExportSession = Pick<Session, 'dataset' | 'activeRun' | 'scoreRun'>;

export interface ExportContext {
  session: ExportSession;
  ui: ExportUi;
  /** Folder the save dialog starts in (the workspace folder, else the home folder). */
  defaultDir: string;
  annotations?: WorkspaceAnnotations;
}

export type ScoresFormat = 'csv' | 'frames-csv' | 'json';

export const SCORE_FORMATS: readonly PickItem<ScoresFormat>[] = [
  {
    value: 'csv',
    label: 'Per-expression scores (CSV)',
    description: 'video, exp_id, expression, category, J, F, JF, frames, missing',
  },
  { value: 'frames-csv', label: 'Per-frame scores (CSV)', description: 'video, exp_id, frame, J, F, JF, missing' },
  { value: 'json', label: 'Per-expression and per-frame scores (JSON)', description: 'the rvos score --json object' },
];

function requireOpen(session: ExportSession, needsGroundTruth: boolean): { ds: Dataset; imported: ImportedRun } {
  const ds = session.dataset;
  if (!ds) throw new Error('no dataset is open (RVOS: Open Dataset…)');
  const imported = session.activeRun;
  if (!imported)
    throw new Error(
      'no active prediction run (RVOS: Run YOFO on Split…, RVOS: Import Predictions… or RVOS: Select Prediction Run…)',
    );
  if (needsGroundTruth && !ds.hasAnnotations)
    throw new Error(`split "${ds.split}" has no Annotations folder; there is no ground truth to score against`);
  return { ds, imported };
}

/** A file name safe on every platform from a run name. */
export function fileStem(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'run';
}

/** Asks for the output file and refuses it inside the dataset; undefined when the dialog was cancelled. */
async function chooseOutput(
  ctx: ExportContext,
  ds: Dataset,
  title: string,
  name: string,
  filters: Record<string, string[]>,
): Promise<string | undefined> {
  const picked = await ctx.ui.saveFile({ title, defaultPath: path.join(ctx.defaultDir, name), filters });
  if (picked === undefined) return undefined;
  const file = path.resolve(picked);
  refuseInsideDataset(file, ds.root, 'file');
  return file;
}

/** The run's scores over the whole split: the session's when complete, else scored now (progress 0–`share`). */
async function wholeSplitScore(
  session: ExportSession,
  imported: ImportedRun,
  report: ProgressReport,
  signal: AbortSignal,
  share: number,
): Promise<SplitScore> {
  const ds = session.dataset!;
  if (imported.complete)
    return {
      ...splitScoreOf(ds.videos, imported.scores, true),
      ...(imported.skipped ? { skipped: imported.skipped } : {}),
    };
  return session.scoreRun(imported.run.name, signal, (done, total) =>
    report(`scoring ${done}/${total} expressions`, total === 0 ? share : (share * done) / total),
  );
}

/** RVOS: Export Failure Report…: the self-contained HTML report of the worst expressions, with tags and notes. */
export async function exportReport(ctx: ExportContext, worst = 50): Promise<string | undefined> {
  const { ds, imported } = requireOpen(ctx.session, true);
  const out = await chooseOutput(
    ctx,
    ds,
    `RVOS: Export Failure Report of "${imported.run.name}"`,
    `${fileStem(imported.run.name)}-report.html`,
    { HTML: ['html'] },
  );
  if (out === undefined) return undefined;
  const lookup = await ctx.annotations?.lookup();
  if (lookup?.problem) ctx.ui.warn(`RVOS: the report has no tags or notes: ${lookup.problem}`);
  const written = await ctx.ui.progress(`RVOS: failure report of "${imported.run.name}"`, async (report, signal) => {
    const score = await wholeSplitScore(ctx.session, imported, report, signal, 0.5);
    report('drawing the worst frames', 0.5);
    const { buildReport } = await import('../../core/report/buildReport'); // sharp loads on use
    const { renderHtmlReport } = await import('../../core/report/htmlReport');
    const input = await buildReport(ds, imported.run, score, { worst, annotations: lookup?.store, signal });
    await writeFileAtomic(out, renderHtmlReport(input));
    return input.items.length;
  });
  ctx.ui.info(`RVOS: wrote ${out} (${written} worst expressions).`);
  return out;
}

/** The text of a score export. */
export function scoresText(score: SplitScore, format: ScoresFormat): string {
  if (format === 'csv') return expressionScoresCsv(score);
  if (format === 'frames-csv') return frameScoresCsv(score);
  return JSON.stringify(score, null, 2) + '\n';
}

/** RVOS: Export Scores…: per-expression or per-frame CSV, or JSON with both. */
export async function exportScores(ctx: ExportContext, format?: ScoresFormat): Promise<string | undefined> {
  const { ds, imported } = requireOpen(ctx.session, true);
  const chosen = format ?? (await ctx.ui.pick('RVOS: Export Scores', SCORE_FORMATS));
  if (chosen === undefined) return undefined;
  const json = chosen === 'json';
  const suffix = chosen === 'frames-csv' ? '-frames.csv' : json ? '-scores.json' : '-scores.csv';
  const out = await chooseOutput(
    ctx,
    ds,
    `RVOS: Export Scores of "${imported.run.name}"`,
    `${fileStem(imported.run.name)}${suffix}`,
    json ? { JSON: ['json'] } : { CSV: ['csv'] },
  );
  if (out === undefined) return undefined;
  const count = await ctx.ui.progress(`RVOS: scores of "${imported.run.name}"`, async (report, signal) => {
    const score = await wholeSplitScore(ctx.session, imported, report, signal, 1);
    await writeFileAtomic(out, scoresText(score, chosen));
    return score.expressions.length;
  });
  ctx.ui.info(`RVOS: wrote ${out} (${count} expressions).`);
  return out;
}

/** RVOS: Export Submission Zip…: the run's masks in the evaluation-server layout (no ground truth needed). */
export async function exportSubmission(ctx: ExportContext): Promise<string | undefined> {
  const { ds, imported } = requireOpen(ctx.session, false);
  const out = await chooseOutput(
    ctx,
    ds,
    `RVOS: Export Submission Zip of "${imported.run.name}"`,
    `${fileStem(imported.run.name)}-submission.zip`,
    { 'Zip archive': ['zip'] },
  );
  if (out === undefined) return undefined;
  const result = await ctx.ui.progress(`RVOS: submission zip of "${imported.run.name}"`, async (report, signal) => {
    report(`packing the masks of ${ds.videos.length} videos`);
    const { writeSubmissionZip } = await import('../../core/report/submission');
    return writeSubmissionZip(out, ds, imported.run, { signal });
  });
  if (result.missing.length > 0) {
    const m = result.missing[0];
    ctx.ui.warn(
      `RVOS: ${result.missing.length} listed frames have no mask in ${imported.run.dir} and are left out of the zip (first: ${m.video}/${m.expId}/${m.frame}.png).`,
    );
  }
  ctx.ui.info(`RVOS: wrote ${out} (${result.files} masks).`);
  return out;
}
