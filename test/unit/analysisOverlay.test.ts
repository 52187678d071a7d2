// Difference overlay: colours per class, fill and outline, opacity, counts, and compositing over a frame.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compositeOver,
  diffCounts,
  diffOverlay,
  objectMask,
  type DiffColours,
} from '../../src/core/analysis/diffOverlay';
import { rectMask } from '../helpers/tinyDataset';

const COLOURS: DiffColours = { tp: [0, 200, 0], fp: [250, 0, 0], fn: [0, 0, 240] };
const W = 16;
const H = 12;
// Ground truth x 2..8, prediction x 5..11, rows 2..8: TP x 5..8, FN x 2..5, FP x 8..11 (each 3×6 = 18 px).
const gt = rectMask([[1, 2, 2, 8, 8]]);
const pred = rectMask([[255, 5, 2, 11, 8]]);

const px = (buf: Uint8ClampedArray, x: number, y: number) => [...buf.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)];

describe('diffOverlay', () => {
  it('fills TP, FP and FN with their colours at the opacity, transparent elsewhere, and counts them', () => {
    const out = new Uint8ClampedArray(W * H * 4).fill(7); // stale content must be overwritten
    const counts = diffOverlay(gt, pred, out, { colours: COLOURS, opacity: 0.5 });
    assert.deepEqual(counts, { tp: 18, fp: 18, fn: 18 });
    assert.deepEqual(counts, diffCounts(gt, pred));
    assert.deepEqual(px(out, 6, 4), [0, 200, 0, 128]);
    assert.deepEqual(px(out, 9, 4), [250, 0, 0, 128]);
    assert.deepEqual(px(out, 3, 4), [0, 0, 240, 128]);
    assert.deepEqual(px(out, 0, 0), [0, 0, 0, 0]);
    assert.deepEqual(px(out, 12, 4), [0, 0, 0, 0]);
    diffOverlay(gt, pred, out, { colours: COLOURS, opacity: 2 });
    assert.equal(px(out, 6, 4)[3], 255); // clamped
  });

  it('outlines each region on its border only, with the same counts', () => {
    const out = new Uint8ClampedArray(W * H * 4);
    const counts = diffOverlay(gt, pred, out, { colours: COLOURS, opacity: 1, mode: 'outline' });
    assert.deepEqual(counts, { tp: 18, fp: 18, fn: 18 });
    // The 3×6 TP region: its middle column (x 6) is interior except at the top and bottom rows.
    assert.deepEqual(px(out, 5, 4), [0, 200, 0, 255]);
    assert.deepEqual(px(out, 6, 4), [0, 0, 0, 0]);
    assert.deepEqual(px(out, 6, 2), [0, 200, 0, 255]);
    assert.deepEqual(px(out, 10, 4), [250, 0, 0, 255]);
    const big = rectMask([[1, 1, 1, 15, 11]]);
    diffOverlay(big, big, out, { colours: COLOURS, opacity: 1, mode: 'outline' });
    assert.deepEqual(px(out, 1, 1), [0, 200, 0, 255]);
    assert.deepEqual(px(out, 7, 5), [0, 0, 0, 0]);
    assert.deepEqual(px(out, 14, 10), [0, 200, 0, 255]);
    const full = rectMask([[1, 0, 0, W, H]]);
    diffOverlay(full, full, out, { colours: COLOURS, opacity: 1, mode: 'outline' });
    assert.deepEqual(px(out, 0, 5), [0, 200, 0, 255]); // the image border counts as a border
    assert.deepEqual(px(out, 5, 5), [0, 0, 0, 0]);
  });

  it('works on an unaligned buffer view and refuses mismatched sizes', () => {
    const backing = new Uint8ClampedArray(W * H * 4 + 1);
    const out = backing.subarray(1);
    diffOverlay(gt, pred, out, { colours: COLOURS, opacity: 1 });
    assert.deepEqual(px(out, 9, 4), [250, 0, 0, 255]);
    assert.throws(() => diffOverlay(gt, rectMask([], 8, 8), out, { colours: COLOURS }), RangeError);
    assert.throws(() => diffOverlay(gt, pred, new Uint8ClampedArray(4), { colours: COLOURS }), RangeError);
  });

  it('composites over RGB and RGBA frames with rounded straight-alpha blending', () => {
    const overlay = new Uint8ClampedArray([255, 0, 0, 128, 10, 20, 30, 0, 0, 0, 255, 255]);
    const rgb = new Uint8Array([0, 0, 0, 1, 2, 3, 100, 100, 100]);
    compositeOver(rgb, 3, overlay);
    // 255·128/255 = 128; 0·128 + 0·127 = 0. Transparent pixel untouched. Opaque replaces.
    assert.deepEqual([...rgb], [128, 0, 0, 1, 2, 3, 0, 0, 255]);
    const rgba = new Uint8Array([200, 200, 200, 255, 0, 0, 0, 0, 0, 0, 0, 9]);
    compositeOver(rgba, 4, overlay);
    assert.deepEqual(
      [...rgba],
      [
        Math.round((255 * 128 + 200 * 127) / 255),
        Math.round((200 * 127) / 255),
        Math.round((200 * 127) / 255),
        255,
        0,
        0,
        0,
        0,
        0,
        0,
        255,
        9,
      ],
    );
    // Exact rounding for every alpha and value pair.
    for (let a = 0; a < 256; a += 5) {
      for (let x = 0; x < 256; x += 15) {
        const base = new Uint8Array([77, 0, 255]);
        compositeOver(base, 3, new Uint8Array([x, x, x, a]));
        if (a === 0) continue;
        assert.deepEqual(
          [...base],
          [77, 0, 255].map((y) => Math.round((x * a + y * (255 - a)) / 255)),
          `a=${a} x=${x}`,
        );
      }
    }
    assert.throws(() => compositeOver(new Uint8Array(5), 3, overlay), RangeError);
  });

  it('objectMask selects one id of an index mask', () => {
    const m = objectMask(
      rectMask(
        [
          [1, 0, 0, 2, 2],
          [2, 2, 0, 4, 2],
        ],
        4,
        2,
      ),
      2,
    );
    assert.deepEqual([...m.data], [0, 0, 1, 1, 0, 0, 1, 1]);
  });
});
