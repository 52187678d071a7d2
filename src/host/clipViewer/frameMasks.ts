// Loads the masks of one frame for the viewer: the expression's ground-truth object (index PNG == obj_id) and the
// active run's prediction (binary PNG), plus their J and F. Node-only (no vscode), so it is unit-tested.
// Problems become notes on the frame instead of errors: one bad file must not break playback.

import type { MaskDictIndex } from '../../core/benchmarks/mevis/maskDict';
import { MevisMaskReader, type ObjectMask } from '../../core/benchmarks/mevis/objectMasks';
import { annotationPath, framePath, type Dataset } from '../../core/dataset';
import { isInputError } from '../../core/errors';
import { checkFrameImage, type ImageSize } from '../../core/frameImage';
import { decodeBinaryMask, decodeIndexMask } from '../../core/png';
import { predictionPath, readPredictionFile, type PredictionRun } from '../../core/predictions';
import { readFileInside } from '../../core/safePath';
import { scorePair } from '../../core/scoring';
import type { Expression, Mask, Video } from '../../core/types';
import { encodeRle } from '../../inference/maskRle';
import type { FrameMasks } from '../../shared/clipViewer/protocol';

function message(err: unknown): string {
  if (isInputError(err)) return err.message;
  throw err; // a programming error, not a data problem: let the caller report it
}

/** Decoded annotation PNGs, shared by the expressions of a clip (several objects per frame), least recently used out. */
export class IndexMaskCache {
  private readonly entries = new Map<string, Mask | undefined>();
  private mevis: MevisMaskReader | undefined;

  /** The MeViS mask reader of `index` (its parsed mask lists are cached with the clip's masks). */
  mevisReader(index: MaskDictIndex): MevisMaskReader {
    if (this.mevis?.index !== index) this.mevis = new MevisMaskReader(index);
    return this.mevis;
  }

  constructor(private readonly capacity = 32) {}

  /** The decoded mask, undefined when the file does not exist; InputError when it is unreadable. */
  async get(file: string, root: string): Promise<Mask | undefined> {
    if (this.entries.has(file)) {
      const hit = this.entries.get(file);
      this.entries.delete(file);
      this.entries.set(file, hit);
      return hit;
    }
    const bytes = await readFileInside(root, file);
    const mask = bytes && decodeIndexMask(bytes, file);
    this.entries.set(file, mask);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return mask;
  }
}

/** The 0/1 mask of one object of an index annotation (pixel value == obj_id). */
export function objectMask(index: Mask, objId: number): Mask {
  const data = new Uint8Array(index.data.length);
  for (let i = 0; i < data.length; i++) data[i] = index.data[i] === objId ? 1 : 0;
  return { width: index.width, height: index.height, data };
}

/** The union of same-sized 0/1 masks, or undefined for none. */
function unionOf(masks: Mask[]): Mask | undefined {
  if (masks.length === 0) return undefined;
  const data = new Uint8Array(masks[0].data);
  for (const m of masks.slice(1)) for (let i = 0; i < data.length; i++) data[i] |= m.data[i];
  return { width: masks[0].width, height: masks[0].height, data };
}

/** The ground truth of one frame of an expression, as the benchmark's profile defines it. */
export interface ExpressionTruth {
  /** What it is read from, for messages (the annotation PNG, or mask_dict.json). */
  file: string;
  /** The 0/1 truth; undefined where the frame has none (see `absentIsEmpty`). */
  mask?: Mask;
  /** MeViS: each referred object in anno_id order, its mask null where it is absent from the frame. */
  objects?: ObjectMask[];
  /**
   * True when a frame without truth is scored against an empty mask (MeViS: every frame counts, so an empty prediction
   * scores 1 where no referred object is present); false when such a frame is not scored (Ref-YouTube-VOS).
   */
  absentIsEmpty: boolean;
}

/**
 * The truth of frame `frameIndex` of `expression`: the union of its anno_id masks (MeViS) or its obj_id's pixels in
 * the index annotation; undefined when the expression has no ground truth. Unreadable truth is an InputError.
 */
export async function expressionTruth(
  ds: Dataset,
  video: Video,
  expression: Expression,
  frameIndex: number,
  cache: IndexMaskCache,
): Promise<ExpressionTruth | undefined> {
  if (ds.maskDict && expression.annoIds) {
    const objects = await cache.mevisReader(ds.maskDict).objectMasks(video, expression, frameIndex);
    const present = objects.flatMap((o) => (o.mask ? [o.mask] : []));
    return { file: ds.maskDict.file, mask: unionOf(present), objects, absentIsEmpty: true };
  }
  if (!ds.hasAnnotations || expression.objId === undefined) return undefined;
  const file = annotationPath(ds, video.id, video.frames[frameIndex]);
  const index = await cache.get(file, ds.root);
  return { file, mask: index && objectMask(index, Number(expression.objId)), absentIsEmpty: false };
}

