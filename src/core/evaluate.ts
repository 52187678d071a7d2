// Scores prediction runs against a split's ground truth: per expression (J, F, J&F over its frames) and per split
// (means over the scored expressions), with the rules of the dataset's benchmark profile (benchmarks/profile.ts): where
// ground truth comes from, which targets an expression refers to, what a missing prediction scores. Scoring is strict:
// an expression that should be scored but cannot be (no or unknown target, missing or unreadable ground truth, an
// unreadable mask) refuses the split, listing every one, unless the caller opts in to skipping them. The CPU work runs
// on worker threads (scoring/pool.ts).

import { profileOf } from './benchmarks';
import type { BenchmarkProfile } from './benchmarks/profile';
import { selectVideos, type Dataset } from './dataset';
import { InputError, UnscorableError } from './errors';
import type { PredictionRun } from './predictions';
import { runVideoJobs } from './scoring/pool';
import { mean, scoreVideoJob, type JobExpression, type VideoJob } from './scoring/video';
import type { Expression, ExpressionScore, SkippedExpression, SplitScore, Video } from './types';

export interface ScoreSplitOptions {
  /** Only these videos (ids of the split); default: all. */
  videos?: string[];
  signal?: AbortSignal;
  /** Expressions done / total, called at the start and as each video finishes. */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads (default: one per CPU, at most 8); 0 scores in the calling thread. */
  workers?: number;
  /** Score what can be scored and list the rest in `skipped`, instead of refusing the split (strict, the default). */
  skipUnscorable?: boolean;
  /** Mark each frame whose ground truth is empty (`FrameScore.gtEmpty`), as the variant table needs. */
  frameDetail?: boolean;
}

/** The job expressions of `expressions`; those whose targets the profile refuses are listed in `skipped`. */
function jobExpressions(
  profile: BenchmarkProfile,
  ds: Dataset,
  video: Video,
  expressions: readonly Expression[],
  skipped: SkippedExpression[],
): JobExpression[] {
  const scorable: JobExpression[] = [];
  for (const e of expressions) {
    let targets: string[];
    try {
      targets = profile.targets(ds, video, e);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      skipped.push({ video: video.id, expId: e.expId, file: err.file, reason: err.problem });
      continue;
    }
    const job: JobExpression = { expId: e.expId, text: e.text, targets };
    if (e.category !== undefined) job.category = e.category;
    if (e.typeId !== undefined) job.typeId = e.typeId;
    scorable.push(job);
  }
  return scorable;
}

function videoJob(
  profile: BenchmarkProfile,
  ds: Dataset,
  video: Video,
  expressions: JobExpression[],
  run: PredictionRun,
): VideoJob {
  const plainRun: PredictionRun = { name: run.name, dir: run.dir };
  if (run.masksDir !== undefined) plainRun.masksDir = run.masksDir;
  return {
    video: video.id,
    frames: video.frames,
    gt: profile.groundTruth(ds, video),
    rules: profile.rules,
    run: plainRun,
    expressions,
  };
}

/**
 * Scores one expression in the calling thread (for a viewer that needs one clip now). An expression that cannot be
 * scored (no or unknown target, incomplete ground truth, unreadable mask) is an InputError naming the file.
 */
export async function scoreExpression(
  ds: Dataset,
  video: Video,
  expression: Expression,
  run: PredictionRun,
  options: { signal?: AbortSignal } = {},
): Promise<ExpressionScore> {
  const profile = profileOf(ds);
  const missing = profile.missingGroundTruth(ds);
  if (missing !== undefined)
    throw new InputError(missing, `no ground truth for split "${ds.split}" (missing); cannot score`);
  const refused: SkippedExpression[] = [];
  const scorable = jobExpressions(profile, ds, video, [expression], refused);
  options.signal?.throwIfAborted();
  const { scored, skipped } =
    scorable.length > 0
      ? await scoreVideoJob(videoJob(profile, ds, video, scorable, run))
      : { scored: [], skipped: refused };
  if (skipped.length > 0)
    throw new InputError(skipped[0].file, `video ${video.id}, expression ${expression.expId}: ${skipped[0].reason}`);
  return scored[0];
}

/**
 * Scores a split (or some of its videos), strictly: when any expression cannot be scored it throws an UnscorableError
 * listing every one, unless `skipUnscorable`, which scores the rest and lists them in `skipped`. J, F and J&F are means
 * over the scored expressions.
 */
export async function scoreSplit(
  ds: Dataset,
  run: PredictionRun,
  options: ScoreSplitOptions = {},
): Promise<SplitScore> {
  const profile = profileOf(ds);
  const missing = profile.missingGroundTruth(ds);
  if (missing !== undefined)
    throw new InputError(missing, `no ground truth for split "${ds.split}" (missing); cannot score`);
  const videos = selectVideos(ds, options.videos);
  const skipped: SkippedExpression[] = [];
  const jobs: VideoJob[] = [];
  for (const video of videos) {
    const scorable = jobExpressions(profile, ds, video, video.expressions, skipped);
    if (scorable.length > 0)
      jobs.push({ ...videoJob(profile, ds, video, scorable, run), frameDetail: options.frameDetail });
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
  const expressions = results.flatMap((r) => r.scored);
  skipped.push(...results.flatMap((r) => r.skipped));
  if (skipped.length > 0 && !options.skipUnscorable) throw new UnscorableError(inSplitOrder(videos, skipped));
  const { J, F } = profile.splitMeans?.(expressions) ?? {
    J: mean(expressions.map((e) => e.J)),
    F: mean(expressions.map((e) => e.F)),
  };
  const score: SplitScore = { J, F, JF: (J + F) / 2, expressions };
  if (options.skipUnscorable) score.skipped = inSplitOrder(videos, skipped);
  return score;
}

/** `skipped` sorted as the split lists its videos and their expressions. */
function inSplitOrder(videos: readonly Video[], skipped: SkippedExpression[]): SkippedExpression[] {
  const rank = new Map<string, number>();
  for (const v of videos) for (const e of v.expressions) rank.set(`${v.id}\0${e.expId}`, rank.size);
  const key = (s: SkippedExpression) => rank.get(`${s.video}\0${s.expId}`) ?? 0;
  return [...skipped].sort((a, b) => key(a) - key(b));
}
