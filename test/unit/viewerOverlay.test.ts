import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mask } from '../../src/core/types';
import { encodeRle } from '../../src/inference/maskRle';
import { maskFromMessage } from '../../src/webview/clipViewer/masks';
import { outlineOf, paintMask, parseColor, type RgbaBuffer } from '../../src/webview/clipViewer/overlay';

const mask = (rows: string[]): Mask => ({
  width: rows[0].length,
  height: rows.length,
  data: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
});
const buffer = (w: number, h: number): RgbaBuffer => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) });
const pixel = (b: RgbaBuffer, x: number, y: number) => [
  ...b.data.slice((y * b.width + x) * 4, (y * b.width + x) * 4 + 4),
];

test('parseColor: hex and the rgb()/rgba() forms getComputedStyle returns', () => {
  assert.deepEqual(parseColor('#0f8'), [0, 255, 136]);
  assert.deepEqual(parseColor('#12AB34'), [0x12, 0xab, 0x34]);
  assert.deepEqual(parseColor('#12ab34cc'), [0x12, 0xab, 0x34]);
  assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3]);
  assert.deepEqual(parseColor(' rgba(10, 20, 30, 0.5) '), [10, 20, 30]);
  assert.deepEqual(parseColor('rgb(10 20 30 / 50%)'), [10, 20, 30]);
  for (const bad of ['', 'red', '#12', 'rgb(300, 0, 0)', 'hsl(0, 0%, 0%)'])
    assert.equal(parseColor(bad), undefined, bad);
});

test('outline: foreground pixels touching background or the border', () => {
  const m = mask(['.....', '.###.', '.###.', '.###.', '.....']);
  assert.deepEqual(outlineOf(m), mask(['.....', '.###.', '.#.#.', '.###.', '.....']).data);
  const full = mask(['###', '###', '###']);
  assert.deepEqual(outlineOf(full), mask(['###', '#.#', '###']).data);
});

test('fill paints exactly the mask with the colour at the given alpha', () => {
  const m = mask(['#.', '.#']);
  const b = buffer(2, 2);
  paintMask(b, m, [200, 100, 0], 0.5, 'fill');
  assert.deepEqual(pixel(b, 0, 0), [200, 100, 0, 128]);
  assert.deepEqual(pixel(b, 1, 0), [0, 0, 0, 0]);
  assert.deepEqual(pixel(b, 1, 1), [200, 100, 0, 128]);
});

test('a second mask composites source-over the first where they overlap', () => {
  const b = buffer(2, 1);
  paintMask(b, mask(['##']), [0, 255, 0], 0.5, 'fill');
  paintMask(b, mask(['#.']), [255, 0, 0], 0.5, 'fill');
  // the first coat is stored as alpha 128/255 = 0.502; out alpha 0.5 + 0.502·0.5 = 0.751 (192);
  // red 255·0.5/0.751 = 170, green 255·0.502·0.5/0.751 = 85
  assert.deepEqual(pixel(b, 0, 0), [170, 85, 0, 192]);
  assert.deepEqual(pixel(b, 1, 0), [0, 255, 0, 128]);
});

test('outline mode draws the outline opaquely and leaves the inside clear; opacity 0 fill draws nothing', () => {
  const m = mask(['###', '###', '###']);
  const b = buffer(3, 3);
  paintMask(b, m, [1, 2, 3], 0.2, 'outline');
  assert.deepEqual(pixel(b, 0, 0), [1, 2, 3, 255]);
  assert.deepEqual(pixel(b, 1, 1), [0, 0, 0, 0]);
  const empty = buffer(3, 3);
  paintMask(empty, m, [1, 2, 3], 0, 'fill');
  assert.ok(empty.data.every((v) => v === 0));
  assert.throws(() => paintMask(buffer(2, 2), m, [0, 0, 0], 1, 'fill'), /3×3 but the overlay is 2×2/);
});

test('masks survive the message in any serialisation of the runs', () => {
  const m = mask(['.##.', '#..#', '.##.']);
  const rle = encodeRle(m);
  assert.deepEqual(maskFromMessage(rle), m);
  assert.deepEqual(maskFromMessage({ ...rle, runs: [...rle.runs] as unknown as Uint32Array }), m);
  assert.deepEqual(maskFromMessage(JSON.parse(JSON.stringify(rle))), m);
  assert.throws(() => maskFromMessage({ width: 4, height: 3, runs: Uint32Array.of(5) }), RangeError);
});
