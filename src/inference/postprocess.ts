// Postprocessing of the YOFO contract: mask logits at model input size → bilinear half-pixel resize to the frame's
// original size → mask = logit > 0. Non-finite logits mean a broken model or input, never a mask.

import type { Mask } from '../core/types';
import { resizeBilinear } from './resize';

export class NonFiniteLogitsError extends Error {
  constructor(readonly index: number) {
    super(`the model produced a non-finite logit (NaN or ±Infinity) at pixel ${index}`);
    this.name = 'NonFiniteLogitsError';
  }
}

/** Throws NonFiniteLogitsError when any logit is NaN or infinite. */
export function checkFinite(logits: Float32Array): void {
  for (let i = 0; i < logits.length; i++) {
    // x - x is NaN exactly for NaN and ±Infinity; cheaper than Number.isFinite per element.
    if (logits[i] - logits[i] !== 0) throw new NonFiniteLogitsError(i);
  }
}

/** A 0/1 mask of width×height from logits of logitWidth×logitHeight. */
export function logitsToMask(
  logits: Float32Array,
  logitWidth: number,
  logitHeight: number,
  width: number,
  height: number,
): Mask {
  checkFinite(logits);
  const data = new Uint8Array(width * height);
  if (logitWidth === width && logitHeight === height) {
    for (let i = 0; i < data.length; i++) data[i] = logits[i] > 0 ? 1 : 0;
  } else {
    const resized = resizeBilinear(logits, logitWidth, logitHeight, 1, 'chw', width, height).data;
    for (let i = 0; i < data.length; i++) data[i] = resized[i] > 0 ? 1 : 0;
  }
  return { width, height, data };
}
