// The subsets a benchmark's papers report apart, per expression: ReVOS referring / reasoning / no-target (type_id),
// Ref-DAVIS17 first-frame / full-video expressions and the annotator (expression id 4·k + a). The Failures panel
// filters by them; the variant table has a row for each.

import * as path from 'node:path';
import type { Dataset } from '../dataset';
import { REVOS_TYPE_NAMES } from '../datasetParse';
import { refDavisSubsets } from './davis17/refDavis';

/**
 * True for a Ref-YouTube-VOS-layout split that is the converted Ref-DAVIS17: nothing in the layout says so, so the
 * dataset folder's name must (ReferFormer's data/ref-davis; `rvos score --benchmark ref-davis17` says it outright).
 */
export function isRefDavis17(ds: Dataset): boolean {
  return (ds.benchmark ?? 'ref-youtube-vos') === 'ref-youtube-vos' && /davis/i.test(path.basename(ds.root));
}

/** Ref-DAVIS17 subsets of an expression id; none for an id that is not a whole number (not of the converted set). */
export function refDavisExpressionSubsets(expId: string): string[] {
  return /^\d+$/.test(expId) ? refDavisSubsets(expId) : [];
}

/** The benchmark's subsets of an expression, or undefined when the benchmark has none. */
export function subsetsOf(ds: Dataset): ((video: string, expId: string) => string[]) | undefined {
  if (ds.benchmark === 'revos') {
    return (video, expId) => {
      const typeId = ds.videoById.get(video)?.expressions.find((e) => e.expId === expId)?.typeId;
      return typeId === undefined ? [] : [REVOS_TYPE_NAMES[typeId]];
    };
  }
  if (isRefDavis17(ds)) return (_video, expId) => refDavisExpressionSubsets(expId);
  return undefined;
}
