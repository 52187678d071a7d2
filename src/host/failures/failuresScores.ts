// The scores the Failures panel and the exports work on, taken from what the session knows of a run: a SplitScore in
// the split's order (as `scoreSplit` returns it) from the RunScores of a whole or partly scored run.

import { expressionHasGroundTruth } from '../../core/benchmarks';
import type { Dataset } from '../../core/dataset';
import { mean } from '../../core/scoring/video';
import type { ExpressionScore, SplitScore, Video } from '../../core/types';
import type { RunSummary } from '../../shared/failures/protocol';
import type { RunScores } from '../session/runScores';

/**
 * The run's known expression scores in video, then expression order; the rest counted in `unscored`. `official`: an
 * expression the run has no mask for counts as the benchmark counts it (0.0, for exports); else it is left out.
 */
export function splitScoreOf(videos: readonly Video[], scores: RunScores, official = false): SplitScore {
  const expressions: ExpressionScore[] = [];
  let unscored = 0;
  for (const video of videos) {
    for (const e of video.expressions) {
      const s = official ? scores.official(video.id, e.expId) : scores.expression(video.id, e.expId);
      if (s) expressions.push(s);
      else unscored++;
    }
  }
  const J = mean(expressions.map((e) => e.J));
  const F = mean(expressions.map((e) => e.F));
  return { J, F, JF: (J + F) / 2, expressions, ...(unscored > 0 ? { unscored } : {}) }; // as `rvos score --json` when complete
}

/** Expressions of the split that can be scored (an obj_id; MeViS anno_ids; ReVOS an anno_id list, maybe empty). */
export function scorableExpressions(ds: Dataset): number {
  let n = 0;
  for (const v of ds.videos) for (const e of v.expressions) if (expressionHasGroundTruth(ds, e)) n++;
  return n;
}

export function runSummary(name: string, score: SplitScore, complete: boolean, skipped = 0): RunSummary {
  const summary: RunSummary = { name, scored: score.expressions.length, complete };
  if (skipped > 0) summary.skipped = skipped;
  if (score.expressions.length > 0) summary.JF = score.JF;
  return summary;
}
