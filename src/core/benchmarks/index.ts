// The benchmark profiles, in detection order, and opening a dataset with the right one.

import * as path from 'node:path';
import type { Dataset } from '../dataset';
import { InputError } from '../errors';
import type { Expression } from '../types';
import { mevisProfile } from './mevis/profile';
import type { BenchmarkId, BenchmarkProfile } from './profile';
import { refYoutubeVosProfile } from './refYoutubeVos';
import { revosProfile } from './revos/profile';

export const PROFILES: readonly BenchmarkProfile[] = [refYoutubeVosProfile, mevisProfile, revosProfile];

export const BENCHMARK_IDS = PROFILES.map((p) => p.id);

export function profileById(id: string): BenchmarkProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}

/** The profile a dataset was opened with. */
export function profileOf(ds: Dataset): BenchmarkProfile {
  return profileById(ds.benchmark ?? 'ref-youtube-vos')!;
}

/**
 * True when the split has ground truth for `e` (an obj_id in Ref-YouTube-VOS, anno_ids in MeViS, an anno_id list in
 * ReVOS, empty for a no-target expression): it can be scored.
 */
export function expressionHasGroundTruth(ds: Dataset, e: Expression): boolean {
  if (!ds.hasAnnotations) return false;
  if (ds.benchmark === 'revos') return e.annoIds !== undefined;
  return ds.benchmark === 'mevis' ? (e.annoIds?.length ?? 0) > 0 : e.objId !== undefined;
}

/** The first profile whose layout `root` has, or undefined. */
export async function detectBenchmark(root: string): Promise<BenchmarkProfile | undefined> {
  for (const profile of PROFILES) if (await profile.detect(root)) return profile;
  return undefined;
}

/**
 * Opens a split with the profile `benchmark` names, or the one whose layout `root` has. A folder that has none is an
 * InputError that says what each layout lacks.
 */
export async function openBenchmarkDataset(
  root: string,
  options: { split?: string; benchmark?: BenchmarkId } = {},
): Promise<Dataset> {
  const abs = path.resolve(root);
  const profile = options.benchmark ? profileById(options.benchmark) : await detectBenchmark(abs);
  if (profile) return profile.open(abs, options.split);
  try {
    return await refYoutubeVosProfile.open(abs, options.split); // raises the reason the folder is not one
  } catch (err) {
    if (err instanceof InputError && err.file === abs)
      throw new InputError(
        abs,
        `${err.problem}; nor a MeViS dataset (no <split>/meta_expressions.json); nor a ReVOS dataset (no meta_expressions_<split>_.json)`,
      );
    throw err;
  }
}
