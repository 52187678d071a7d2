// Run-length view of a mask: for each row, the [start, end) column intervals of nonzero pixels.
// J and the boundary maps are computed from runs, so per-pixel work is limited to scanning the mask once, and that
// scan reads 32 bytes at a time through the background and 16 at a time
// through object interiors.

import type { Mask } from '../types';

const ONES = 0x01010101;
const HIGHS = 0x80808080;

export class RowRuns {
  width = 0;
  height = 0;
  /** Row y's runs are [rowStart[y], rowStart[y + 1]) in `starts` / `ends`. */
  rowStart = new Int32Array(1);
  starts = new Int32Array(256);
  /** Exclusive end column of each run. */
  ends = new Int32Array(256);

  /** Number of runs, and foreground pixel count. */
  count = 0;
  area = 0;

  private row = 0; // rows before `row` have their rowStart set while building

  /** Fills the runs of `mask`, reusing this object's arrays (no allocation once they are large enough). */
  compute(mask: Mask): this {
    const { width: w, height: h, data: d } = mask;
    this.reset(w, h);
    // Word reads need a 4-byte-aligned view; masks we decode ourselves always are, others fall back to bytes.
    const words = d.byteOffset % 4 === 0 ? new Uint32Array(d.buffer, d.byteOffset, d.length >> 2) : null;
    // One scan over the whole image, so empty rows cost no per-row work; only runs are cut at row ends.
    const total = w * h;
    for (let p = 0; p < total;) {
      const s = findNonZero(d, words, p, total);
      if (s < 0) break;
      const y = Math.floor(s / w);
      const base = y * w;
      const e = findZero(d, words, s + 1, base + w);
      this.push(y, s - base, e - base);
      p = e;
    }
    return this.finish();
  }

  /**
   * Runs of several objects of an index mask from one scan: outs[k] receives the pixels equal to values[k] (distinct
   * values, 0 allowed). `scratch` receives the nonzero runs; only the pixels inside them are read one by one.
   */
  static splitByValue(index: Mask, values: readonly number[], outs: readonly RowRuns[], scratch: RowRuns): void {
    const { width: w, height: h, data: d } = index;
    const slot = new Int16Array(256).fill(-1);
    values.forEach((v, k) => {
      outs[k].reset(w, h);
      slot[v] = k;
    });
    const zero = slot[0];
    const all = scratch.compute(index);
    for (let y = 0; y < h; y++) {
      const base = y * w;
      let gapStart = 0;
      for (let r = all.rowStart[y]; r < all.rowStart[y + 1]; r++) {
        if (zero >= 0 && all.starts[r] > gapStart) outs[zero].push(y, gapStart, all.starts[r]);
        const end = base + all.ends[r];
        for (let i = base + all.starts[r]; i < end;) {
          const v = d[i];
          let j = i + 1;
          while (j < end && d[j] === v) j++;
          const k = slot[v];
          if (k >= 0) outs[k].push(y, i - base, j - base);
          i = j;
        }
        gapStart = all.ends[r];
      }
      if (zero >= 0 && gapStart < w) outs[zero].push(y, gapStart, w);
    }
    for (let k = 0; k < values.length; k++) outs[k].finish();
  }

  /** Starts an empty mask of the given size (also how a missing prediction is represented). */
  reset(w: number, h: number): this {
    this.width = w;
    this.height = h;
    if (this.rowStart.length < h + 1) this.rowStart = new Int32Array(h + 1);
    this.count = 0;
    this.area = 0;
    this.row = 0;
    return this;
  }

  /** Appends run [s, e) of row y; rows must come in order. */
  push(y: number, s: number, e: number): void {
    while (this.row <= y) this.rowStart[this.row++] = this.count;
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = s;
    this.ends[this.count] = e;
    this.count++;
    this.area += e - s;
  }

  finish(): this {
    while (this.row <= this.height) this.rowStart[this.row++] = this.count;
    return this;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

/** Index of the first nonzero byte in [from, to), or -1. */
function findNonZero(d: Uint8Array, words: Uint32Array | null, from: number, to: number): number {
  let i = from;
  if (words) {
    for (; i < to && (i & 3) !== 0; i++) if (d[i] !== 0) return i;
    if (i >= to) return -1;
    let k = i >> 2;
    const kEnd = to >> 2;
    // Eight words per iteration: the loop overhead, not the memory, is the cost in JS.
    while (
      k + 8 <= kEnd &&
      (words[k] |
        words[k + 1] |
        words[k + 2] |
        words[k + 3] |
        words[k + 4] |
        words[k + 5] |
        words[k + 6] |
        words[k + 7]) ===
        0
    )
      k += 8;
    while (k < kEnd && words[k] === 0) k++;
    i = k << 2;
  }
  for (; i < to; i++) if (d[i] !== 0) return i;
  return -1;
}

/** Index of the first zero byte in [from, to), or `to`. Uses the exact "word has a zero byte" bit test. */
function findZero(d: Uint8Array, words: Uint32Array | null, from: number, to: number): number {
  let i = from;
  if (words) {
    for (; i < to && (i & 3) !== 0; i++) if (d[i] === 0) return i;
    if (i >= to) return to;
    let k = i >> 2;
    const kEnd = to >> 2;
    while (k + 4 <= kEnd) {
      const a = words[k];
      const b = words[k + 1];
      const c = words[k + 2];
      const e = words[k + 3];
      if ((((a - ONES) & ~a) | ((b - ONES) & ~b) | ((c - ONES) & ~c) | ((e - ONES) & ~e)) & HIGHS) break;
      k += 4;
    }
    while (k < kEnd && ((words[k] - ONES) & ~words[k] & HIGHS) === 0) k++;
    i = k << 2;
  }
  for (; i < to; i++) if (d[i] === 0) return i;
  return to;
}
