// The per-video scoring work (run in a worker thread by pool.ts, or in-process): reads each frame's ground truth
// once (groundTruth.ts), and scores each expression's prediction against its targets' truth, with the aggregation
// rules of the dataset's benchmark profile.

import * as path from 'node:path';
import type { GroundTruthSource, ScoringRules } from '../benchmarks/profile';
import { isDirectory } from '../fileKind';
import { decodeForegroundMask } from '../png';
import { predictionPath, predictionsDir, type PredictionRun } from '../predictions';
import type { ExpressionScore, FrameScore } from '../types';
import { openGroundTruth } from './groundTruth';
import { JobFiles } from './jobFiles';
import { RowRuns, scoreRuns } from './index';

/** One expression to score; `targets` are what it refers to in the ground truth (pixel values, anno_ids). */
export interface JobExpression {
  expId: string;
  text: string;
  category?: string;
  targets: string[];
}

/** Everything needed to score one video: plain data, so it can be posted to a worker. */
export interface VideoJob {
  video: string;
  frames: string[];
  gt: GroundTruthSource;
  rules: ScoringRules;
  run: PredictionRun;
  expressions: JobExpression[];
}

function expressionScore(video: string, e: JobExpression, frames: FrameScore[]): ExpressionScore {
  const J = mean(frames.map((f) => f.J));
  const F = mean(frames.map((f) => f.F));
  const score: ExpressionScore = { video, expId: e.expId, expression: e.text, J, F, JF: (J + F) / 2, frames };
  if (e.category !== undefined) score.category = e.category;
  return score;
}

/** Scores every expression of one video; expressions come back in the job's order. */
export async function scoreVideoJob(job: VideoJob): Promise<ExpressionScore[]> {
  const { video, frames, run, expressions, rules } = job;
  if (rules.missingVideo === 'zero' && !(await isDirectory(path.join(predictionsDir(run), video)))) {
    return expressions.map((e) => expressionScore(video, e, frames.map((frame) => ({ frame, J: 0, F: 0, missing: true }))));
  }
  const perExpression: FrameScore[][] = expressions.map(() => []);
  const gt = await openGroundTruth(job.gt, frames, expressions.map((e) => e.targets));
  const predictionFiles = new JobFiles(run.dir);
  const predRuns = new RowRuns();
  const emptyRuns = new RowRuns();

  // Reading frame i + 1 overlaps decoding and scoring frame i.
  const load = async (i: number) => {
    const truth = await gt.load(i);
    if (truth === undefined) return undefined;
    const preds = await Promise.all(expressions.map((e) => predictionFiles.read(predictionPath(run, video, e.expId, frames[i]))));
    return { truth, preds };
  };
  let next = frames.length > 0 ? load(0) : undefined;
  for (let i = 0; i < frames.length; i++) {
    const loaded = await next!;
    next = i + 1 < frames.length ? load(i + 1) : undefined;
    next?.catch(() => undefined); // its error is raised when awaited; don't report it as unhandled meanwhile
    if (!loaded) continue;
    const truths = gt.decode(i, loaded.truth);
    expressions.forEach((e, k) => {
      const predFile = predictionPath(run, video, e.expId, frames[i]);
      const bytes = loaded.preds[k];
      let truth = truths[k];
      if (bytes !== undefined) predRuns.compute(decodeForegroundMask(bytes, predFile));
      // An empty truth of unknown size takes the prediction's; a missing prediction is an empty mask of the truth's.
      if (truth === null) truth = emptyRuns.reset(bytes === undefined ? 1 : predRuns.width, bytes === undefined ? 1 : predRuns.height).finish();
      if (bytes === undefined) predRuns.reset(truth.width, truth.height).finish();
      const { J, F } = scoreRuns(truth, predRuns, gt.describe(i, k), predFile);
      perExpression[k].push({ frame: frames[i], J, F, missing: bytes === undefined });
    });
  }
  return expressions.map((e, k) => expressionScore(video, e, perExpression[k]));
}

/** Arithmetic mean; 0 for no values (callers treat expressions without scored frames separately). */
export function mean(values: number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}
