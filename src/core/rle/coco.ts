// COCO run-length encoded masks ("compressed RLE", as pycocotools writes them): the mask is read in column-major
// order as alternating runs of 0s and 1s, starting with 0s. The string form stores each run length as a signed
// little-endian base-32 number in characters '0' + (0..63): 5 bits per character, bit 0x20 = another character
// follows, bit 0x10 of the last character = negative. From the fourth run on, the stored value is the difference to
// the run two places earlier. Written from that description; decoding paints straight into a row-major mask.

import type { Mask } from '../types';

/** One mask as stored in JSON: `size` is [height, width]; `counts` the compressed string or the plain run lengths. */
export interface CocoRle {
  size: [number, number];
  counts: string | number[];
}

/** A malformed RLE; callers add the file and the place (anno_id, frame) to the message. */
export class RleError extends Error {}

const ZERO = 48;
const MAX_CHARS_PER_VALUE = 7; // 35 bits: more than any run length of an image we accept

/** The run lengths of a compressed counts string. */
export function decodeCounts(counts: string): number[] {
  const runs: number[] = [];
  let p = 0;
  while (p < counts.length) {
    let value = 0;
    let scale = 1;
    for (let k = 0; ; k++) {
      if (p >= counts.length) throw new RleError(`counts string ends inside a run length (at character ${p})`);
      if (k === MAX_CHARS_PER_VALUE) throw new RleError(`run length at character ${p} is too long`);
      const c = counts.charCodeAt(p++) - ZERO;
      if (c < 0 || c > 63)
        throw new RleError(`character ${JSON.stringify(counts[p - 1])} at ${p - 1} is not an RLE digit ('0'…'o')`);
      value += (c & 0x1f) * scale;
      scale *= 32;
      if ((c & 0x20) === 0) {
        if (c & 0x10) value -= scale; // sign extension of the last 5-bit group
        break;
      }
    }
    if (runs.length > 2) value += runs[runs.length - 2];
    runs.push(value);
  }
  return runs;
}

/** The compressed counts string of run lengths (the inverse of decodeCounts). */
export function encodeCounts(runs: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < runs.length; i++) {
    let x = runs[i] - (i > 2 ? runs[i - 2] : 0);
    for (;;) {
      const c = x & 0x1f;
      x = Math.floor(x / 32);
      const more = c & 0x10 ? x !== -1 : x !== 0;
      out += String.fromCharCode(ZERO + (more ? c | 0x20 : c));
      if (!more) break;
    }
  }
  return out;
}

/** Checks run lengths against the mask size: non-negative, summing to height × width. */
function checkRuns(runs: readonly number[], height: number, width: number): void {
  let total = 0;
  for (let i = 0; i < runs.length; i++) {
    if (runs[i] < 0 || !Number.isInteger(runs[i])) throw new RleError(`run ${i} has length ${runs[i]}`);
    total += runs[i];
  }
  if (total !== height * width)
    throw new RleError(`runs cover ${total} pixels but size ${height}×${width} has ${height * width}`);
}

/** Validates a parsed JSON value as an RLE; its size must be positive integers. */
export function asCocoRle(value: unknown): CocoRle {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new RleError('expected {"size": [h, w], "counts": …} or null');
  const { size, counts } = value as Record<string, unknown>;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && (n as number) > 0)) {
    throw new RleError(`"size" is ${JSON.stringify(size)}; expected [height, width]`);
  }
  if (typeof counts !== 'string' && !(Array.isArray(counts) && counts.every((n) => typeof n === 'number'))) {
    throw new RleError('"counts" is neither an RLE string nor a list of run lengths');
  }
  return { size: size as [number, number], counts };
}

/** Run lengths of an RLE, checked against its size. */
export function rleRuns(rle: CocoRle): number[] {
  const runs = typeof rle.counts === 'string' ? decodeCounts(rle.counts) : rle.counts;
  checkRuns(runs, rle.size[0], rle.size[1]);
  return runs;
}

/**
 * Sets to 1 the foreground pixels of `rle` in a row-major mask of the same size (a union when called repeatedly), or
 * with 'add' adds 1 to them in uint8 arithmetic (a sum, as numpy's `+=` on uint8 masks).
 */
export function paintRle(rle: CocoRle, target: Mask, mode: 'set' | 'add' = 'set'): void {
  const [height, width] = rle.size;
  if (height !== target.height || width !== target.width) {
    throw new RleError(`RLE size is ${width}×${height} but the frame is ${target.width}×${target.height}`);
  }
  const runs = rleRuns(rle);
  const data = target.data;
  let pos = 0;
  for (let i = 0; i < runs.length; i++) {
    const end = pos + runs[i];
    if (i & 1) {
      // Foreground run [pos, end) in column-major order: whole or partial columns.
      let x = Math.floor(pos / height);
      let y = pos - x * height;
      for (let p = pos; p < end;) {
        const stop = Math.min(end - p, height - y) + y;
        if (mode === 'set') for (let yy = y, k = y * width + x; yy < stop; yy++, k += width) data[k] = 1;
        else for (let yy = y, k = y * width + x; yy < stop; yy++, k += width) data[k]++;
        p += stop - y;
        y = 0;
        x++;
      }
    }
    pos = end;
  }
}

/** The RLE of a row-major mask (nonzero = foreground), with a compressed counts string. */
export function encodeRle(mask: Mask): CocoRle {
  const { width, height, data } = mask;
  const runs: number[] = [];
  let current = 0;
  let length = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0, k = x; y < height; y++, k += width) {
      const v = data[k] !== 0 ? 1 : 0;
      if (v !== current) {
        runs.push(length);
        current = v;
        length = 0;
      }
      length++;
    }
  }
  runs.push(length);
  return { size: [height, width], counts: encodeCounts(runs) };
}
