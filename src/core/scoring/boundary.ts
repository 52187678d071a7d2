// Boundary F-measure of the DAVIS 2017 evaluation, computed exactly but only where boundaries are.
//
// Boundary map (as the reference): a pixel is on the boundary when it differs from its east, south or south-east
// neighbour; the last row compares only with east, the last column only with south, the bottom-right pixel never is.
// With a(x) / s(x) the row and the row below, and a(w) := a(w - 1), s(w) := s(w - 1), every rule reads
//   b(x) = a(x) ≠ a(x+1)  ∨  a(x) ≠ s(x)  ∨  a(x) ≠ s(x+1),   with the row below taken as the row itself on the last row,
// so a row's boundary is its run ends plus two symmetric differences of run lists, found without visiting pixels.
//
// Tolerance match (as cv2.dilate with the disk x² + y² ≤ r², pixels outside the image not counting): a boundary
// pixel (x, y) of one map is matched when the other map has a boundary pixel (x + dx, y + dy) with dx² + dy² ≤ r².
// Instead of dilating whole images we sort the other map's boundary pixels by column and, for each |dx| ≤ r, look up
// the nearest row in column x + dx; it matches when its distance is at most floor(√(r² − dx²)). Pixels are visited in
// row order, so each column keeps a forward-only cursor and the lookups cost O(1) amortised.

import type { RowRuns } from './runs';

/** Past every column (kept an integer so V8 stays on small-integer arithmetic). */
const NONE = 0x7fffffff;

/** Boundary pixels of one mask, in row-major order, plus the same pixels grouped by column. */
class BoundaryPixels {
  count = 0;
  xs = new Int32Array(1024);
  ys = new Int32Array(1024);
  /** Column c's rows (ascending) are byColumn[colStart[c] .. colStart[c + 1]). */
  colStart = new Int32Array(0);
  byColumn = new Int32Array(1024);
  /** Per-column cursor used while the *other* map is matched against this one. */
  cursor = new Int32Array(0);
  /** stamp[x] === stampId when column x of the current row is already marked. */
  private stamp = new Int32Array(0);
  private stampId = 0;
  /** Coarse grid of 2^blockShift-pixel blocks: near[b] = 1 when a pixel of this map is in block b or a neighbour. */
  near = new Uint8Array(0);
  blockShift = 0;
  gridWidth = 0;

  private ensure(n: number): void {
    if (n <= this.xs.length) return;
    const cap = Math.max(n, this.xs.length * 2);
    const xs = new Int32Array(cap);
    const ys = new Int32Array(cap);
    xs.set(this.xs.subarray(0, this.count));
    ys.set(this.ys.subarray(0, this.count));
    this.xs = xs;
    this.ys = ys;
  }

  /** Collects the boundary pixels of a run-length mask, row by row (see the header for the rule). */
  extract(runs: RowRuns): this {
    const { width: w, height: h, rowStart, starts, ends } = runs;
    this.count = 0;
    if (this.stamp.length !== w) {
      this.stamp = new Int32Array(w);
      this.stampId = 0;
    }
    for (let y = 0; y < h; y++) {
      const a0 = rowStart[y];
      const a1 = rowStart[y + 1];
      const s0 = y + 1 < h ? a1 : a0;
      const s1 = y + 1 < h ? rowStart[y + 2] : a1;
      if (a0 === a1 && s0 === s1) continue;
      if (++this.stampId === 0x7fffffff) {
        this.stamp.fill(0);
        this.stampId = 1;
      }
      // a(x) ≠ a(x+1): just left of each run start and at each run's last pixel (not at the image edge).
      for (let i = a0; i < a1; i++) {
        if (starts[i] > 0) this.mark(starts[i] - 1, y);
        if (ends[i] < w) this.mark(ends[i] - 1, y);
      }
      this.markXor(runs, a0, a1, s0, s1, 0, y); // a(x) ≠ s(x)
      this.markXor(runs, a0, a1, s0, s1, 1, y); // a(x) ≠ s(x+1)
    }
    return this.groupByColumn(w);
  }

