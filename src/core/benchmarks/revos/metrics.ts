// ReVOS metrics and aggregation as cilinyan/VISA `tools/eval_revos.py` and `tools/metrics.py` define them.
//
// Per expression, over every frame of the video (not only annotated ones):
//   - ground truth = the sum of the expression's anno_id masks as uint8 (overlaps give 2), empty where all are null;
//   - J and F: the DAVIS 2017 definitions on (ground truth ≠ 0, prediction ≠ 0), per frame, then the mean;
//   - A (accuracy): per frame the fraction of pixels where the ground-truth VALUE equals the prediction VALUE as
//     cv2.IMREAD_GRAYSCALE reads it — so a 0/255 prediction matches only background pixels; then the mean;
//   - R (robustness): per frame max(1 − neg / (pos + 1e-6), 0) with neg = Σ uint8((1 − gt) · pred) in uint8
//     arithmetic (wrapping mod 256) and pos = the pixel count of the video's foreground mask
//     (`mask_dict_foreground.json`), then the mean;
//   - a missing video folder scores J = F = A = R = 0; so does any error while reading the expression (a missing or
//     unreadable frame, a size that differs from the first predicted frame) — the script catches it silently.
// Per split: each expression's J, F, J&F, A, R × 100 rounded to 2 decimals (Python's round), then means per type_id
// (0 referring, 1 reasoning); "overall" = the average of the referring and reasoning means. type_id 2 (no target)
// is scored but enters none of the three.

import { scorePair } from '../../scoring';
import type { ExpressionScore } from '../../types';
import { numpyMean } from '../davis17/numpyStats';

/** A frame as the script holds it: one uint8 value per pixel. */
export interface ValueMask {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface RevosExpressionScore {
  video: string;
  expId: string;
  typeId: number;
  J: number;
  F: number;
  A: number;
  R: number;
}

/** A of one frame: the fraction of pixels whose values are equal. */
export function frameAccuracy(gt: ValueMask, pred: ValueMask): number {
  let equal = 0;
  for (let i = 0; i < gt.data.length; i++) if (gt.data[i] === pred.data[i]) equal++;
  return equal / gt.data.length;
}

/** R of one frame, with the script's uint8 arithmetic. */
export function frameRobustness(gt: ValueMask, pred: ValueMask, foreground: ValueMask): number {
  let neg = 0;
  let pos = 0;
  for (let i = 0; i < gt.data.length; i++) {
    neg += (((1 - gt.data[i]) & 0xff) * pred.data[i]) & 0xff;
    pos += foreground.data[i];
  }
  return Math.max(1 - neg / (pos + 1e-6), 0);
}

/** J, F, A and R of one frame (J and F on nonzero pixels, A and R on the values). */
export function scoreRevosFrame(
  gt: ValueMask,
  pred: ValueMask,
  foreground: ValueMask,
): { J: number; F: number; A: number; R: number } {
  const { J, F } = scorePair(gt, pred);
  return { J, F, A: frameAccuracy(gt, pred), R: frameRobustness(gt, pred, foreground) };
}

/** Means over frames of per-frame values, as np.mean does. */
export function expressionMeans(frames: readonly { J: number; F: number; A: number; R: number }[]): {
  J: number;
  F: number;
  A: number;
  R: number;
} {
  const of = (pick: (f: { J: number; F: number; A: number; R: number }) => number) => numpyMean(frames.map(pick));
  return { J: of((f) => f.J), F: of((f) => f.F), A: of((f) => f.A), R: of((f) => f.R) };
}

/** Python's round(x, 2): the nearest two-decimal number, exact halves to even. */
export function pythonRound2(x: number): number {
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 !== 0) {
    // x = q/8 with q odd: exactly halfway between two hundredths.
    const lo = Math.floor(x * 100);
    return (lo % 2 === 0 ? lo : lo + 1) / 100;
  }
  return Number(x.toFixed(2));
}

export interface RevosGroup {
  J: number;
  F: number;
  A: number;
  R: number;
  JF: number;
  expressions: number;
}

export interface RevosSummary {
  referring: RevosGroup;
  reason: RevosGroup;
  overall: Omit<RevosGroup, 'expressions'>;
  /** type_id 2: reported here, never part of overall. */
  noTarget: RevosGroup;
}

/** The percentages the script tabulates per expression (rounded as it rounds them). */
export function roundedPercentages(e: RevosExpressionScore): {
  J: number;
  F: number;
  JF: number;
  A: number;
  R: number;
} {
  return {
    J: pythonRound2(100 * e.J),
    F: pythonRound2(100 * e.F),
    JF: pythonRound2((100 * (e.J + e.F)) / 2),
    A: pythonRound2(100 * e.A),
    R: pythonRound2(100 * e.R),
  };
}

function group(expressions: readonly RevosExpressionScore[], typeId: number): RevosGroup {
  const rows = expressions.filter((e) => e.typeId === typeId).map(roundedPercentages);
  const of = (pick: (r: ReturnType<typeof roundedPercentages>) => number) => numpyMean(rows.map(pick));
  const J = of((r) => r.J);
  const F = of((r) => r.F);
  return { J, F, A: of((r) => r.A), R: of((r) => r.R), JF: (J + F) / 2, expressions: rows.length };
}

/** The script's results: referring, reason, overall (in percent), plus the no-target group it leaves out. */
export function summarizeRevos(expressions: readonly RevosExpressionScore[]): RevosSummary {
  const referring = group(expressions, 0);
  const reason = group(expressions, 1);
  const half = (a: number, b: number) => (a + b) / 2;
  return {
    referring,
    reason,
    overall: {
      J: half(referring.J, reason.J),
      F: half(referring.F, reason.F),
      A: half(referring.A, reason.A),
      R: half(referring.R, reason.R),
      JF: half(referring.JF, reason.JF),
    },
    noTarget: group(expressions, 2),
  };
}

/** summarizeRevos of the split scorer's expressions (ReVOS ones carry typeId, A and R). */
export function summarizeRevosScores(expressions: readonly ExpressionScore[]): RevosSummary {
  return summarizeRevos(
    expressions.map((e) => ({
      video: e.video,
      expId: e.expId,
      typeId: e.typeId ?? -1,
      J: e.J,
      F: e.F,
      A: e.A ?? 0,
      R: e.R ?? 0,
    })),
  );
}
