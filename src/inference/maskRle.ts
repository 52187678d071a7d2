// Compact run-length encoding of 0/1 masks for the worker protocol and the result cache: alternating run lengths,
// starting with a run of zeros (possibly empty). A typical object mask needs a few hundred runs instead of W×H bytes.

import type { Mask } from '../core/types';

export interface RleMask {
  width: number;
  height: number;
  /** Alternating run lengths of 0 and 1 pixels, first run = zeros; they sum to width×height. */
  runs: Uint32Array;
}

export function encodeRle(mask: Mask): RleMask {
  const { data } = mask;
  const runs: number[] = [];
  let value = 0;
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] ? 1 : 0;
    if (v !== value) {
      runs.push(i - start);
      start = i;
      value = v;
    }
  }
  runs.push(data.length - start);
  return { width: mask.width, height: mask.height, runs: Uint32Array.from(runs) };
}

/** Decodes to a mask with pixel values 0 and `on` (1 by default; 255 for grayscale PNG output). */
export function decodeRle(rle: RleMask, on = 1): Mask {
  const size = rle.width * rle.height;
  const data = new Uint8Array(size);
  let pos = 0;
  for (let r = 0; r < rle.runs.length; r++) {
    const end = pos + rle.runs[r];
    if (end > size) throw new RangeError(`RLE runs exceed ${rle.width}×${rle.height}`);
    if (r % 2 === 1) data.fill(on, pos, end);
    pos = end;
  }
  if (pos !== size) throw new RangeError(`RLE runs cover ${pos} of ${size} pixels`);
  return { width: rle.width, height: rle.height, data };
}
