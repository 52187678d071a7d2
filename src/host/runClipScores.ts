// Scores of one clip for any imported run, scored on demand: the viewer's "compare with" and its J/F chart need the
// per-frame scores of the runs it shows, and opening a viewer scores its clip for the active run. Both go through
// scoreClipOnce, the one place a clip is scored into a run's RunScores: once at a time per (run, clip), on one worker
// thread, and dropped when the split changed meanwhile. The active run goes through Session.scoreClip (so the tree
// refreshes).

import type { Dataset } from '../core/dataset';
import type { ExpressionScore } from '../core/types';
import type { ImportedRun, Session } from './session';

type Evaluate = typeof import('../core/evaluate');

/** What this module needs of the session (a plain object in the unit tests). */
export type ScoringSession = Pick<Session, 'runs' | 'activeRun' | 'dataset' | 'scoreClip'>;

const pending = new WeakMap<ImportedRun, Map<string, Promise<boolean>>>();

/** The scored expressions of clip `videoId` for run `name` (empty when the split has no ground truth). */
export async function runClipScores(session: ScoringSession, ds: Dataset, name: string, videoId: string): Promise<ExpressionScore[]> {
  const imported = session.runs.get(name);
  if (!imported) throw new RangeError(`no imported prediction run "${name}"`);
  const video = ds.videoById.get(videoId);
  if (!video) throw new RangeError(`no clip "${videoId}" in split ${ds.split}`);
  if (imported === session.activeRun) await session.scoreClip(videoId);
  else await scoreClipOnce(session, ds, imported, videoId);
  return video.expressions.flatMap((e) => imported.scores.expression(videoId, e.expId) ?? []);
}

/**
 * Scores clip `videoId` of `ds` for `imported` into its RunScores unless they are known already (or the clip has no
 * expression with ground truth); concurrent calls for one (run, clip) share one job. True when scores were added.
 */
export function scoreClipOnce(session: Pick<Session, 'dataset'>, ds: Dataset, imported: ImportedRun, videoId: string): Promise<boolean> {
  const video = ds.videoById.get(videoId);
  if (!video || !ds.hasAnnotations || !video.expressions.some((e) => e.objId !== undefined)) return Promise.resolve(false);
  if (imported.complete || imported.scores.hasClip(videoId)) return Promise.resolve(false);
  let byClip = pending.get(imported);
  if (!byClip) pending.set(imported, (byClip = new Map<string, Promise<boolean>>()));
  let job = byClip.get(videoId);
  if (!job) {
    const clips = byClip;
    job = score(session, ds, imported, videoId).finally(() => clips.delete(videoId));
    byClip.set(videoId, job);
  }
  return job;
}

async function score(session: Pick<Session, 'dataset'>, ds: Dataset, imported: ImportedRun, videoId: string): Promise<boolean> {
  const scores = imported.scores;
  const { scoreSplit }: Evaluate = await import('../core/evaluate');
  // One job for the clip (each annotation decoded once for all its expressions), on one worker thread so the
  // extension host stays responsive.
  const result = await scoreSplit(ds, imported.run, { videos: [videoId], workers: 1 });
  if (session.dataset !== ds || imported.scores !== scores || result.expressions.length === 0) return false; // the split changed meanwhile: stale
  for (const s of result.expressions) scores.add(s);
  return true;
}
