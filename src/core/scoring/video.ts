// The per-video scoring work (run in a worker thread by pool.ts, or in-process): reads each frame's ground truth
// once (groundTruth.ts), and scores each expression's prediction against its targets' truth, with the aggregation
// rules of the dataset's benchmark profile. Strict: an expression whose ground truth is missing or unreadable, whose
// mask is unreadable, or whose object is unknown comes back in `skipped` with the file and the reason.

import * as path from 'node:path';
import type { GroundTruthSource, ScoringRules } from '../benchmarks/profile';
import { scoreRevosVideoJob } from '../benchmarks/revos/scoreVideo';
import { InputError } from '../errors';
import { isDirectory } from '../fileKind';
import { decodeForegroundMask } from '../png';
import { predictionPath, predictionsDir, type PredictionRun } from '../predictions';
import type { ExpressionScore, FrameScore, SkippedExpression } from '../types';
import { openGroundTruth, type GroundTruthReader } from './groundTruth';
import { JobFiles } from './jobFiles';
import { RowRuns, scoreRuns } from './index';

/** One expression to score; `targets` are what it refers to in the ground truth (pixel values, anno_ids). */
export interface JobExpression {
  expId: string;
  text: string;
  category?: string;
  /** ReVOS: type_id. */
  typeId?: number;
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
  /** Record on each frame whether its truth is empty (`FrameScore.gtEmpty`, for the variant table). */
  frameDetail?: boolean;
}

/** A video's results: the expressions scored, and those that cannot be (with the file and the reason), in job order. */
export interface VideoResult {
  scored: ExpressionScore[];
  skipped: SkippedExpression[];
}

interface Problem {
  file: string;
  reason: string;
}

const NAMES_SHOWN = 5;

function expressionScore(video: string, e: JobExpression, frames: FrameScore[]): ExpressionScore {
  const J = mean(frames.map((f) => f.J));
  const F = mean(frames.map((f) => f.F));
  const score: ExpressionScore = { video, expId: e.expId, expression: e.text, J, F, JF: (J + F) / 2, frames };
  if (e.category !== undefined) score.category = e.category;
  return score;
}

/** An InputError is a result (that expression or video cannot be scored); anything else is a fault and propagates. */
function asProblem(err: unknown): Problem {
  if (err instanceof InputError) return { file: err.file, reason: err.problem };
  throw err;
}

function inputErrorAsValue<T>(p: Promise<T>): Promise<T | InputError> {
  return p.catch((err: unknown) => {
    if (err instanceof InputError) return err;
    throw err;
  });
}

/** Why a video's listed frames cannot serve as ground truth: its folder or some of its annotation files are missing. */
async function missingGroundTruth(source: GroundTruthSource, frames: string[], missing: string[]): Promise<Problem> {
  const folder = source.kind === 'index-png' ? path.dirname(source.files[0]) : source.maskDict.file;
  if (missing.length === frames.length && !(await isDirectory(folder)))
    return { file: folder, reason: 'no ground-truth folder for this video' };
  const names =
    missing
      .slice(0, NAMES_SHOWN)
      .map((f) => `${f}.png`)
      .join(', ') + (missing.length > NAMES_SHOWN ? ', …' : '');
  return {
    file: folder,
    reason: `${missing.length} of ${frames.length} listed frames have no ground-truth file: ${names}`,
  };
}

