// Ref-DAVIS17 as ReferFormer evaluates it (wjn922/ReferFormer: tools/data/convert_davis_to_ytvos.py,
// inference_davis.py, scripts/dist_test_davis.sh → eval_davis.py → davis2017-evaluation, task unsupervised).
//
// The converted dataset has the Ref-YouTube-VOS layout; valid/Annotations holds DAVIS's Annotations_unsupervised.
// Expressions of object k (0-based, in obj_id order) are numbered 4·k + a, where a is the annotator run:
//   0 annotator 1, first-frame expression · 1 annotator 1, full-video · 2 annotator 2, first-frame · 3 annotator 2, full-video.
// Mode "annotator runs" (the published number): `<pred>/anno_<a>/<video>/<frame>.png` holds, per run a, all objects of
// a video in one indexed PNG; each run is scored with the unsupervised protocol and the reported J, F and J&F are the
// means of the four runs. Mode "per expression": binary masks `Annotations/<video>/<exp_id>/<frame>.png` scored like
// Ref-YouTube-VOS (mean over frames, then over expressions); not what papers report, but it shows each expression.

import * as path from 'node:path';
import { isDirectory } from '../../fileKind';
import { InputError } from '../../errors';
import { numpyMean } from './numpyStats';
import { scoreSequencePairs } from './runScores';
import { matchSequence, summarize, type UnsupervisedSummary } from './unsupervised';

export const ANNOTATOR_RUNS = [0, 1, 2, 3] as const;

export const RUN_NAMES = [
  'annotator 1, first-frame',
  'annotator 1, full-video',
  'annotator 2, first-frame',
  'annotator 2, full-video',
];

/** The annotator run (0–3) of an expression id of the converted dataset. */
export function annotatorRunOf(expId: string): number {
  const n = Number(expId);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`Ref-DAVIS17 expression ids are whole numbers, got ${JSON.stringify(expId)}`);
  return n % 4;
}

/** The expression id of object k (0-based) in annotator run a. */
export function expressionIdOf(objectIndex: number, run: number): string {
  return String(4 * objectIndex + run);
}

/** True for first-frame expressions (runs 0 and 2), false for full-video ones. */
export function isFirstFrameExpression(expId: string): boolean {
  return annotatorRunOf(expId) % 2 === 0;
}

/** The subsets papers report of an expression id (4·k + a): first-frame / full-video, and the annotator run. */
export function refDavisSubsets(expId: string): string[] {
  return [
    isFirstFrameExpression(expId) ? 'first-frame expressions' : 'full-video expressions',
    RUN_NAMES[annotatorRunOf(expId)],
  ];
}

/** True when `predDir` holds anno_0 … anno_3 (the annotator-run layout). */
export async function hasAnnotatorRuns(predDir: string): Promise<boolean> {
  for (const a of ANNOTATOR_RUNS) if (!(await isDirectory(path.join(predDir, `anno_${a}`)))) return false;
  return true;
}

/** One unsupervised run: every listed sequence of `runDir` against `gtDir`. */
export async function evaluateUnsupervisedRun(
  gtDir: string,
  runDir: string,
  sequences: readonly string[],
  signal?: AbortSignal,
): Promise<UnsupervisedSummary> {
  const objects = [];
  for (const sequence of sequences) {
    signal?.throwIfAborted();
    objects.push(...matchSequence(await scoreSequencePairs(gtDir, runDir, sequence)));
  }
  return summarize(objects);
}

export interface RefDavisScore {
  mode: 'annotator-runs';
  /** Means of the four runs' J mean, F mean and J&F. */
  J: number;
  F: number;
  JF: number;
  runs: { run: number; name: string; summary: UnsupervisedSummary }[];
}

/** The Ref-DAVIS17 number: the four annotator runs of `predDir` scored and averaged. */
export async function evaluateRefDavis(
  gtDir: string,
  predDir: string,
  sequences: readonly string[],
  signal?: AbortSignal,
): Promise<RefDavisScore> {
  if (!(await hasAnnotatorRuns(predDir)))
    throw new InputError(predDir, 'expected folders anno_0, anno_1, anno_2 and anno_3 (one per annotator run)');
  const runs: RefDavisScore['runs'] = [];
  for (const a of ANNOTATOR_RUNS) {
    runs.push({
      run: a,
      name: RUN_NAMES[a],
      summary: await evaluateUnsupervisedRun(gtDir, path.join(predDir, `anno_${a}`), sequences, signal),
    });
  }
  const avg = (pick: (s: UnsupervisedSummary) => number) => numpyMean(runs.map((r) => pick(r.summary)));
  return { mode: 'annotator-runs', J: avg((s) => s.J.mean), F: avg((s) => s.F.mean), JF: avg((s) => s.JF), runs };
}
