// Scores prediction runs against a split's ground truth: per expression (J, F, J&F over its frames) and per split
// (means over the scored expressions), with the rules of the dataset's benchmark profile (benchmarks/profile.ts): which
// frames count, where ground truth comes from, what a missing prediction scores. The CPU work runs on worker threads
// (scoring/pool.ts).

import { profileOf } from './benchmarks';
import type { BenchmarkProfile } from './benchmarks/profile';
import { metaExpressionsPath, selectVideos, type Dataset } from './dataset';
import { InputError } from './errors';
import type { PredictionRun } from './predictions';
import { runVideoJobs } from './scoring/pool';
import { mean, scoreVideoJob, type JobExpression, type VideoJob } from './scoring/video';
import type { Expression, ExpressionScore, SplitScore, Video } from './types';

export interface ScoreSplitOptions {
  /** Only these videos (ids of the split); default: all. */
  videos?: string[];
  signal?: AbortSignal;
  /** Expressions done / total, called at the start and as each video finishes. */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads (default: one per CPU, at most 8); 0 scores in the calling thread. */
  workers?: number;
}

/** The job expressions of those that have targets in the ground truth; the rest are returned as unscored. */
function jobExpressions(profile: BenchmarkProfile, ds: Dataset, video: Video, expressions: readonly Expression[]): { scorable: JobExpression[]; unscored: number } {
  const scorable: JobExpression[] = [];
  for (const e of expressions) {
    const targets = profile.targets(ds, video, e);
    if (targets === undefined) continue;
    const job: JobExpression = { expId: e.expId, text: e.text, targets };
    if (e.category !== undefined) job.category = e.category;
    scorable.push(job);
  }
  return { scorable, unscored: expressions.length - scorable.length };
}

function videoJob(profile: BenchmarkProfile, ds: Dataset, video: Video, expressions: JobExpression[], run: PredictionRun): VideoJob {
  const plainRun: PredictionRun = { name: run.name, dir: run.dir };
  if (run.masksDir !== undefined) plainRun.masksDir = run.masksDir;
  return { video: video.id, frames: video.frames, gt: profile.groundTruth(ds, video), rules: profile.rules, run: plainRun, expressions };
}

/**
 * Scores one expression in the calling thread (for a viewer that needs one clip now). Expressions without obj_id
 * (valid/test splits) cannot be scored: InputError. An expression none of whose frames is annotated gets J = F = 0
 * and no frames.
 */
export async function scoreExpression(
  ds: Dataset,
  video: Video,
  expression: Expression,
  run: PredictionRun,
  options: { signal?: AbortSignal } = {},
): Promise<ExpressionScore> {
  const profile = profileOf(ds);
  const { scorable } = jobExpressions(profile, ds, video, [expression]);
  if (scorable.length === 0) {
    const what = ds.benchmark === 'mevis' ? 'anno_id list (or the split has no mask_dict.json)' : 'obj_id; only splits with object ids can be scored';
    throw new InputError(metaExpressionsPath(ds), `video ${video.id}, expression ${expression.expId} has no ${what}`);
  }
  options.signal?.throwIfAborted();
  const [score] = await scoreVideoJob(videoJob(profile, ds, video, scorable, run));
  return score;
}

/**
 * Scores a split (or some of its videos). Expressions without obj_id, and expressions with no annotated frame, are
 * skipped and counted in `unscored`; J, F and J&F are means over the scored expressions (0 when there are none).
 */
export async function scoreSplit(ds: Dataset, run: PredictionRun, options: ScoreSplitOptions = {}): Promise<SplitScore> {
  const profile = profileOf(ds);
  const missing = profile.missingGroundTruth(ds);
  if (missing !== undefined) throw new InputError(missing, `no ground truth for split "${ds.split}" (missing); cannot score`);
  const videos = selectVideos(ds, options.videos);
  let unscored = 0;
  const jobs: VideoJob[] = [];
  for (const video of videos) {
    const { scorable, unscored: left } = jobExpressions(profile, ds, video, video.expressions);
    unscored += left;
    if (scorable.length > 0) jobs.push(videoJob(profile, ds, video, scorable, run));
  }
  const total = jobs.reduce((n, j) => n + j.expressions.length, 0);
  let done = 0;
  options.onProgress?.(0, total);
  const results = await runVideoJobs(jobs, {
    workers: options.workers,
    signal: options.signal,
    onJobDone: (i) => {
      done += jobs[i].expressions.length;
      options.onProgress?.(done, total);
    },
  });
  const expressions = results.flat().filter((e) => e.frames.length > 0);
  unscored += total - expressions.length;
  const J = mean(expressions.map((e) => e.J));
  const F = mean(expressions.map((e) => e.F));
  return { J, F, JF: (J + F) / 2, expressions, unscored };
}
