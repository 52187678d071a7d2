// What YOFO's meta-transfer did for one frame, for the viewer: this frame's soft weight map W (the frame graph's `w`
// output: how much each feature pixel counts in the fit) as a small 8-bit map, and the memory entries the fit used
// with their share of the weight. The fit minimises Σ_i ‖W_i ⊙ (θX_i − Y_i)‖² / N over the valid memory entries plus
// the current frame, N = Σ_i Σ_p W_ip (training/yofo/meta_transfer.py), so an entry's share Σ_p W_ip / N is exactly its
// relative weight in the normal equations. Plain data (JSON- and structured-clone-safe): it crosses worker → host →
// webview and is stored in the result cache.

import { type MemoryEntry, sum } from './memoryRing';
import { resizeBilinear } from './resize';

/** W quantised to 0..255 (value / 255 ≈ the model's weight, itself in 0..1), row-major. */
export interface WeightMap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A memory entry the fit of a frame used. */
export interface MemoryUse {
  /** Clip frame index the entry came from. */
  frame: number;
  /** Mean of the entry's W over its pixels (0..1). */
  meanWeight: number;
  /** Its share of the fit's total weight N (0..1; the memory's shares and `selfShare` sum to 1). */
  share: number;
}

export interface FrameInsight {
  /** This frame's W. */
  weight: WeightMap;
  /** Mean of this frame's W (from the float values, before quantisation). */
  meanWeight: number;
  /** The valid memory entries when the fit ran for this frame, oldest first; empty at the first frame. */
  memory: MemoryUse[];
  /** The current frame's own share of the fit's total weight. */
  selfShare: number;
}

/** Longest side of a W map sent to the viewer; larger feature maps (big models) are resampled down to it. */
export const MAX_WEIGHT_MAP_SIDE = 128;

/** W (values in 0..1) of `width`×`height` as an 8-bit map no larger than `maxSide` on either side. */
export function quantizeWeightMap(
  w: Float32Array,
  width: number,
  height: number,
  maxSide = MAX_WEIGHT_MAP_SIDE,
): WeightMap {
  if (w.length !== width * height)
    throw new RangeError(`weight map has ${w.length} values, expected ${width}×${height}`);
  let values = w;
  let [outW, outH] = [width, height];
  if (Math.max(width, height) > maxSide) {
    const scale = maxSide / Math.max(width, height);
    outW = Math.max(1, Math.round(width * scale));
    outH = Math.max(1, Math.round(height * scale));
    values = resizeBilinear(w, width, height, 1, 'chw', outW, outH).data;
  }
  const data = new Uint8Array(outW * outH);
  for (let i = 0; i < data.length; i++) {
    const v = values[i];
    // NaN maps to 0: W is informative only, a broken value must not break the frame's mask.
    data[i] = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0;
  }
  return { width: outW, height: outH, data };
}

/**
 * The insight of the frame whose W is `w` (`width`×`height`), fitted over `memory` (the ring's entries before this
 * frame was pushed).
 */
export function frameInsight(
  w: Float32Array,
  width: number,
  height: number,
  memory: readonly MemoryEntry[],
): FrameInsight {
  const pixels = width * height;
  const own = sum(w);
  const total = own + memory.reduce((n, e) => n + e.weightSum, 0);
  const share = (s: number): number => (total > 0 ? s / total : 0);
  return {
    weight: quantizeWeightMap(w, width, height),
    meanWeight: own / pixels,
    memory: memory.map((e) => ({ frame: e.frame, meanWeight: e.weightSum / pixels, share: share(e.weightSum) })),
    selfShare: share(own),
  };
}
