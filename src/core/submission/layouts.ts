// Where each benchmark's evaluation server expects the masks of a submission: one row per benchmark, so a new
// benchmark plugs into `rvos check` and `rvos export --zip` with one entry. MeViS (henghuiding/MeViS README, CodaLab /
// CodaBench guideline): the zip "directly packages" the video folders, <video>/<exp_id>/<frame>.png at its root.

import * as path from 'node:path';
import type { Dataset } from '../dataset';
import { InputError } from '../errors';

export type SubmissionBenchmark = 'ref-youtube-vos' | 'mevis';

export interface SubmissionLayout {
  /** Prefix of every mask path in the submission: `<prefix><video>/<exp_id>/<frame>.png`. */
  prefix: string;
  /** The root as the server wants it, for messages. */
  root: string;
}

export const SUBMISSION_LAYOUTS: Record<SubmissionBenchmark, SubmissionLayout> = {
  'ref-youtube-vos': { prefix: 'Annotations/', root: 'Annotations/ at the root' },
  mevis: { prefix: '', root: 'the video folders at the root' },
};

export function isSubmissionBenchmark(name: string): name is SubmissionBenchmark {
  return Object.hasOwn(SUBMISSION_LAYOUTS, name);
}

/** The submission layout of the benchmark `ds` was opened as; one without an evaluation server is an InputError. */
export function submissionLayoutOf(ds: Dataset): { benchmark: SubmissionBenchmark; layout: SubmissionLayout } {
  const benchmark: string = ds.benchmark ?? 'ref-youtube-vos';
  if (!isSubmissionBenchmark(benchmark))
    throw new InputError(
      path.join(ds.root, ds.split),
      `benchmark ${benchmark} has no evaluation-server submission layout (known: ${Object.keys(SUBMISSION_LAYOUTS).join(', ')})`,
    );
  return { benchmark, layout: SUBMISSION_LAYOUTS[benchmark] };
}