  /** Marks the pixels where row runs [a0, a1) differ from runs [b0, b1) shifted left by `shift` (0 or 1). */
  private markXor(runs: RowRuns, a0: number, a1: number, b0: number, b1: number, shift: number, y: number): void {
    const { width: w, starts, ends } = runs;
    let i = a0;
    let j = b0;
    let inA = false;
    let inB = false;
    let from = 0;
    for (;;) {
      // Shifting a run left by one: [s, e) → [s − 1, e − 1), clipped at 0; a run reaching the right edge keeps
      // reaching it because s(w) is defined as s(w − 1). A run [0, 1) shifts out of the image entirely.
      let bs = 0;
      let be = 0;
      while (j < b1) {
        bs = Math.max(starts[j] - shift, 0);
        be = ends[j] === w ? w : ends[j] - shift;
        if (be > bs) break;
        j++;
      }
      const pa = i < a1 ? (inA ? ends[i] : starts[i]) : NONE;
      const pb = j < b1 ? (inB ? be : bs) : NONE;
      const p = Math.min(pa, pb);
      if (p === NONE) return;
      const before = inA !== inB;
      if (pa === p) {
        if (inA) i++;
        inA = !inA;
      }
      if (pb === p) {
        if (inB) j++;
        inB = !inB;
      }
      const after = inA !== inB;
      if (!before && after) from = p;
      else if (before && !after) for (let x = from; x < p; x++) this.mark(x, y);
    }
  }

  /** Adds pixel (x, y) once: the three rules above overlap. */
  private mark(x: number, y: number): void {
    if (this.stamp[x] === this.stampId) return;
    this.stamp[x] = this.stampId;
    if (this.count === this.xs.length) this.ensure(this.count + 1);
    this.xs[this.count] = x;
    this.ys[this.count] = y;
    this.count++;
  }

  /** Counting sort by column; stable, so each column's rows stay ascending. */
  private groupByColumn(w: number): this {
    if (this.colStart.length < w + 1) {
      this.colStart = new Int32Array(w + 1);
      this.cursor = new Int32Array(w + 1);
    }
    if (this.byColumn.length < this.count) this.byColumn = new Int32Array(this.xs.length);
    const start = this.colStart;
    start.fill(0, 0, w + 1);
    for (let i = 0; i < this.count; i++) start[this.xs[i] + 1]++;
    for (let c = 0; c < w; c++) start[c + 1] += start[c];
    const cursor = this.cursor;
    cursor.set(start.subarray(0, w + 1));
    for (let i = 0; i < this.count; i++) this.byColumn[cursor[this.xs[i]]++] = this.ys[i];
    cursor.set(start.subarray(0, w + 1)); // reset for matching
    return this;
  }

  /**
   * Marks the blocks near this map's pixels. Blocks are at least r wide, so every pixel within reach of one of ours
   * lies in a marked block: a pixel in an unmarked block is unmatched without any column lookup.
   */
  buildNearGrid(w: number, h: number, r: number): void {
    let shift = 3;
    while (1 << shift < r) shift++;
    const gw = ((w - 1) >> shift) + 1;
    const gh = ((h - 1) >> shift) + 1;
    if (this.near.length < gw * gh) this.near = new Uint8Array(gw * gh);
    const near = this.near;
    near.fill(0, 0, gw * gh);
    let lastBlock = -1;
    for (let i = 0; i < this.count; i++) {
      const bx = this.xs[i] >> shift;
      const by = this.ys[i] >> shift;
      const block = by * gw + bx;
      if (block === lastBlock) continue; // consecutive pixels mostly share a block
      lastBlock = block;
      for (let yy = Math.max(0, by - 1); yy <= Math.min(gh - 1, by + 1); yy++) {
        for (let xx = Math.max(0, bx - 1); xx <= Math.min(gw - 1, bx + 1); xx++) near[yy * gw + xx] = 1;
      }
    }
    this.blockShift = shift;
    this.gridWidth = gw;
  }

