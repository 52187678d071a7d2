// The per-video scoring work (run in a worker thread by pool.ts, or in-process): reads and decodes each ground-truth
// annotation once per frame, shares it across the video's expressions, and scores each expression's prediction.

import { readFile } from 'node:fs/promises';
import { InputError } from '../errors';
import { describeFsError } from '../json';
import { decodeBinaryMask, decodeIndexMask } from '../png';
import { predictionPath, readPredictionFile, type PredictionRun } from '../predictions';
import type { ExpressionScore, FrameScore, Mask } from '../types';
import { scorePair } from './index';

/** One expression to score; `objId` is the pixel value of its object in the annotation PNGs. */
export interface JobExpression {
  expId: string;
  text: string;
  category?: string;
  objId: number;
}

/** Everything needed to score one video: plain data, so it can be posted to a worker. */
export interface VideoJob {
  video: string;
  frames: string[];
  /** Ground-truth annotation per frame; a frame whose file does not exist is not scored. */
  gtFiles: string[];
  run: PredictionRun;
  expressions: JobExpression[];
}

/** Ground-truth bytes, or undefined when the frame has no annotation file. */
async function readAnnotation(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(file, describeFsError(err));
  }
}

const WORD_ONES = 0x01010101;

/** out[i] = (index[i] === id), 4 pixels per step: XOR zeroes the bytes equal to id, then an exact zero-byte test. */
function selectObject(index: Mask, id: number, out: Uint8Array): Mask {
  const src = index.data;
  const n = src.length;
  let i = 0;
  if (src.byteOffset % 4 === 0 && out.byteOffset % 4 === 0) {
    const s32 = new Uint32Array(src.buffer, src.byteOffset, n >> 2);
    const o32 = new Uint32Array(out.buffer, out.byteOffset, n >> 2);
    const pattern = Math.imul(id, WORD_ONES);
    for (let k = 0; k < s32.length; k++) {
      const x = s32[k] ^ pattern;
      // High bit of each byte set iff that byte of x is nonzero (no carries between bytes).
      const nonzero = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
      o32[k] = (~nonzero & 0x80808080) >>> 7;
    }
    i = s32.length << 2;
  }
  for (; i < n; i++) out[i] = src[i] === id ? 1 : 0;
  return { width: index.width, height: index.height, data: out.subarray(0, n) };
}

/** Scores every expression of one video; expressions come back in the job's order. */
export async function scoreVideoJob(job: VideoJob): Promise<ExpressionScore[]> {
  const { video, frames, run, expressions } = job;
  const perExpression: FrameScore[][] = expressions.map(() => []);
  let gtBuffer = new Uint8Array(0);
  let empty = new Uint8Array(0);

  // Reading frame i + 1 overlaps decoding and scoring frame i.
  const load = async (i: number) => {
    const gt = await readAnnotation(job.gtFiles[i]);
    if (gt === undefined) return undefined;
    const preds = await Promise.all(expressions.map((e) => readPredictionFile(run, video, e.expId, frames[i])));
    return { gt, preds };
  };
  let next = frames.length > 0 ? load(0) : undefined;
  for (let i = 0; i < frames.length; i++) {
    const loaded = await next!;
    next = i + 1 < frames.length ? load(i + 1) : undefined;
    next?.catch(() => undefined); // its error is raised when awaited; don't report it as unhandled meanwhile
    if (!loaded) continue;
    const gtFile = job.gtFiles[i];
    const index = decodeIndexMask(loaded.gt, gtFile);
    const size = index.width * index.height;
    if (gtBuffer.length < size) gtBuffer = new Uint8Array(size);
    if (empty.length < size) empty = new Uint8Array(size);
    expressions.forEach((e, k) => {
      const gt = selectObject(index, e.objId, gtBuffer);
      const predFile = predictionPath(run, video, e.expId, frames[i]);
      const bytes = loaded.preds[k];
      const pred = bytes === undefined ? { width: index.width, height: index.height, data: empty.subarray(0, size) } : decodeBinaryMask(bytes, predFile);
      const { J, F } = scorePair(gt, pred, gtFile, predFile);
      perExpression[k].push({ frame: frames[i], J, F, missing: bytes === undefined });
    });
  }
  return expressions.map((e, k) => {
    const scored = perExpression[k];
    const J = mean(scored.map((f) => f.J));
    const F = mean(scored.map((f) => f.F));
    const score: ExpressionScore = { video, expId: e.expId, expression: e.text, J, F, JF: (J + F) / 2, frames: scored };
    if (e.category !== undefined) score.category = e.category;
    return score;
  });
}

/** Arithmetic mean; 0 for no values (callers treat expressions without scored frames separately). */
export function mean(values: number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}
