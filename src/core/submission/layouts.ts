// Where each benchmark's evaluation server expects the masks of a submission: one row per benchmark, so a new
// benchmark (MeViS: its reader lives in src/core/benchmarks/) plugs into `rvos check` with one entry.

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
