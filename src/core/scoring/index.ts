// Exact DAVIS 2017 J (region IoU) and F (boundary F-measure) for binary masks (nonzero = foreground).
// Equal to the reference evaluation (numpy/OpenCV) to the last bit; see runs.ts and boundary.ts for how they avoid
// per-pixel work.

import { InputError } from '../errors';
import type { Mask } from '../types';
import { boundaryFromRuns } from './boundary';
import { regionFromRuns } from './region';
import { RowRuns } from './runs';

export { boundaryTolerance } from './boundary';
export { RowRuns } from './runs';

/** The DAVIS 2017 boundary tolerance: 0.8 % of the image diagonal. */
export const DEFAULT_BOUND_TH = 0.008;

// Scratch reused across calls (one set per thread): scoring runs thousands of pairs and must not allocate per pair.
const gtRuns = new RowRuns();
const predRuns = new RowRuns();

function checkSameSize(
  gt: { width: number; height: number },
  pred: { width: number; height: number },
  gtFile: string,
  predFile: string,
): void {
  if (gt.width !== pred.width || gt.height !== pred.height) {
    throw new InputError(
      predFile,
      `mask is ${pred.width}×${pred.height} but ground truth ${gtFile} is ${gt.width}×${gt.height}`,
    );
  }
}

/** Region similarity J: IoU of the foregrounds, 1 when both masks are empty. */
export function regionJ(gt: Mask, pred: Mask): number {
  checkSameSize(gt, pred, 'ground truth', 'prediction');
  return regionFromRuns(gtRuns.compute(gt), predRuns.compute(pred));
}

/** Boundary F-measure with a tolerance of `boundTh` × image diagonal (or `boundTh` pixels when ≥ 1). */
export function boundaryF(gt: Mask, pred: Mask, boundTh = DEFAULT_BOUND_TH): number {
  checkSameSize(gt, pred, 'ground truth', 'prediction');
  return boundaryFromRuns(gtRuns.compute(gt), predRuns.compute(pred), boundTh);
}

/** J and F of one frame; a size mismatch is an InputError on the prediction file that names the ground truth. */
export function scorePair(
  gt: Mask,
  pred: Mask,
  gtFile = 'ground truth',
  predFile = 'prediction',
): { J: number; F: number } {
  checkSameSize(gt, pred, gtFile, predFile);
  return scoreRuns(gtRuns.compute(gt), predRuns.compute(pred), gtFile, predFile);
}

/** scorePair on run-length masks (when the caller already has runs, e.g. several objects of one annotation). */
export function scoreRuns(
  gt: RowRuns,
  pred: RowRuns,
  gtFile = 'ground truth',
  predFile = 'prediction',
): { J: number; F: number } {
  checkSameSize(gt, pred, gtFile, predFile);
  return { J: regionFromRuns(gt, pred), F: boundaryFromRuns(gt, pred, DEFAULT_BOUND_TH) };
}