/** Scores every expression of one video; scored and skipped expressions each come back in the job's order. */
export async function scoreVideoJob(job: VideoJob): Promise<VideoResult> {
  if (job.rules.metrics === 'revos') return scoreRevosVideoJob(job);
  const { video, frames, run, expressions, rules } = job;
  if (rules.missingVideo === 'zero' && !(await isDirectory(path.join(predictionsDir(run), video)))) {
    const zero = expressions.map((e) =>
      expressionScore(
        video,
        e,
        frames.map((frame) => ({ frame, J: 0, F: 0, missing: true })),
      ),
    );
    return { scored: zero, skipped: [] };
  }
  let gt: GroundTruthReader;
  try {
    gt = await openGroundTruth(
      job.gt,
      frames,
      expressions.map((e) => e.targets),
    );
  } catch (err) {
    const problem = asProblem(err);
    return { scored: [], skipped: expressions.map((e) => ({ video, expId: e.expId, ...problem })) };
  }
  const perExpression: FrameScore[][] = expressions.map(() => []);
  const failed: (Problem | undefined)[] = expressions.map(() => undefined);
  const predictionFiles = new JobFiles(run.dir);
  const predRuns = new RowRuns();
  const emptyRuns = new RowRuns();
  const missingGt: string[] = [];
  let badGt: Problem | undefined;

  // Reading frame i + 1 overlaps decoding and scoring frame i.
  const load = async (i: number) => {
    const truth = await inputErrorAsValue(gt.load(i));
    if (truth === undefined || truth instanceof InputError) return truth;
    const preds = await Promise.all(
      expressions.map((e, k) =>
        failed[k]
          ? Promise.resolve(undefined)
          : inputErrorAsValue(predictionFiles.read(predictionPath(run, video, e.expId, frames[i]))),
      ),
    );
    return { truth, preds };
  };
  let next = frames.length > 0 ? load(0) : undefined;
  for (let i = 0; i < frames.length; i++) {
    const loaded = await next!;
    next = i + 1 < frames.length ? load(i + 1) : undefined;
    next?.catch(() => undefined); // its error is raised when awaited; don't report it as unhandled meanwhile
    if (loaded instanceof InputError) {
      badGt = asProblem(loaded);
      break;
    }
    if (!loaded) {
      missingGt.push(frames[i]);
      continue;
    }
    if (missingGt.length > 0) continue; // the video cannot be scored; keep listing what is missing
    let truths;
    try {
      truths = gt.decode(i, loaded.truth);
    } catch (err) {
      badGt = asProblem(err);
      break;
    }
    expressions.forEach((e, k) => {
      if (failed[k]) return;
      const predFile = predictionPath(run, video, e.expId, frames[i]);
      const bytes = loaded.preds[k];
      try {
        if (bytes instanceof InputError) throw bytes;
        let truth = truths[k];
        if (bytes !== undefined) predRuns.compute(decodeForegroundMask(bytes, predFile));
        // An empty truth of unknown size takes the prediction's; a missing prediction is an empty mask of the truth's.
        if (truth === null)
          truth = emptyRuns
            .reset(bytes === undefined ? 1 : predRuns.width, bytes === undefined ? 1 : predRuns.height)
            .finish();
        if (bytes === undefined) predRuns.reset(truth.width, truth.height).finish();
        const { J, F } = scoreRuns(truth, predRuns, gt.describe(i, k), predFile);
        const frameScore: FrameScore = { frame: frames[i], J, F, missing: bytes === undefined };
        if (job.frameDetail) frameScore.gtEmpty = truth.area === 0;
        perExpression[k].push(frameScore);
      } catch (err) {
        failed[k] = asProblem(err);
      }
    });
  }
  await next?.catch(() => undefined); // after a break: let the read in flight settle before returning

  const videoProblem =
    badGt ?? (missingGt.length > 0 ? await missingGroundTruth(job.gt, frames, missingGt) : undefined);
  const result: VideoResult = { scored: [], skipped: [] };
  expressions.forEach((e, k) => {
    const unknown = gt.unknownTarget(k);
    const problem =
      videoProblem ??
      failed[k] ??
      (unknown === undefined ? undefined : { file: path.dirname(gt.describe(0, k)), reason: unknown });
    if (problem) result.skipped.push({ video, expId: e.expId, ...problem });
    else result.scored.push(expressionScore(video, e, perExpression[k]));
  });
  return result;
}

/** Arithmetic mean; 0 for no values (callers treat expressions without scored frames separately). */
export function mean(values: number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}
