// Scores prediction runs against a split's ground truth: per expression (J, F, J&F over its listed frames, each of
// which must have an annotation) and per split (means over expressions). Ground truth of an expression = annotation
// PNG == its obj_id; a missing prediction file counts as an empty mask (as the official scripts do). The CPU work runs on worker threads (scoring/pool.ts).

import * as path from 'node:path';
import { annotationPath, metaExpressionsPath, selectVideos, type Dataset } from './dataset';
import { InputError, UnscorableError } from './errors';
import type { PredictionRun } from './predictions';
import { runVideoJobs } from './scoring/pool';
import { mean, scoreVideoJob, type VideoJob } from './scoring/video';
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
}

/** Why an expression's obj_id cannot name its ground truth, or undefined when it can (an integer 0–255). */
function objIdProblem(video: Video, e: Expression): string | undefined {
  if (e.objId === undefined) return 'no obj_id; every expression of a split with ground truth needs one';
  const id = Number(e.objId);
  if (e.objId.trim() === '' || !Number.isInteger(id) || id < 0 || id > 255) {
    return `obj_id "${e.objId}" is not an object id (an integer 0–255 as in the annotation PNGs)`;
  }
  const known = Object.keys(video.objects);
  if (known.length > 0 && !known.includes(e.objId)) return `obj_id "${e.objId}" is not an object of this video in meta.json (objects: ${known.join(', ')})`;
  return undefined;
}

function hasObjId(e: Expression): e is Expression & { objId: string } {
  return e.objId !== undefined;
}

function videoJob(ds: Dataset, video: Video, expressions: (Expression & { objId: string })[], run: PredictionRun): VideoJob {
  // Without meta.json's object list, an obj_id is known when its pixel value appears in the video's annotations.
  const checkPresence = Object.keys(video.objects).length === 0;
  return {
    video: video.id,
    frames: video.frames,
    gtFiles: video.frames.map((f) => annotationPath(ds, video.id, f)),
    run: { name: run.name, dir: run.dir },
    expressions: expressions.map((e) => {
      const job = { expId: e.expId, text: e.text, objId: Number(e.objId), ...(checkPresence ? { checkPresence } : {}) };
      return e.category === undefined ? job : { ...job, category: e.category };
    }),
  };
}

/**
 * Scores one expression in the calling thread (for a viewer that needs one clip now). An expression that cannot be
 * scored (no or unknown obj_id, incomplete ground truth, unreadable mask) is an InputError naming the file.
 */
export async function scoreExpression(
  ds: Dataset,
  video: Video,
  expression: Expression,
  run: PredictionRun,
  options: { signal?: AbortSignal } = {},
): Promise<ExpressionScore> {
  if (!hasObjId(expression)) {
    throw new InputError(metaExpressionsPath(ds), `video ${video.id}, expression ${expression.expId} has no obj_id; only splits with object ids can be scored`);
  }
  const problem = objIdProblem(video, expression);
  if (problem) throw new InputError(metaExpressionsPath(ds), `video ${video.id}, expression ${expression.expId}: ${problem}`);
  options.signal?.throwIfAborted();
  const { scored, skipped } = await scoreVideoJob(videoJob(ds, video, [expression], run));
  if (skipped.length > 0) throw new InputError(skipped[0].file, `video ${video.id}, expression ${expression.expId}: ${skipped[0].reason}`);
  return scored[0];
}

/**
 * Scores a split (or some of its videos), strictly: when any expression cannot be scored (no or unknown obj_id, a
 * missing ground-truth folder or file, an unreadable mask) it throws an UnscorableError listing every one, unless
 * `skipUnscorable`, which scores the rest and lists them in `skipped`. J, F and J&F are means over scored expressions.
 */
export async function scoreSplit(ds: Dataset, run: PredictionRun, options: ScoreSplitOptions = {}): Promise<SplitScore> {
  if (!ds.hasAnnotations) {
    throw new InputError(path.join(ds.root, ds.split, 'Annotations'), `no ground truth for split "${ds.split}" (folder missing); cannot score`);
  }
  const videos = selectVideos(ds, options.videos);
  const metaFile = metaExpressionsPath(ds);
  const skipped: SkippedExpression[] = [];
  const jobs: VideoJob[] = [];
  for (const video of videos) {
    const scorable = video.expressions.filter((e): e is Expression & { objId: string } => {
      const problem = objIdProblem(video, e);
      if (problem) skipped.push({ video: video.id, expId: e.expId, file: metaFile, reason: problem });
      return problem === undefined;
    });
    if (scorable.length > 0) jobs.push(videoJob(ds, video, scorable, run));
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
  const J = mean(expressions.map((e) => e.J));
  const F = mean(expressions.map((e) => e.F));
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
