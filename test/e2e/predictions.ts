// Writes a prediction run for the e2e tests: every ground-truth mask of a split shifted right by `dx` pixels, as 0/255
// PNGs in the evaluation-server layout Annotations/<video>/<exp_id>/<frame>.png, so J&F is neither 0 nor 1. Also
// returns the per-frame J and F of each written mask, computed by the project's scoring code, for the UI to match.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { annotationPath, openDataset } from '../../src/core/dataset';
import { decodeIndexMask, encodeGrayPng } from '../../src/core/png';
import { scorePair } from '../../src/core/scoring';
import type { Mask } from '../../src/core/types';

export type FrameScores = Map<string, { J: number; F: number }[]>; // key `${video}/${expId}`, in frame order

function objectMask(ids: Mask, objId: number): Mask {
  return { width: ids.width, height: ids.height, data: ids.data.map((v) => (v === objId ? 1 : 0)) };
}

function shiftRight(m: Mask, dx: number): Mask {
  const data = new Uint8Array(m.data.length);
  for (let y = 0; y < m.height; y++) {
    for (let x = dx; x < m.width; x++) data[y * m.width + x] = m.data[y * m.width + x - dx];
  }
  return { ...m, data };
}

/** Writes the shifted masks of `split` under `<outDir>/Annotations/` (outDir must be outside the dataset). */
export async function writeShiftedPredictions(
  datasetRoot: string,
  split: string,
  outDir: string,
  dx: number,
): Promise<FrameScores> {
  const ds = await openDataset(datasetRoot, split);
  const scores: FrameScores = new Map();
  for (const video of ds.videos) {
    for (const exp of video.expressions) {
      if (exp.objId === undefined) continue;
      const dir = join(outDir, 'Annotations', video.id, exp.expId);
      await mkdir(dir, { recursive: true });
      const perFrame: { J: number; F: number }[] = [];
      for (const frame of video.frames) {
        const file = annotationPath(ds, video.id, frame);
        const gt = objectMask(decodeIndexMask(await readFile(file), file), Number(exp.objId));
        const pred = shiftRight(gt, dx);
        await writeFile(join(dir, `${frame}.png`), encodeGrayPng({ ...pred, data: pred.data.map((v) => v * 255) }));
        perFrame.push(scorePair(gt, pred));
      }
      scores.set(`${video.id}/${exp.expId}`, perFrame);
    }
  }
  return scores;
}
