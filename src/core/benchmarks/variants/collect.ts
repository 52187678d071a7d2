// Collects the per-frame records the variant table needs from a Ref-YouTube-VOS-layout split (Ref-DAVIS17 converted
// included) and a prediction run `Annotations/<video>/<exp_id>/<frame>.png`: every listed frame of every expression
// with an obj_id, annotated or not, whether its ground truth is empty, and its J and F (an unannotated frame is an
// empty ground truth: 1 for an empty prediction, 0 otherwise). A missing prediction is an empty mask.

import { annotationPath, selectVideos, type Dataset } from '../../dataset';
import { decodeForegroundMask, decodeIndexMask } from '../../png';
import { predictionPath, readPredictionFile, type PredictionRun } from '../../predictions';
import { readRegularFileIfExists } from '../../safePath';
import { RowRuns, scoreRuns } from '../../scoring';
import { refYoutubeVosProfile } from '../refYoutubeVos';
import type { ExpressionFrames } from './variants';

/** Frame records of every scorable expression; `tagsOf` names the benchmark's subsets of an expression. */
export async function collectExpressionFrames(
  ds: Dataset,
  run: PredictionRun,
  options: { videos?: string[]; tagsOf?: (expId: string) => string[]; signal?: AbortSignal } = {},
): Promise<ExpressionFrames[]> {
  const out: ExpressionFrames[] = [];
  const truth = new RowRuns();
  const pred = new RowRuns();
  const scratch = new RowRuns();
  for (const video of selectVideos(ds, options.videos)) {
    options.signal?.throwIfAborted();
    const expressions = video.expressions.filter((e) => e.objId !== undefined);
    const values = expressions.map((e) => Number(refYoutubeVosProfile.targets(ds, video, e)[0]));
    const records: ExpressionFrames[] = expressions.map((e) => ({
      video: video.id,
      expId: e.expId,
      objectKey: `${video.id}/${e.objId}`,
      targets: 1,
      tags: options.tagsOf?.(e.expId) ?? (e.category === undefined ? [] : [e.category]),
      frames: [],
    }));
    for (const frame of video.frames) {
      const gtFile = annotationPath(ds, video.id, frame);
      const gtBytes = await readRegularFileIfExists(gtFile);
      const index = gtBytes && decodeIndexMask(gtBytes, gtFile);
      for (let k = 0; k < expressions.length; k++) {
        const e = expressions[k];
        const predFile = predictionPath(run, video.id, e.expId, frame);
        const bytes = await readPredictionFile(run, video.id, e.expId, frame);
        const predMask = bytes && decodeForegroundMask(bytes, predFile);
        if (!index) {
          const empty = !predMask || predMask.data.every((v) => v === 0);
          records[k].frames.push({ frame, annotated: false, gtEmpty: true, J: empty ? 1 : 0, F: empty ? 1 : 0 });
          continue;
        }
        RowRuns.splitByValue(index, [values[k]], [truth], scratch);
        if (predMask) pred.compute(predMask);
        else pred.reset(index.width, index.height).finish();
        const { J, F } = scoreRuns(truth, pred, gtFile, predFile);
        records[k].frames.push({ frame, annotated: true, gtEmpty: truth.area === 0, J, F });
      }
    }
    out.push(...records);
  }
  return out;
}
