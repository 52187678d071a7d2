// Scores prediction runs against a split's ground truth: per expression (J, F, J&F over its annotated frames) and
// per split (means over the scored expressions). Ground truth of an expression = annotation PNG == its obj_id;
// a missing prediction file counts as an empty mask. The CPU work runs on worker threads (scoring/pool.ts).

import * as path from 'node:path';
import { annotationPath, metaExpressionsPath, selectVideos, type Dataset } from './dataset';
import { InputError } from './errors';
import type { PredictionRun } from './predictions';
import { runVideoJobs } from './scoring/pool';
import { mean, scoreVideoJob, type VideoJob } from './scoring/video';
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

/** The annotation pixel value of an expression's object; obj_id must be an integer id 0–255. */
export function objectValue(ds: Dataset, video: Video, e: Expression & { objId: string }): number {
  const id = Number(e.objId);
  if (e.objId.trim() === '' || !Number.isInteger(id) || id < 0 || id > 255) {
    throw new InputError(metaExpressionsPath(ds), `video ${video.id}, expression ${e.expId}: obj_id "${e.objId}" is not an object id (an integer 0–255 as in the annotation PNGs)`);
  }
  return id;
}

function hasObjId(e: Expression): e is Expression & { objId: string } {
  return e.objId !== undefined;
}

function videoJob(ds: Dataset, video: Video, expressions: (Expression & { objId: string })[], run: PredictionRun): VideoJob {
  return {
    video: video.id,
    frames: video.frames,
    gtFiles: video.frames.map((f) => annotationPath(ds, video.id, f)),
    run: { name: run.name, dir: run.dir },
    expressions: expressions.map((e) => {
      const job = { expId: e.expId, text: e.text, objId: objectValue(ds, video, e) };
      return e.category === undefined ? job : { ...job, category: e.category };
    }),
  };
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
  if (!hasObjId(expression)) {
    throw new InputError(metaExpressionsPath(ds), `video ${video.id}, expression ${expression.expId} has no obj_id; only splits with object ids can be scored`);
  }
  options.signal?.throwIfAborted();
  const [score] = await scoreVideoJob(videoJob(ds, video, [expression], run));
  return score;
}

/**
 * Scores a split (or some of its videos). Expressions without obj_id, and expressions with no annotated frame, are
 * skipped and counted in `unscored`; J, F and J&F are means over the scored expressions (0 when there are none).
 */
export async function scoreSplit(ds: Dataset, run: PredictionRun, options: ScoreSplitOptions = {}): Promise<SplitScore> {
  if (!ds.hasAnnotations) {
    throw new InputError(path.join(ds.root, ds.split, 'Annotations'), `no ground truth for split "${ds.split}" (folder missing); cannot score`);
  }
  const videos = selectVideos(ds, options.videos);
  let unscored = 0;
  const jobs: VideoJob[] = [];
  for (const video of videos) {
    const scorable = video.expressions.filter(hasObjId);
    unscored += video.expressions.length - scorable.length;
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
  const expressions = results.flat().filter((e) => e.frames.length > 0);
  unscored += total - expressions.length;
  const J = mean(expressions.map((e) => e.J));
  const F = mean(expressions.map((e) => e.F));
  return { J, F, JF: (J + F) / 2, expressions, unscored };
}
