// Scores of one clip for any imported run, not only the active one, scored on demand: the viewer's "compare with"
// and its J/F chart need the per-frame scores of the runs it shows. The active run goes through Session.scoreClip (so
// the tree refreshes); other runs are scored here, once at a time per (run, clip), into the run's RunScores.

import type { Dataset } from '../core/dataset';
import type { ExpressionScore } from '../core/types';
import type { ImportedRun, Session } from './session';

type Evaluate = typeof import('../core/evaluate');

/** What this module needs of the session (a plain object in the unit tests). */
export type ScoringSession = Pick<Session, 'runs' | 'activeRun' | 'dataset' | 'scoreClip'>;

const pending = new WeakMap<ImportedRun, Map<string, Promise<void>>>();

/** The scored expressions of clip `videoId` for run `name` (empty when the split has no ground truth). */
export async function runClipScores(session: ScoringSession, ds: Dataset, name: string, videoId: string): Promise<ExpressionScore[]> {
  const imported = session.runs.get(name);
  if (!imported) throw new RangeError(`no imported prediction run "${name}"`);
  const video = ds.videoById.get(videoId);
  if (!video) throw new RangeError(`no clip "${videoId}" in split ${ds.split}`);
  if (!ds.hasAnnotations || !video.expressions.some((e) => e.objId !== undefined)) return [];
  if (imported === session.activeRun) await session.scoreClip(videoId);
  else await scoreOnce(session, ds, imported, videoId);
  return video.expressions.flatMap((e) => imported.scores.expression(videoId, e.expId) ?? []);
}

function scoreOnce(session: ScoringSession, ds: Dataset, imported: ImportedRun, videoId: string): Promise<void> {
  if (imported.complete || imported.scores.hasClip(videoId)) return Promise.resolve();
  let byClip = pending.get(imported);
  if (!byClip) pending.set(imported, (byClip = new Map()));
  let job = byClip.get(videoId);
  if (!job) {
    const clips = byClip;
    job = score(session, ds, imported, videoId).finally(() => clips.delete(videoId));
    byClip.set(videoId, job);
  }
  return job;
}

async function score(session: ScoringSession, ds: Dataset, imported: ImportedRun, videoId: string): Promise<void> {
  const scores = imported.scores;
  const { scoreSplit }: Evaluate = await import('../core/evaluate');
  // One worker thread, as for the active run's clips, so the extension host stays responsive.
  const result = await scoreSplit(ds, imported.run, { videos: [videoId], workers: 1 });
  if (session.dataset !== ds || imported.scores !== scores) return; // the split changed meanwhile: these are stale
  for (const s of result.expressions) scores.add(s);
}
