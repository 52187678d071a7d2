// The per-video scoring work of ReVOS (a VideoJob whose rules say metrics: 'revos'), with every rule of VISA's
// eval_revos.py: per frame the truth is the uint8 SUM of the expression's anno_id masks, the prediction the values
// cv2.IMREAD_GRAYSCALE reads, the foreground the video's mask of mask_dict_foreground.json; J, F, A, R per frame
// (metrics.ts), their means per expression. A video without a prediction folder, or an expression with a missing
// prediction frame, scores 0 on all four (the script's except branch). Strict where the script would silently give
// 0 for damaged input: an unreadable PNG, a prediction of another size than the video, a broken RLE are the
// expression's `skipped` reason.

import * as path from 'node:path';
import { InputError } from '../../errors';
import { isDirectory } from '../../fileKind';
import { decodeGrayscaleAsOpenCv } from '../../png';
import { predictionPath, predictionsDir } from '../../predictions';
import { asCocoRle, paintRle, RleError, rleRuns } from '../../rle/coco';
import { JobFiles } from '../../scoring/jobFiles';
import type { JobExpression, VideoJob, VideoResult } from '../../scoring/video';
import type { ExpressionScore, FrameScore, Mask } from '../../types';
import { maskAt, paintMaskAt, readIndexedValues, readMaskLists, type MaskDictIndex } from '../mevis/maskDict';
import { expressionMeans, scoreRevosFrame } from './metrics';

interface Metrics {
  J: number;
  F: number;
  A: number;
  R: number;
}

function revosScore(video: string, e: JobExpression, frames: FrameScore[], m: Metrics): ExpressionScore {
  const score: ExpressionScore = {
    video,
    expId: e.expId,
    expression: e.text,
    J: m.J,
    F: m.F,
    JF: (m.J + m.F) / 2,
    frames,
  };
  if (e.category !== undefined) score.category = e.category;
  if (e.typeId !== undefined) score.typeId = e.typeId;
  score.A = m.A;
  score.R = m.R;
  return score;
}

const ZERO: Metrics = { J: 0, F: 0, A: 0, R: 0 };

/** The video's foreground RLE list (`masks_rle`), checked to cover its frames. */
async function foregroundList(index: MaskDictIndex, video: string, frames: number): Promise<unknown[]> {
  const value = (await readIndexedValues(index, [video], 'video')).get(video) as { masks_rle?: unknown } | null;
  const list = typeof value === 'object' && value !== null ? value.masks_rle : undefined;
  if (!Array.isArray(list)) throw new InputError(index.file, `video ${video}: no "masks_rle" list`);
  if (list.length < frames)
    throw new InputError(
      index.file,
      `video ${video}: "masks_rle" has ${list.length} masks but the video has ${frames} frames`,
    );
  return list as unknown[];
}

function foregroundAt(index: MaskDictIndex, list: unknown[], video: string, i: number, frame: string): Mask {
  try {
    const rle = asCocoRle(list[i]);
    const mask = { width: rle.size[1], height: rle.size[0], data: new Uint8Array(rle.size[0] * rle.size[1]) };
    paintRle(rle, mask);
    return mask;
  } catch (err) {
    if (err instanceof RleError) throw new InputError(index.file, `video ${video}, frame ${frame}: ${err.message}`);
    throw err;
  }
}

/** Scores every expression of one ReVOS video; scored and skipped expressions come back in the job's order. */
export async function scoreRevosVideoJob(job: VideoJob): Promise<VideoResult> {
  const { video, frames, run, expressions } = job;
  const result: VideoResult = { scored: [], skipped: [] };
  if (job.gt.kind !== 'coco-rle' || job.gt.foreground === undefined)
    throw new Error('a ReVOS job needs mask_dict and mask_dict_foreground ground truth');
  const { maskDict, foreground } = job.gt;
  let lists: Map<string, unknown[]>;
  let fgList: unknown[];
  try {
    lists = await readMaskLists(maskDict, [...new Set(expressions.flatMap((e) => e.targets))]);
    fgList = await foregroundList(foreground, video, frames.length);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    result.skipped = expressions.map((e) => ({ video, expId: e.expId, file: err.file, reason: err.problem }));
    return result;
  }
  /** Whether the truth of `e` at frame i has no target pixel (from the RLE runs, without painting them). */
  const truthEmpty = (e: JobExpression, i: number) =>
    e.targets.every((annoId) => {
      const rle = maskAt(maskDict, lists.get(annoId)!, annoId, i, frames[i]);
      return rle === null || rleRuns(rle).every((n, k) => k % 2 === 0 || n === 0);
    });
  if (!(await isDirectory(path.join(predictionsDir(run), video)))) {
    for (const e of expressions) {
      try {
        const zero = frames.map((frame, i) => ({ frame, J: 0, F: 0, missing: true, gtEmpty: truthEmpty(e, i) }));
        result.scored.push(revosScore(video, e, zero, ZERO));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        result.skipped.push({ video, expId: e.expId, file: err.file, reason: err.problem });
      }
    }
    return result;
  }
  const files = new JobFiles(run.dir);
  for (const e of expressions) {
    try {
      const perFrame: Metrics[] = [];
      const frameScores: FrameScore[] = [];
      let missing = false;
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i];
        // The truth first (its size is the video's): whether it is empty is recorded even where the score is 0.
        const fg = foregroundAt(foreground, fgList, video, i, frame);
        const gt = { width: fg.width, height: fg.height, data: new Uint8Array(fg.data.length) };
        for (const annoId of e.targets) {
          const rle = maskAt(maskDict, lists.get(annoId)!, annoId, i, frame);
          if (rle) paintMaskAt(maskDict, rle, annoId, frame, gt, 'add');
        }
        const gtEmpty = truthEmpty(e, i);
        const predFile = predictionPath(run, video, e.expId, frame);
        const bytes = await files.read(predFile);
        if (bytes === undefined || missing) {
          // cv2.imread gives None and the script's except branch scores the expression 0; later frames are not decoded.
          frameScores.push({ frame, J: 0, F: 0, missing: bytes === undefined, gtEmpty });
          missing ||= bytes === undefined;
          continue;
        }
        const pred = decodeGrayscaleAsOpenCv(bytes, predFile);
        if (pred.width !== fg.width || pred.height !== fg.height)
          throw new InputError(
            predFile,
            `mask is ${pred.width}×${pred.height} but the video's masks in ${foreground.file} are ${fg.width}×${fg.height}`,
          );
        const m = scoreRevosFrame(gt, pred, fg);
        perFrame.push(m);
        frameScores.push({ frame, J: m.J, F: m.F, missing: false, gtEmpty });
      }
      if (missing)
        result.scored.push(
          revosScore(
            video,
            e,
            frameScores.map((f) => ({ ...f, J: 0, F: 0 })),
            ZERO,
          ),
        );
      else result.scored.push(revosScore(video, e, frameScores, expressionMeans(perFrame)));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      result.skipped.push({ video, expId: e.expId, file: err.file, reason: err.problem });
    }
  }
  return result;
}
