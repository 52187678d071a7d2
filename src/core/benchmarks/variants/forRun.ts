// The variant table of one prediction run on a split, for `rvos score --variants` and the Failures panel. The split is
// scored once, strictly, as every score is (scoreSplit, each frame marked when its truth is empty); the variants
// re-aggregate those per-frame J and F. The official row is scoreSplit's number: for ReVOS the script's overall (the
// mean of the referring and reasoning means), counted over its referring and reasoning expressions.

import type { Dataset } from '../../dataset';
import { InputError } from '../../errors';
import { scoreSplit } from '../../evaluate';
import type { PredictionRun } from '../../predictions';
import type { ExpressionScore, SplitScore } from '../../types';
import { variantTable, type ExpressionFrames, type VariantRow } from './variants';

export interface RunVariantOptions {
  videos?: string[];
  signal?: AbortSignal;
  /** Subset names of an expression (Ref-DAVIS17: first-frame / full-video, annotator); default: its category. */
  tagsOf?: (expId: string) => string[];
  /** As scoreSplit's: leave out (and list in `score.skipped`) what cannot be scored instead of refusing the run. */
  skipUnscorable?: boolean;
}

/** The variant table's records of scored expressions; every scored frame is annotated (strict scoring). */
export function expressionFrames(
  ds: Dataset,
  expressions: readonly ExpressionScore[],
  tagsOf?: (expId: string) => string[],
): ExpressionFrames[] {
  return expressions.map((e) => {
    const expression = ds.videoById.get(e.video)?.expressions.find((x) => x.expId === e.expId);
    const targets = expression?.annoIds ?? (expression?.objId === undefined ? [] : [expression.objId]);
    return {
      video: e.video,
      expId: e.expId,
      objectKey: `${e.video}/${targets.join('+')}`,
      targets: targets.length,
      tags: tagsOf?.(e.expId) ?? (e.category === undefined ? [] : [e.category]),
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
  if (ds.benchmark === 'mevis')
    throw new InputError(ds.root, 'the variant table covers Ref-YouTube-VOS, Ref-DAVIS17 and ReVOS splits, not MeViS');
  const { videos, signal, skipUnscorable, tagsOf } = options;
  const score = await scoreSplit(ds, run, { videos, signal, skipUnscorable, frameDetail: true });
  const expressions = expressionFrames(ds, score.expressions, tagsOf);
  if (ds.benchmark !== 'revos') return { rows: variantTable(expressions, 'annotated'), expressions, score };
  const counted = score.expressions.filter((e) => e.typeId === 0 || e.typeId === 1).length;
  return {
    rows: variantTable(expressions, 'all', { J: score.J, F: score.F, expressions: counted }),
    expressions,
    score,
  };
}
