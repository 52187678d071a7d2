// The per-video scoring work (run in a worker thread by pool.ts, or in-process): reads and decodes each ground-truth
// annotation once per frame, splits it into the runs of each object in one scan, and scores each expression's
// prediction against its object.

import { readFile } from 'node:fs/promises';
import { InputError } from '../errors';
import { describeFsError } from '../json';
import { decodeForegroundMask, decodeIndexMask } from '../png';
import { predictionPath, readPredictionFile, type PredictionRun } from '../predictions';
import type { ExpressionScore, FrameScore } from '../types';
import { RowRuns, scoreRuns } from './index';

/** One expression to score; `objId` is the pixel value of its object in the annotation PNGs. */
export interface JobExpression {
  expId: string;
  text: string;
  category?: string;
  objId: number;
}

/** Everything needed to score one video: plain data, so it can be posted to a worker. */
export interface VideoJob {
  video: string;
  frames: string[];
  /** Ground-truth annotation per frame; a frame whose file does not exist is not scored. */
  gtFiles: string[];
  run: PredictionRun;
  expressions: JobExpression[];
}

/** Ground-truth bytes, or undefined when the frame has no annotation file. */
async function readAnnotation(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(file, describeFsError(err));
  }
}

/** Scores every expression of one video; expressions come back in the job's order. */
export async function scoreVideoJob(job: VideoJob): Promise<ExpressionScore[]> {
  const { video, frames, run, expressions } = job;
  const perExpression: FrameScore[][] = expressions.map(() => []);
  // Ground-truth runs per distinct object id, split out of each annotation in one scan.
  const ids = [...new Set(expressions.map((e) => e.objId))];
  const gtRuns = ids.map(() => new RowRuns());
  const gtOf = expressions.map((e) => gtRuns[ids.indexOf(e.objId)]);
  const scratch = new RowRuns();
  const predRuns = new RowRuns();

  // Reading frame i + 1 overlaps decoding and scoring frame i.
  const load = async (i: number) => {
    const gt = await readAnnotation(job.gtFiles[i]);
    if (gt === undefined) return undefined;
    const preds = await Promise.all(expressions.map((e) => readPredictionFile(run, video, e.expId, frames[i])));
    return { gt, preds };
  };
  let next = frames.length > 0 ? load(0) : undefined;
  for (let i = 0; i < frames.length; i++) {
    const loaded = await next!;
    next = i + 1 < frames.length ? load(i + 1) : undefined;
    next?.catch(() => undefined); // its error is raised when awaited; don't report it as unhandled meanwhile
    if (!loaded) continue;
    const gtFile = job.gtFiles[i];
    const index = decodeIndexMask(loaded.gt, gtFile);
    RowRuns.splitByValue(index, ids, gtRuns, scratch);
    expressions.forEach((e, k) => {
      const predFile = predictionPath(run, video, e.expId, frames[i]);
      const bytes = loaded.preds[k];
      // A missing prediction is an empty mask of the ground truth's size.
      if (bytes === undefined) predRuns.reset(index.width, index.height).finish();
      else predRuns.compute(decodeForegroundMask(bytes, predFile));
      const { J, F } = scoreRuns(gtOf[k], predRuns, gtFile, predFile);
      perExpression[k].push({ frame: frames[i], J, F, missing: bytes === undefined });
    });
  }
  return expressions.map((e, k) => {
    const scored = perExpression[k];
    const J = mean(scored.map((f) => f.J));
    const F = mean(scored.map((f) => f.F));
    const score: ExpressionScore = { video, expId: e.expId, expression: e.text, J, F, JF: (J + F) / 2, frames: scored };
    if (e.category !== undefined) score.category = e.category;
    return score;
  });
}

/** Arithmetic mean; 0 for no values (callers treat expressions without scored frames separately). */
export function mean(values: number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}
