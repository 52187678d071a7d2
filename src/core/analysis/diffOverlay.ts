// Difference overlay of a predicted mask against the ground truth: true positives, false positives and false
// negatives in caller-given colours (the webview derives them from the theme), filled or outlined, at an opacity;
// written into an RGBA buffer (ImageData layout) and returned with the pixel counts. Plus "over" compositing of such
// an overlay onto a frame. Pure and allocation-free per call except the outline's class buffer.

import type { Mask } from '../types';

export type Rgb = readonly [number, number, number];

export interface DiffColours {
  tp: Rgb;
  fp: Rgb;
  fn: Rgb;
}

export interface DiffOverlayOptions {
  colours: DiffColours;
  /** 'fill' colours every differing pixel; 'outline' only those on the border of their region. Default fill. */
  mode?: 'fill' | 'outline';
  /** 0–1, default 0.5. */
  opacity?: number;
}

export interface DiffCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** Pixel classes: bit 0 = ground truth, bit 1 = prediction → 1 false negative, 2 false positive, 3 true positive. */
const FN = 1;
const FP = 2;
const TP = 3;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An RGBA pixel as one 32-bit word in the platform's byte order. */
function rgbaWord([r, g, b]: Rgb, a: number): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

function checkSizes(gt: Mask, pred: Mask, out: Uint8Array | Uint8ClampedArray): void {
  if (gt.width !== pred.width || gt.height !== pred.height) {
    throw new RangeError(`prediction is ${pred.width}×${pred.height} but ground truth is ${gt.width}×${gt.height}`);
  }
  if (out.length !== gt.width * gt.height * 4)
    throw new RangeError(`RGBA buffer has ${out.length} bytes, expected ${gt.width * gt.height * 4}`);
}

/** A 32-bit view of an RGBA buffer (a copy only if the buffer is not 4-byte aligned; then written back by the caller). */
function words(out: Uint8Array | Uint8ClampedArray): Uint32Array {
  return out.byteOffset % 4 === 0
    ? new Uint32Array(out.buffer, out.byteOffset, out.length >> 2)
    : new Uint32Array(out.length >> 2);
}

/** TP / FP / FN pixel counts (nonzero = foreground in both masks). */
export function diffCounts(gt: Mask, pred: Mask): DiffCounts {
  const g = gt.data;
  const p = pred.data;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== 0) {
      if (p[i] !== 0) tp++;
      else fn++;
    } else if (p[i] !== 0) fp++;
  }
  return { tp, fp, fn };
}

/**
 * Fills `out` (RGBA, width × height × 4 bytes) with the difference overlay: class colours at `opacity`, transparent
 * elsewhere. Returns the counts of the whole masks (also in outline mode).
 */
export function diffOverlay(
  gt: Mask,
  pred: Mask,
  out: Uint8Array | Uint8ClampedArray,
  options: DiffOverlayOptions,
): DiffCounts {
  checkSizes(gt, pred, out);
  const alpha = Math.round(255 * Math.min(1, Math.max(0, options.opacity ?? 0.5)));
  const table = new Uint32Array(4);
  table[FN] = rgbaWord(options.colours.fn, alpha);
  table[FP] = rgbaWord(options.colours.fp, alpha);
  table[TP] = rgbaWord(options.colours.tp, alpha);
  const w32 = words(out);
  const g = gt.data;
  const p = pred.data;
  const n = g.length;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  if (options.mode !== 'outline') {
    for (let i = 0; i < n; i++) {
      const c = (g[i] !== 0 ? 1 : 0) | (p[i] !== 0 ? 2 : 0);
      w32[i] = table[c];
      if (c === TP) tp++;
      else if (c === FP) fp++;
      else if (c === FN) fn++;
    }
  } else {
    const { width, height } = gt;
    const cls = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = (g[i] !== 0 ? 1 : 0) | (p[i] !== 0 ? 2 : 0);
      cls[i] = c;
      if (c === TP) tp++;
      else if (c === FP) fp++;
      else if (c === FN) fn++;
    }
    // A pixel is on the outline when a 4-neighbour has another class or it touches the image border.
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const c = cls[i];
        const edge =
          c !== 0 &&
          (x === 0 ||
            y === 0 ||
            x === width - 1 ||
            y === height - 1 ||
            cls[i - 1] !== c ||
            cls[i + 1] !== c ||
            cls[i - width] !== c ||
            cls[i + width] !== c);
        w32[i] = edge ? table[c] : 0;
      }
    }
  }
  if (w32.buffer !== out.buffer) out.set(new Uint8Array(w32.buffer));
  return { tp, fp, fn };
}

/**
 * Composites an RGBA `overlay` over `base` in place ("over": straight alpha, rounded); `base` has `channels` bytes per
 * pixel (3 = RGB, 4 = RGBA, whose alpha is kept). Fully transparent overlay pixels are skipped.
 */
export function compositeOver(
  base: Uint8Array | Uint8ClampedArray,
  channels: 3 | 4,
  overlay: Uint8Array | Uint8ClampedArray,
): void {
  const n = overlay.length >> 2;
  if (base.length !== n * channels)
    throw new RangeError(`base has ${base.length} bytes, expected ${n * channels} for ${n} pixels`);
  for (let i = 0, o = 0, b = 0; i < n; i++, o += 4, b += channels) {
    const a = overlay[o + 3];
    if (a === 0) continue;
    const inv = 255 - a;
    // (x·a + y·(255 − a)) / 255, rounded, without a division: (t + 128 + ((t + 128) >> 8)) >> 8 is exact for t ≤ 65025.
    let t = overlay[o] * a + base[b] * inv + 128;
    base[b] = (t + (t >> 8)) >> 8;
    t = overlay[o + 1] * a + base[b + 1] * inv + 128;
    base[b + 1] = (t + (t >> 8)) >> 8;
    t = overlay[o + 2] * a + base[b + 2] * inv + 128;
    base[b + 2] = (t + (t >> 8)) >> 8;
  }
}

/** The 0/1 mask of object `objId` in an index mask (annotation PNG). */
export function objectMask(index: Mask, objId: number): Mask {
  const data = new Uint8Array(index.data.length);
  for (let i = 0; i < data.length; i++) data[i] = index.data[i] === objId ? 1 : 0;
  return { width: index.width, height: index.height, data };
}
