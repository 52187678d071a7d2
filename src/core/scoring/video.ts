// The per-video scoring work (run in a worker thread by pool.ts, or in-process): reads and decodes each ground-truth
// annotation once per frame, splits it into the runs of each object in one scan, and scores each expression's
// prediction against its object.

import * as path from 'node:path';
import { InputError } from '../errors';
import { isDirectory } from '../fileKind';
import { decodeForegroundMask, decodeIndexMask } from '../png';
import { predictionPath, readPredictionFile, type PredictionRun } from '../predictions';
import { readRegularFileIfExists } from '../safePath';
import type { ExpressionScore, FrameScore, SkippedExpression } from '../types';
import { RowRuns, scoreRuns } from './index';

/** One expression to score; `objId` is the pixel value of its object in the annotation PNGs. */
export interface JobExpression {
  expId: string;
  text: string;
  category?: string;
  objId: number;
  /** No meta.json lists the video's objects: an id that appears in none of its annotations is unknown. */
  checkPresence?: boolean;
}

/** Everything needed to score one video: plain data, so it can be posted to a worker. */
export interface VideoJob {
  video: string;
  frames: string[];
  /** Ground-truth annotation per frame; every listed frame must have one (strict scoring). */
  gtFiles: string[];
  run: PredictionRun;
  expressions: JobExpression[];
}

/** A video's results: the expressions scored, and those that cannot be (with the file and the reason), in job order. */
export interface VideoResult {
  scored: ExpressionScore[];
  skipped: SkippedExpression[];
}

const NAMES_SHOWN = 5;

/** Ground-truth bytes, or undefined when the frame has no annotation file. */
function readAnnotation(file: string): Promise<Uint8Array | undefined> {
  return readRegularFileIfExists(file);
}

/** An InputError is a result (that expression cannot be scored); anything else is a fault and propagates. */
function inputErrorAsValue<T>(p: Promise<T>): Promise<T | InputError> {
  return p.catch((err: unknown) => {
    if (err instanceof InputError) return err;
    throw err;
  });
}

/** Why a video's listed frames cannot serve as ground truth: its folder or some of its files are missing. */
async function missingGroundTruth(job: VideoJob, missing: string[]): Promise<{ file: string; reason: string }> {
  const folder = path.dirname(job.gtFiles[0]);
  if (missing.length === job.frames.length && !(await isDirectory(folder))) return { file: folder, reason: 'no ground-truth folder for this video' };
  const names = missing.slice(0, NAMES_SHOWN).map((f) => `${f}.png`).join(', ') + (missing.length > NAMES_SHOWN ? ', …' : '');
  return { file: folder, reason: `${missing.length} of ${job.frames.length} listed frames have no ground-truth file: ${names}` };
}

/**
 * Scores every expression of one video. An expression whose ground truth is incomplete or unreadable, whose mask is
 * unreadable, or whose object is unknown comes back in `skipped` naming the file; the others are scored.
 */
export async function scoreVideoJob(job: VideoJob): Promise<VideoResult> {
  const { video, frames, run, expressions } = job;
  const perExpression: FrameScore[][] = expressions.map(() => []);
  const failed: ({ file: string; reason: string } | undefined)[] = expressions.map(() => undefined);
  // Ground-truth runs per distinct object id, split out of each annotation in one scan.
  const ids = [...new Set(expressions.map((e) => e.objId))];
  const gtRuns = ids.map(() => new RowRuns());
  const seen = ids.map(() => false);
  const gtOf = expressions.map((e) => ids.indexOf(e.objId));
  const scratch = new RowRuns();
  const predRuns = new RowRuns();
  const missingGt: string[] = [];
  let badGt: InputError | undefined;

  // Reading frame i + 1 overlaps decoding and scoring frame i.
  const load = async (i: number) => {
    const gt = await readAnnotation(job.gtFiles[i]);
    if (gt === undefined) return undefined;
    const preds = await Promise.all(expressions.map((e, k) => (failed[k] ? undefined : inputErrorAsValue(readPredictionFile(run, video, e.expId, frames[i])))));
    return { gt, preds };
  };
  let next = frames.length > 0 ? inputErrorAsValue(load(0)) : undefined;
  for (let i = 0; i < frames.length; i++) {
    const loaded = await next!;
    next = i + 1 < frames.length ? inputErrorAsValue(load(i + 1)) : undefined;
    next?.catch(() => undefined); // its error is raised when awaited; don't report it as unhandled meanwhile
    if (loaded instanceof InputError) {
      badGt = loaded;
      break;
    }
    if (!loaded) {
      missingGt.push(frames[i]);
      continue;
    }
    if (missingGt.length > 0) continue; // the video cannot be scored; keep listing what is missing
    const gtFile = job.gtFiles[i];
    let index;
    try {
      index = decodeIndexMask(loaded.gt, gtFile);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      badGt = err;
      break;
    }
    RowRuns.splitByValue(index, ids, gtRuns, scratch);
    gtRuns.forEach((r, j) => (seen[j] ||= r.area > 0));
    expressions.forEach((e, k) => {
      const bytes = loaded.preds[k];
      if (failed[k]) return;
      const predFile = predictionPath(run, video, e.expId, frames[i]);
      try {
        if (bytes instanceof InputError) throw bytes;
        // A missing prediction is an empty mask of the ground truth's size.
        if (bytes === undefined) predRuns.reset(index.width, index.height).finish();
        else predRuns.compute(decodeForegroundMask(bytes, predFile));
        const { J, F } = scoreRuns(gtRuns[gtOf[k]], predRuns, gtFile, predFile);
        perExpression[k].push({ frame: frames[i], J, F, missing: bytes === undefined });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        failed[k] = { file: err.file, reason: err.problem };
      }
    });
  }
  await next?.catch(() => undefined); // after a break: let the read in flight settle before returning

  const videoProblem = badGt ? { file: badGt.file, reason: badGt.problem } : missingGt.length > 0 ? await missingGroundTruth(job, missingGt) : undefined;
  const result: VideoResult = { scored: [], skipped: [] };
  expressions.forEach((e, k) => {
    let problem = videoProblem ?? failed[k];
    if (!problem && e.checkPresence && !seen[gtOf[k]]) {
      const folder = path.dirname(job.gtFiles[0]);
      problem = { file: folder, reason: `obj_id ${e.objId} appears in none of the video's ${frames.length} ground-truth files (no meta.json lists its objects): not an object of this video` };
    }
    if (problem) {
      result.skipped.push({ video, expId: e.expId, ...problem });
      return;
    }
    const scored = perExpression[k];
    const J = mean(scored.map((f) => f.J));
    const F = mean(scored.map((f) => f.F));
    const score: ExpressionScore = { video, expId: e.expId, expression: e.text, J, F, JF: (J + F) / 2, frames: scored };
    if (e.category !== undefined) score.category = e.category;
    result.scored.push(score);
  });
  return result;
}

/** Arithmetic mean; 0 for no values (callers treat expressions without scored frames separately). */
export function mean(values: number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}
