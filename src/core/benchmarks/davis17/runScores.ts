// Reads one DAVIS 2017 unsupervised run — `<run>/<sequence>/<frame>.png`, indexed PNGs with every predicted object
// in one mask (pixel value = object id) — and the ground truth `<gt>/<sequence>/<frame>.png`, and computes the
// per-frame J and F of every (predicted, true) object pair, as davis2017-evaluation reads them:
//   - the frames are the ground-truth PNGs of the sequence, sorted by name; each needs a prediction of the same size;
//   - true objects are ids 1 … the largest id of the first ground-truth frame (255, void, counts as background);
//   - predicted objects are ids 1 … the largest id in any predicted frame of the sequence, at most MAX_PROPOSALS.

import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../../errors';
import { describeFsError } from '../../json';
import { decodeIndexMask } from '../../png';
import { checkSegment } from '../../safePath';
import { RowRuns, scoreRuns } from '../../scoring';
import { emptyPredictionScores, MAX_PROPOSALS, type PairFrameScores } from './unsupervised';

const VOID = 255;

async function readBytes(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? `missing ${what}` : describeFsError(err));
  }
}

/** The sorted frame names (without .png) of one ground-truth sequence folder. */
export async function groundTruthFrames(gtDir: string, sequence: string): Promise<string[]> {
  checkSegment(sequence, 'video id', gtDir);
  const dir = path.join(gtDir, sequence);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new InputError(dir, describeFsError(err));
  }
  const frames = names
    .filter((n) => n.endsWith('.png'))
    .map((n) => n.slice(0, -4))
    .sort();
  if (frames.length === 0) throw new InputError(dir, 'no ground-truth .png masks');
  return frames;
}

/** Per-frame J and F of all object pairs of one sequence (prediction rows padded with empty masks). */
export async function scoreSequencePairs(gtDir: string, runDir: string, sequence: string): Promise<PairFrameScores> {
  checkSegment(sequence, 'video id', runDir);
  const frames = await groundTruthFrames(gtDir, sequence);
  const ids = Array.from({ length: MAX_PROPOSALS }, (_, k) => k + 1);
  const predRuns = ids.map(() => new RowRuns());
  const scratch = new RowRuns();
  let trueRuns: RowRuns[] = [];
  let trueObjects = 0;
  let trueEmpty: boolean[][] = [];
  let predictedObjects = 0;
  // j[p][g][t] for every possible predicted id; trimmed to the ids the run uses at the end.
  const j: number[][][] = ids.map(() => []);
  const f: number[][][] = ids.map(() => []);
  for (let t = 0; t < frames.length; t++) {
    const gtFile = path.join(gtDir, sequence, `${frames[t]}.png`);
    const predFile = path.join(runDir, sequence, `${frames[t]}.png`);
    const gt = decodeIndexMask(await readBytes(gtFile, 'ground-truth mask'), gtFile);
    const pred = decodeIndexMask(
      await readBytes(predFile, 'predicted mask (every ground-truth frame needs one)'),
      predFile,
    );
    if (t === 0) {
      for (const v of gt.data) if (v !== VOID && v > trueObjects) trueObjects = v;
      trueRuns = Array.from({ length: trueObjects }, () => new RowRuns());
      trueEmpty = trueRuns.map(() => []);
      for (let p = 0; p < MAX_PROPOSALS; p++) {
        j[p] = trueRuns.map(() => []);
        f[p] = trueRuns.map(() => []);
      }
    }
    let frameMax = 0;
    for (const v of pred.data) if (v > frameMax) frameMax = v;
    if (frameMax > MAX_PROPOSALS) {
      throw new InputError(
        predFile,
        `object id ${frameMax} is above ${MAX_PROPOSALS}, the most proposals the DAVIS 2017 unsupervised evaluation accepts`,
      );
    }
    predictedObjects = Math.max(predictedObjects, frameMax);
    RowRuns.splitByValue(gt, ids.slice(0, trueObjects), trueRuns, scratch);
    RowRuns.splitByValue(pred, ids.slice(0, frameMax), predRuns, scratch);
    for (let g = 0; g < trueObjects; g++) {
      trueEmpty[g].push(trueRuns[g].area === 0);
      const empty = emptyPredictionScores([trueRuns[g].area === 0]);
      for (let p = 0; p < MAX_PROPOSALS; p++) {
        const s =
          p < frameMax ? scoreRuns(trueRuns[g], predRuns[p], gtFile, predFile) : { J: empty.j[0], F: empty.f[0] };
        j[p][g].push(s.J);
        f[p][g].push(s.F);
      }
    }
  }
  const rows = Math.max(predictedObjects, trueObjects);
  return { sequence, frames, predictedObjects, trueObjects, j: j.slice(0, rows), f: f.slice(0, rows), trueEmpty };
}