/**
 * Masks and scores of frame `frameIndex` of `videoId` for expression `expId` (none: frame only), looked up in
 * `expressions` (default: the video's; the viewer adds the user's). A ground-truth frame without a prediction file is
 * scored against an empty mask, as the benchmark does.
 */
export async function loadFrameMasks(
  ds: Dataset,
  videoId: string,
  expId: string | undefined,
  frameIndex: number,
  run: PredictionRun | undefined,
  cache: IndexMaskCache,
  expressions?: readonly Expression[],
): Promise<FrameMasks> {
  const video = ds.videoById.get(videoId);
  const frame = video?.frames[frameIndex];
  if (!video || frame === undefined) throw new RangeError(`no frame ${frameIndex} in clip ${videoId}`);
  const result: FrameMasks = { frameIndex, expId, notes: [] };
  const expression =
    expId === undefined ? undefined : (expressions ?? video.expressions).find((e) => e.expId === expId);
  if (expId !== undefined && !expression) throw new RangeError(`no expression ${expId} in clip ${videoId}`);
  if (!expression) return result;

  let truth: ExpressionTruth | undefined;
  try {
    truth = await expressionTruth(ds, video, expression, frameIndex, cache);
  } catch (err) {
    result.notes.push(message(err));
  }
  let gt = truth?.mask;
  const gtFile = truth?.file;
  if (truth?.objects) {
    // MeViS: each referred object's mask (drawn in its own colour); the truth scored is their union.
    result.gtObjects = truth.objects.flatMap((o, slot) =>
      o.mask ? [{ objId: o.objId, slot, mask: encodeRle(o.mask) }] : [],
    );
    if (!gt) result.notes.push('no referred object is present in this frame');
  } else if (truth && !gt) result.notes.push(`no annotation for this frame (${truth.file})`);

  let pred: Mask | undefined;
  if (run) {
    try {
      const bytes = await readPredictionFile(run, videoId, expression.expId, frame);
      if (bytes) pred = decodeBinaryMask(bytes, predictionPath(run, videoId, expression.expId, frame));
      else result.notes.push(`run "${run.name}" has no mask for this frame`);
    } catch (err) {
      result.notes.push(message(err));
    }
  }

  if (gt) result.gt = encodeRle(gt);
  if (pred) result.pred = encodeRle(pred);
  // MeViS scores a frame without any referred object against an empty mask (the prediction's size).
  if (!gt && pred && truth?.absentIsEmpty)
    gt = { width: pred.width, height: pred.height, data: new Uint8Array(pred.data.length) };
  if (gt && run) {
    const predFile = predictionPath(run, videoId, expression.expId, frame);
    try {
      result.score = scorePair(
        gt,
        pred ?? { width: gt.width, height: gt.height, data: new Uint8Array(gt.data.length) },
        gtFile,
        predFile,
      );
    } catch (err) {
      result.notes.push(message(err));
      delete result.pred; // a prediction of the wrong size cannot be drawn over this frame either
    }
  }
  return result;
}

/**
 * Notes about the frame image under `masks`: the webview decodes the JPEG itself and can only say that it failed (a
 * truncated JPEG even shows as a half-grey picture), so the host names the file and the problem (missing, empty,
 * truncated, corrupt, too large), or a mask of another size than the frame (the webview draws it scaled).
 */
export async function frameImageNotes(ds: Dataset, videoId: string, masks: FrameMasks): Promise<string[]> {
  const frame = ds.videoById.get(videoId)?.frames[masks.frameIndex];
  if (frame === undefined) throw new RangeError(`no frame ${masks.frameIndex} in clip ${videoId}`);
  const file = framePath(ds, videoId, frame);
  let size: ImageSize;
  try {
    size = await checkFrameImage(file);
  } catch (err) {
    return [message(err)];
  }
  const notes: string[] = [];
  const sizeOf = (m: { width: number; height: number }) => `${m.width}×${m.height}`;
  if (masks.gt && sizeOf(masks.gt) !== sizeOf(size)) {
    notes.push(
      `${ds.maskDict?.file ?? annotationPath(ds, videoId, frame)}: mask is ${sizeOf(masks.gt)} but frame ${file} is ${sizeOf(size)}; drawn scaled to the frame`,
    );
  }
  if (masks.pred && sizeOf(masks.pred) !== sizeOf(size)) {
    notes.push(
      `${file}: frame is ${sizeOf(size)} but the predicted mask is ${sizeOf(masks.pred)}; drawn scaled to the frame`,
    );
  }
  return notes;
}
