// The variant table of one prediction run on a split, for `rvos score --variants` and the Failures panel: where its
// per-frame J and F come from depends on the benchmark. Ref-YouTube-VOS layouts (Ref-DAVIS17 per expression
// included) re-read every listed frame (collect.ts: unannotated frames count in some variants); ReVOS scores the split
// with its own rules and keeps each frame's J, F and whether its truth is empty, and its official row is the script's
// overall number (the mean of the referring and reasoning means).

import type { Dataset } from '../../dataset';
import { InputError } from '../../errors';
import { scoreSplit } from '../../evaluate';
import type { PredictionRun } from '../../predictions';
import type { ExpressionScore, SplitScore } from '../../types';
import { summarizeRevosScores } from '../revos/metrics';
import { collectExpressionFrames } from './collect';
import { variantTable, type ExpressionFrames, type VariantRow } from './variants';

export interface RunVariantOptions {
  videos?: string[];
  signal?: AbortSignal;
  /** Subset names of an expression (Ref-DAVIS17: first-frame / full-video, annotator); default: its category. */
  tagsOf?: (expId: string) => string[];
  /** As scoreSplit's: leave out (and list in `score.skipped`) what cannot be scored instead of refusing the run. */
  skipUnscorable?: boolean;
}

/** Frame records of scored ReVOS expressions: every frame counts; the subsets are referring / reasoning / no-target. */
export function revosExpressionFrames(ds: Dataset, expressions: readonly ExpressionScore[]): ExpressionFrames[] {
  return expressions.map((e) => {
    const annoIds = ds.videoById.get(e.video)?.expressions.find((x) => x.expId === e.expId)?.annoIds ?? [];
    return {
      video: e.video,
      expId: e.expId,
      objectKey: `${e.video}/${annoIds.join('+')}`,
      targets: annoIds.length,
      tags: e.category === undefined ? [] : [e.category],
      frames: e.frames.map((f) => ({ frame: f.frame, annotated: true, gtEmpty: f.gtEmpty ?? false, J: f.J, F: f.F })),
    };
  });
}

/** The variant rows of `run` on `ds` (MeViS has no variant table yet: an InputError says so). */
export async function runVariantTable(
  ds: Dataset,
  run: PredictionRun,
  options: RunVariantOptions = {},
): Promise<{ rows: VariantRow[]; expressions: ExpressionFrames[]; score: SplitScore }> {
  const { videos, signal, skipUnscorable } = options;
  // Strict as every score: the official row is scoreSplit's number over the expressions it scores.
  const score = await scoreSplit(ds, run, { videos, signal, skipUnscorable });
  if (ds.benchmark === 'revos') {
    const expressions = revosExpressionFrames(ds, score.expressions);
    const overall = summarizeRevosScores(score.expressions).overall;
    const counted = score.expressions.filter((e) => e.typeId === 0 || e.typeId === 1).length;
    return {
      rows: variantTable(expressions, 'all', { J: overall.J / 100, F: overall.F / 100, expressions: counted }),
      expressions,
      score,
    };
  }
  if (ds.benchmark === 'mevis')
    throw new InputError(ds.root, 'the variant table covers Ref-YouTube-VOS, Ref-DAVIS17 and ReVOS splits, not MeViS');
  const scored = new Set(score.expressions.map((e) => `${e.video}\0${e.expId}`));
  const collected = await collectExpressionFrames(ds, run, options);
  const expressions = collected.filter((e) => scored.has(`${e.video}\0${e.expId}`));
  return { rows: variantTable(expressions, 'annotated'), expressions, score };
}
