import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors';
import { decodeIndexMask } from '../../src/core/png';
import { boundaryF, boundaryTolerance, regionJ, RowRuns, scorePair, scoreRuns } from '../../src/core/scoring';
import type { Mask } from '../../src/core/types';

const FIXTURES = join(__dirname, '../fixtures/davis2017-masks'); // in the repository: never skipped

// ---- A deliberately literal port of /work/shared/reference/jf_ref.py: whole-image arrays, brute-force dilation. ----

function refRegionJ(gt: Mask, pred: Mask): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < gt.data.length; i++) {
    const a = gt.data[i] !== 0;
    const b = pred.data[i] !== 0;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union === 0 ? 1 : inter / union;
}

function refBoundaryMap(mask: Mask): boolean[][] {
  const { width: w, height: h } = mask;
  const m = (y: number, x: number) => mask.data[y * w + x] !== 0;
  const b: boolean[][] = [];
  for (let y = 0; y < h; y++) {
    b.push([]);
    for (let x = 0; x < w; x++) {
      // east / south / southeast are zero-filled where the neighbour is outside (np.zeros_like + slicing)
      const east = x + 1 < w ? m(y, x + 1) : false;
      const south = y + 1 < h ? m(y + 1, x) : false;
      const southeast = x + 1 < w && y + 1 < h ? m(y + 1, x + 1) : false;
      let v = m(y, x) !== east || m(y, x) !== south || m(y, x) !== southeast;
      if (y === h - 1) v = m(y, x) !== east; // b[-1, :] = m[-1, :] ^ east[-1, :]
      if (x === w - 1) v = m(y, x) !== south; // b[:, -1] = m[:, -1] ^ south[:, -1]
      if (y === h - 1 && x === w - 1) v = false;
      b[y].push(v);
    }
  }
  return b;
}

function refDilate(b: boolean[][], r: number): boolean[][] {
  const h = b.length;
  const w = b[0].length;
  const out = b.map((row) => row.map(() => false));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (dx * dx + dy * dy <= r * r && yy >= 0 && yy < h && xx >= 0 && xx < w && b[yy][xx]) out[y][x] = true;
        }
      }
    }
  }
  return out;
}

function refBoundaryF(gt: Mask, pred: Mask, boundTh = 0.008): number {
  const { width: w, height: h } = gt;
  const tol = boundTh >= 1 ? boundTh : Math.ceil(boundTh * Math.hypot(h, w));
  const r = Math.trunc(tol);
  const bp = refBoundaryMap(pred);
  const bg = refBoundaryMap(gt);
  const dp = refDilate(bp, r);
  const dg = refDilate(bg, r);
  let nP = 0;
  let nG = 0;
  let pHit = 0;
  let gHit = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (bp[y][x]) nP++;
      if (bg[y][x]) nG++;
      if (bp[y][x] && dg[y][x]) pHit++;
      if (bg[y][x] && dp[y][x]) gHit++;
    }
  }
  if (nP === 0 && nG === 0) return 1;
  if (nP === 0 || nG === 0) return 0;
  const precision = pHit / nP;
  const recall = gHit / nG;
  if (precision + recall === 0) return 0;
  return (2 * precision * recall) / (precision + recall);
}

// ---- Random masks ----

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Foreground value: mostly 1, sometimes 255 or another nonzero id, to check "nonzero = foreground". */
function fgValue(rand: () => number): number {
  const u = rand();
  return u < 0.6 ? 1 : u < 0.9 ? 255 : 1 + Math.floor(rand() * 254);
}

function randomMask(rand: () => number, w: number, h: number): Mask {
  const data = new Uint8Array(w * h);
  const kind = Math.floor(rand() * 6);
  const v = fgValue(rand);
  if (kind === 0) {
    // noise of random density
    const p = rand();
    for (let i = 0; i < data.length; i++) if (rand() < p) data[i] = v;
  } else if (kind === 1) {
    // empty
  } else if (kind === 2) {
    // a few single pixels (some on the borders)
    for (let k = 0; k < 1 + rand() * 4; k++) {
      const x = rand() < 0.3 ? w - 1 : Math.floor(rand() * w);
      const y = rand() < 0.3 ? h - 1 : Math.floor(rand() * h);
      data[y * w + x] = v;
    }
  } else if (kind === 3) {
    // full, with optional holes
    data.fill(v);
    if (rand() < 0.5) for (let k = 0; k < 3; k++) data[Math.floor(rand() * data.length)] = 0;
  } else {
    // blobs (ellipses and rectangles), often cut by the image border
    for (let k = 0; k < 1 + rand() * 3; k++) {
      const cx = rand() * w * 1.2 - w * 0.1;
      const cy = rand() * h * 1.2 - h * 0.1;
      const rx = 1 + rand() * w * 0.5;
      const ry = 1 + rand() * h * 0.5;
      const rect = rand() < 0.3;
      const add = rand() < 0.8;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const dx = (x - cx) / rx;
          const dy = (y - cy) / ry;
          const inside = rect ? Math.abs(dx) <= 1 && Math.abs(dy) <= 1 : dx * dx + dy * dy <= 1;
          if (inside) data[y * w + x] = add ? v : 0;
        }
      }
    }
  }
  return { width: w, height: h, data };
}

