// A submission archive in the layout of the dataset's evaluation server (Ref-YouTube-VOS:
// Annotations/<video>/<exp_id>/<frame>.png; MeViS: <video>/<exp_id>/<frame>.png at the root), built from a prediction
// run: every listed frame of every expression of the split (or of chosen videos), the PNG bytes as they are (stored,
// not compressed again), streamed to the output file.

import { selectVideos, type Dataset } from '../dataset';
import { readPredictionFile, type PredictionRun } from '../predictions';
import { submissionLayoutOf } from '../submission/layouts';
import { writeZipAtomic } from './zip';

export interface SubmissionResult {
  /** Masks written. */
  files: number;
  /** Listed frames without a prediction file (left out; the server scores them as empty). */
  missing: { video: string; expId: string; frame: string }[];
}

/** Writes the submission zip of `run` to `file` (atomically: a failure or a cancel leaves no file behind). */
export async function writeSubmissionZip(
  file: string,
  ds: Dataset,
  run: PredictionRun,
  options: { videos?: readonly string[]; signal?: AbortSignal } = {},
): Promise<SubmissionResult> {
  const { prefix } = submissionLayoutOf(ds).layout;
  const missing: SubmissionResult['missing'] = [];
  let files = 0;
  await writeZipAtomic(file, async (zip) => {
    for (const video of selectVideos(ds, options.videos)) {
      for (const e of video.expressions) {
        options.signal?.throwIfAborted();
        for (const frame of video.frames) {
          const bytes = await readPredictionFile(run, video.id, e.expId, frame);
          if (bytes === undefined) missing.push({ video: video.id, expId: e.expId, frame });
          else {
            await zip.add(`${prefix}${video.id}/${e.expId}/${frame}.png`, bytes, { compress: false });
            files++;
          }
        }
      }
    }
  });
  return { files, missing };
}