  /** How many of `this` map's pixels have a pixel of `other` within the disk (see header); needs other's grid. */
  countMatchedIn(other: BoundaryPixels, w: number, disk: DiskOffsets): number {
    const { dxs, maxDy } = disk;
    const start = other.colStart;
    const rows = other.byColumn;
    const cursor = other.cursor;
    const { near, blockShift: shift, gridWidth: gw } = other;
    cursor.set(start.subarray(0, w + 1));
    let matched = 0;
    for (let i = 0; i < this.count; i++) {
      const x = this.xs[i];
      const y = this.ys[i];
      if (near[(y >> shift) * gw + (x >> shift)] === 0) continue;
      for (let k = 0; k < dxs.length; k++) {
        const c = x + dxs[k];
        if (c < 0 || c >= w) continue;
        const s = start[c];
        const e = start[c + 1];
        if (s === e) continue;
        let p = cursor[c];
        while (p < e && rows[p] < y) p++;
        cursor[c] = p;
        const lim = maxDy[k];
        if ((p < e && rows[p] - y <= lim) || (p > s && y - rows[p - 1] <= lim)) {
          matched++;
          break;
        }
      }
    }
    return matched;
  }
}

/** Column offsets of a disk, nearest first (so matched pixels stop early), with the row reach at each offset. */
interface DiskOffsets {
  dxs: Int32Array;
  maxDy: Int32Array;
}

const diskCache = new Map<number, DiskOffsets>();

function diskOffsets(r: number): DiskOffsets {
  let disk = diskCache.get(r);
  if (!disk) {
    const dxs = new Int32Array(2 * r + 1);
    const maxDy = new Int32Array(2 * r + 1);
    for (let k = 0, i = 0; k <= r; k++) {
      const v = r * r - k * k;
      let m = Math.floor(Math.sqrt(v));
      while (m * m > v) m--;
      while ((m + 1) * (m + 1) <= v) m++;
      for (const dx of k === 0 ? [0] : [k, -k]) {
        dxs[i] = dx;
        maxDy[i++] = m;
      }
    }
    disk = { dxs, maxDy };
    diskCache.set(r, disk);
  }
  return disk;
}

/**
 * Radius of the tolerance disk: `boundTh` pixels when ≥ 1, else ceil(boundTh · image diagonal), truncated to an
 * integer like the reference's disk(). sqrt(h² + w²) of integers is correctly rounded, as Python's math.hypot.
 */
export function boundaryTolerance(width: number, height: number, boundTh: number): number {
  const tol = boundTh >= 1 ? boundTh : Math.ceil(boundTh * Math.sqrt(height * height + width * width));
  return Math.trunc(tol);
}

// Scratch reused across calls: scoring runs thousands of pairs and must not allocate per pair.
const gtPixels = new BoundaryPixels();
const predPixels = new BoundaryPixels();

/** Boundary F-measure of two same-sized run-length masks. */
export function boundaryFromRuns(g: RowRuns, p: RowRuns, boundTh: number): number {
  const bg = gtPixels.extract(g);
  const bp = predPixels.extract(p);
  const nG = bg.count;
  const nP = bp.count;
  if (nP === 0 && nG === 0) return 1;
  if (nP === 0 || nG === 0) return 0;
  const r = boundaryTolerance(g.width, g.height, boundTh);
  const disk = diskOffsets(r);
  bg.buildNearGrid(g.width, g.height, r);
  bp.buildNearGrid(g.width, g.height, r);
  const precision = bp.countMatchedIn(bg, g.width, disk) / nP;
  const recall = bg.countMatchedIn(bp, g.width, disk) / nG;
  if (precision + recall === 0) return 0;
  return (2 * precision * recall) / (precision + recall);
}