/** A random pair: the prediction is often a perturbed copy of the ground truth, so F is not always trivial. */
function randomPair(rand: () => number, w: number, h: number): [Mask, Mask] {
  const gt = randomMask(rand, w, h);
  if (rand() < 0.5) return [gt, randomMask(rand, w, h)];
  const pred = { width: w, height: h, data: Uint8Array.from(gt.data) };
  const flips = Math.floor(rand() * 0.05 * w * h) + 1;
  for (let k = 0; k < flips; k++) {
    const i = Math.floor(rand() * pred.data.length);
    pred.data[i] = pred.data[i] ? 0 : fgValue(rand);
  }
  if (rand() < 0.3) {
    // shift by one or two pixels
    const s = 1 + Math.floor(rand() * 2);
    pred.data.copyWithin(s, 0, pred.data.length - s);
  }
  return [gt, pred];
}

/** Same pixels at an odd byte offset: exercises the byte-by-byte path used for unaligned buffers. */
function unaligned(m: Mask): Mask {
  const buf = new Uint8Array(m.data.length + 1);
  buf.set(m.data, 1);
  return { width: m.width, height: m.height, data: buf.subarray(1) };
}

test('J and F equal a literal port of the reference on random masks of many shapes', () => {
  const rand = rng(12345);
  const sizes = [
    [1, 1],
    [1, 2],
    [2, 1],
    [1, 17],
    [23, 1],
    [2, 2],
    [3, 5],
    [7, 4],
    [9, 9],
    [16, 3],
    [31, 17],
    [40, 33],
    [64, 8],
    [97, 41],
  ];
  let cases = 0;
  for (const [w, h] of sizes) {
    for (let k = 0; k < 40; k++) {
      const [gt, pred] = randomPair(rand, w, h);
      const label = `${w}×${h} case ${k}`;
      const j = refRegionJ(gt, pred);
      assert.equal(regionJ(gt, pred), j, `J ${label}`);
      for (const th of [0.008, 0.05, 1, 2, 3.5, 12]) {
        const f = refBoundaryF(gt, pred, th);
        assert.equal(boundaryF(gt, pred, th), f, `F ${label} boundTh ${th}`);
      }
      const s = scorePair(gt, pred);
      assert.equal(s.J, j, `scorePair J ${label}`);
      assert.equal(s.F, refBoundaryF(gt, pred), `scorePair F ${label}`);
      if (k % 4 === 0) {
        const u = scorePair(unaligned(gt), unaligned(pred));
        assert.deepEqual(u, s, `unaligned ${label}`);
      }
      cases++;
    }
  }
  assert.ok(cases > 500);
});

test('special cases: empty, full and identical masks', () => {
  const w = 13;
  const h = 6;
  const empty = { width: w, height: h, data: new Uint8Array(w * h) };
  const full = { width: w, height: h, data: new Uint8Array(w * h).fill(1) };
  const dot = { width: w, height: h, data: new Uint8Array(w * h) };
  dot.data[2 * w + 5] = 1;
  assert.deepEqual(scorePair(empty, empty), { J: 1, F: 1 });
  assert.deepEqual(scorePair(dot, empty), { J: 0, F: 0 });
  assert.deepEqual(scorePair(empty, dot), { J: 0, F: 0 });
  assert.deepEqual(scorePair(dot, dot), { J: 1, F: 1 });
  // A full mask has no boundary pixels at all, so F compares two empty boundaries.
  assert.deepEqual(scorePair(full, full), { J: 1, F: 1 });
  assert.deepEqual(scorePair(full, empty), { J: 0, F: 1 });
  assert.equal(scorePair(full, dot).F, 0);
});

test('tolerance is ceil(0.008 × diagonal) for fractions and the value itself from 1 up', () => {
  assert.equal(boundaryTolerance(854, 480, 0.008), 8);
  assert.equal(boundaryTolerance(910, 480, 0.008), 9);
  assert.equal(boundaryTolerance(1280, 720, 0.008), 12);
  assert.equal(boundaryTolerance(10, 10, 3), 3);
  assert.equal(boundaryTolerance(10, 10, 2.7), 2);
});

