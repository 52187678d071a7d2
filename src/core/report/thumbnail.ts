// A report thumbnail: one frame with the difference overlay of an expression's prediction against its object's
// ground truth, scaled down and encoded as a data-URI PNG. The frame JPEG is decoded with sharp; the overlay is
// composited in JS (diffOverlay). A frame that cannot be decoded gives a grey background and says why.

import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { compositeOver, diffOverlay, objectMask, type DiffColours, type DiffCounts } from '../analysis/diffOverlay';
import { annotationPath, framePath, type Dataset } from '../dataset';
import { InputError } from '../errors';
import { describeFsError } from '../json';
import { decodeForegroundMask, decodeIndexMask } from '../png';
import { predictionPath, readPredictionFile, type PredictionRun } from '../predictions';
import type { Mask } from '../types';

export interface ThumbnailOptions {
  colours: DiffColours;
  opacity?: number;
  mode?: 'fill' | 'outline';
  /** Largest width in pixels (default 320); smaller frames are not enlarged. */
  maxWidth?: number;
}

export interface Thumbnail {
  /** data:image/png;base64,… */
  dataUri: string;
  counts: DiffCounts;
  /** Why the frame itself is not shown (grey background instead), when it could not be read. */
  frameProblem?: string;
}

const GREY = 128;

async function frameRgb(file: string, width: number, height: number): Promise<{ rgb: Uint8Array; problem?: string }> {
  const grey = () => new Uint8Array(width * height * 3).fill(GREY);
  try {
    const { data, info } = await sharp(await readFile(file), { limitInputPixels: 100_000_000 })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height || info.channels !== 3) {
      return { rgb: grey(), problem: `${file}: frame is ${info.width}×${info.height}, masks are ${width}×${height}` };
    }
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ? describeFsError(err) : `cannot decode: ${(err as Error).message}`;
    return { rgb: grey(), problem: `${file}: ${why}` };
  }
}

/** The thumbnail of `frame` of expression `expId` of `videoId` (which must have an obj_id and an annotation file). */
export async function frameThumbnail(
  ds: Dataset,
  run: PredictionRun,
  videoId: string,
  expId: string,
  frame: string,
  options: ThumbnailOptions,
): Promise<Thumbnail> {
  const video = ds.videoById.get(videoId);
  const expression = video?.expressions.find((e) => e.expId === expId);
  if (!video || !expression || expression.objId === undefined) {
    throw new InputError(ds.root, `no scorable expression ${expId} of video "${videoId}" in split "${ds.split}"`);
  }
  const gtFile = annotationPath(ds, videoId, frame);
  let gtBytes: Uint8Array;
  try {
    gtBytes = await readFile(gtFile);
  } catch (err) {
    throw new InputError(gtFile, describeFsError(err));
  }
  const gt = objectMask(decodeIndexMask(gtBytes, gtFile), Number(expression.objId));
  const predBytes = await readPredictionFile(run, videoId, expId, frame);
  const predFile = predictionPath(run, videoId, expId, frame);
  const pred: Mask = predBytes
    ? decodeForegroundMask(predBytes, predFile)
    : { width: gt.width, height: gt.height, data: new Uint8Array(gt.data.length) };
  if (pred.width !== gt.width || pred.height !== gt.height) {
    throw new InputError(
      predFile,
      `mask is ${pred.width}×${pred.height} but ground truth ${gtFile} is ${gt.width}×${gt.height}`,
    );
  }
  const overlay = new Uint8ClampedArray(gt.width * gt.height * 4);
  const counts = diffOverlay(gt, pred, overlay, {
    colours: options.colours,
    opacity: options.opacity ?? 0.55,
    mode: options.mode,
  });
  const { rgb, problem } = await frameRgb(framePath(ds, videoId, frame), gt.width, gt.height);
  compositeOver(rgb, 3, overlay);
  const png = await sharp(rgb, { raw: { width: gt.width, height: gt.height, channels: 3 } })
    .resize({ width: options.maxWidth ?? 320, withoutEnlargement: true })
    .png()
    .toBuffer();
  const thumb: Thumbnail = { dataUri: `data:image/png;base64,${png.toString('base64')}`, counts };
  if (problem) thumb.frameProblem = problem;
  return thumb;
}
