// Scores of one clip for any imported run, scored on demand: the viewer's "compare with" and its J/F chart need the
// per-frame scores of the runs it shows, and opening a viewer scores its clip for the active run. Both go through
// scoreClipOnce, the one place a clip is scored into a run's RunScores: once at a time per (RunScores, clip), on one
// worker thread, and dropped when the split changed meanwhile. Jobs are keyed by the RunScores object, not the run:
// reopening a split gives every run a new RunScores, so a request after that starts a new job instead of joining one
// whose result will be thrown away. The active run goes through the session's scoreClip (so the tree refreshes).

import { expressionHasGroundTruth } from '../../core/benchmarks';
import type { Dataset } from '../../core/dataset';
import type { ExpressionScore } from '../../core/types';
import type { ImportedRun } from './importedRun';
import type { RunScores } from './runScores';

type Evaluate = typeof import('../../core/evaluate');

/** What runClipScores needs of the session (a plain object in the unit tests). */
export interface ScoringSession {
  readonly runs: ReadonlyMap<string, ImportedRun>;
  readonly activeRun: ImportedRun | undefined;
  readonly dataset: Dataset | undefined;
  /** Scores a clip for the active run and tells the listeners (the tree, the viewers). */
  scoreClip(videoId: string): Promise<boolean>;
}

const pending = new WeakMap<RunScores, Map<string, Promise<boolean>>>();

/** The scored expressions of clip `videoId` for run `name` (empty when the split has no ground truth). */
export async function runClipScores(
  session: ScoringSession,
  ds: Dataset,
  name: string,
  videoId: string,
): Promise<ExpressionScore[]> {
  const imported = session.runs.get(name);
  if (!imported) throw new RangeError(`no imported prediction run "${name}"`);
  const video = ds.videoById.get(videoId);
  if (!video) throw new RangeError(`no clip "${videoId}" in split ${ds.split}`);
  if (imported === session.activeRun) await session.scoreClip(videoId);
  else await scoreClipOnce(ds, imported, videoId, () => session.dataset === ds);
  return video.expressions.flatMap((e) => imported.scores.expression(videoId, e.expId) ?? []);
}

/**
 * Scores clip `videoId` of `ds` for `imported` into its current RunScores unless they are known already (or the clip
 * has no expression with ground truth); concurrent calls for one (RunScores, clip) share one job. The result is kept
 * only when `isCurrent()` still holds and the run still has the same RunScores. True when scores were added.
 */
export function scoreClipOnce(
  ds: Dataset,
  imported: ImportedRun,
  videoId: string,
  isCurrent: () => boolean,
): Promise<boolean> {
  const video = ds.videoById.get(videoId);
  if (!video || !video.expressions.some((e) => expressionHasGroundTruth(ds, e))) return Promise.resolve(false);
  const scores = imported.scores;
  if (imported.complete || scores.hasClip(videoId)) return Promise.resolve(false);
  let byClip = pending.get(scores);
  if (!byClip) pending.set(scores, (byClip = new Map<string, Promise<boolean>>()));
  let job = byClip.get(videoId);
  if (!job) {
    const clips = byClip;
    job = score(ds, imported, scores, videoId, isCurrent).finally(() => clips.delete(videoId));
    byClip.set(videoId, job);
  }
  return job;
}

async function score(
  ds: Dataset,
  imported: ImportedRun,
  scores: RunScores,
  videoId: string,
  isCurrent: () => boolean,
): Promise<boolean> {
  const { scoreSplit }: Evaluate = await import('../../core/evaluate');
  // One job for the clip (each annotation decoded once for all its expressions), on one worker thread so the
  // extension host stays responsive.
  // An expression that cannot be scored stays without a score here; scoring the whole run lists it as a problem.
  const result = await scoreSplit(ds, imported.run, { videos: [videoId], workers: 1, skipUnscorable: true });
  if (!isCurrent() || imported.scores !== scores || result.expressions.length === 0) return false; // the split changed meanwhile: stale
  for (const s of result.expressions) scores.add(s);
  return true;
}