test('a size mismatch is an InputError on the prediction naming the ground truth', () => {
  const gt = { width: 120, height: 60, data: new Uint8Array(7200) };
  const pred = { width: 100, height: 50, data: new Uint8Array(5000) };
  assert.throws(
    () => scorePair(gt, pred, 'gt/00000.png', 'pred/00000.png'),
    (err: unknown) =>
      err instanceof InputError &&
      err.file === 'pred/00000.png' &&
      err.problem === 'mask is 100×50 but ground truth gt/00000.png is 120×60',
  );
  assert.throws(() => regionJ(gt, pred), InputError);
  assert.throws(() => boundaryF(gt, pred), InputError);
});

test('every DAVIS fixture pair matches the reference evaluation within 1e-9', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
    pairs: { sequence: string; frame: string; object: number; J: number; F: number }[];
  };
  const cache = new Map<string, Mask>();
  const load = (method: string, seq: string, frame: string): Mask => {
    const file = join(FIXTURES, method, seq, `${frame}.png`);
    let m = cache.get(file);
    if (!m) cache.set(file, (m = decodeIndexMask(readFileSync(file), file)));
    return m;
  };
  const select = (m: Mask, id: number): Mask => ({
    width: m.width,
    height: m.height,
    data: m.data.map((v) => (v === id ? 1 : 0)),
  });
  assert.equal(expected.pairs.length, 798);
  for (const p of expected.pairs) {
    const gt = select(load('osvos', p.sequence, p.frame), p.object);
    const pred = select(load('rvos', p.sequence, p.frame), p.object);
    const s = scorePair(gt, pred);
    const label = `${p.sequence}/${p.frame} object ${p.object}`;
    assert.ok(Math.abs(s.J - p.J) <= 1e-9, `J ${label}: ${s.J} vs ${p.J}`);
    assert.ok(Math.abs(s.F - p.F) <= 1e-9, `F ${label}: ${s.F} vs ${p.F}`);
  }
});

test('RowRuns.splitByValue gives each object the runs of (index == id), background included', () => {
  const rand = rng(99);
  const outs = [new RowRuns(), new RowRuns(), new RowRuns(), new RowRuns()];
  const scratch = new RowRuns();
  const runsOf = (r: RowRuns) => ({
    rowStart: Array.from(r.rowStart.subarray(0, r.height + 1)),
    starts: Array.from(r.starts.subarray(0, r.count)),
    ends: Array.from(r.ends.subarray(0, r.count)),
    area: r.area,
  });
  for (const [w, h] of [
    [1, 1],
    [5, 1],
    [1, 6],
    [13, 7],
    [64, 9],
    [37, 21],
  ]) {
    for (let k = 0; k < 20; k++) {
      const data = new Uint8Array(w * h);
      const density = rand();
      for (let i = 0; i < data.length; i++) if (rand() < density) data[i] = [1, 2, 7, 255][Math.floor(rand() * 4)];
      if (rand() < 0.5) data.fill(2, 0, Math.floor(rand() * data.length)); // long runs across rows
      const index = { width: w, height: h, data };
      const ids = [2, 0, 7, 3]; // 3 is absent
      RowRuns.splitByValue(index, ids, outs, scratch);
      ids.forEach((id, j) => {
        const expected = new RowRuns().compute({ width: w, height: h, data: data.map((v) => (v === id ? 1 : 0)) });
        assert.deepEqual(runsOf(outs[j]), runsOf(expected), `${w}×${h} case ${k}, id ${id}`);
      });
      const pred = randomMask(rand, w, h);
      assert.deepEqual(
        scoreRuns(outs[0], new RowRuns().compute(pred)),
        scorePair({ ...index, data: data.map((v) => (v === 2 ? 1 : 0)) }, pred),
      );
    }
  }
});

test('scoreRuns: an empty run list stands for a missing prediction; size mismatch names both files', () => {
  const gt = { width: 6, height: 4, data: new Uint8Array(24) };
  gt.data.fill(1, 7, 16);
  const g = new RowRuns().compute(gt);
  const none = new RowRuns().reset(6, 4).finish();
  assert.deepEqual(scoreRuns(g, none), scorePair(gt, { width: 6, height: 4, data: new Uint8Array(24) }));
  assert.throws(
    () => scoreRuns(g, new RowRuns().reset(5, 4).finish(), 'gt.png', 'p.png'),
    (err: unknown) =>
      err instanceof InputError && err.file === 'p.png' && err.problem === 'mask is 5×4 but ground truth gt.png is 6×4',
  );
});
