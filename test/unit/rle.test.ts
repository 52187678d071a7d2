// COCO compressed RLE: hand-worked strings, round trips on random masks, and the errors of malformed input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/random';
import {
  decodeCounts,
  encodeCounts,
  encodeRle,
  paintRle,
  RleError,
  rleRuns,
  type CocoRle,
} from '../../src/core/rle/coco';
import type { Mask } from '../../src/core/types';

function decode(rle: CocoRle): Mask {
  const mask = { width: rle.size[1], height: rle.size[0], data: new Uint8Array(rle.size[0] * rle.size[1]) };
  paintRle(rle, mask);
  return mask;
}

test('counts strings worked by hand: small values, a value of two characters, a negative delta', () => {
  assert.deepEqual(decodeCounts('121'), [1, 2, 1]);
  // 40 = 0b01000 01000: low group 8 with the continuation bit (8 | 32 = 40 → 'X'), then 1 → '1'.
  assert.deepEqual(decodeCounts('X1'), [40]);
  // The fourth run is stored as a delta to the second: 2 - 5 = -3 → 29 (sign bit 0x10 set) → 'M'.
  assert.deepEqual(decodeCounts('05:M'), [0, 5, 10, 2]);
  assert.equal(encodeCounts([0, 5, 10, 2]), '05:M');
  assert.equal(encodeCounts([40]), 'X1');
});

test('a 3×2 mask: runs are column-major and start with background', () => {
  // Column 0 = rows (0, 1, 2) = (0, 1, 1); column 1 = (1, 0, 0): runs 1 bg, 3 fg, 2 bg.
  const rle: CocoRle = { size: [3, 2], counts: encodeCounts([1, 3, 2]) };
  assert.deepEqual([...decode(rle).data], [0, 1, 1, 0, 1, 0]);
  assert.deepEqual(encodeRle({ width: 2, height: 3, data: Uint8Array.from([0, 1, 1, 0, 1, 0]) }), rle);
});

test('encodeRle then paintRle gives the mask back (random masks, sizes and densities)', () => {
  const rng = new Rng('rle');
  for (let n = 0; n < 200; n++) {
    const width = rng.int(1, 70);
    const height = rng.int(1, 70);
    const p = rng.float();
    const data = Uint8Array.from({ length: width * height }, () => (rng.chance(p) ? rng.int(1, 255) : 0));
    const back = decode(encodeRle({ width, height, data }));
    assert.deepEqual(
      back.data,
      data.map((v) => (v ? 1 : 0)),
      `${width}×${height}`,
    );
  }
});

test('paintRle makes a union; plain run-length lists are accepted too', () => {
  const mask = { width: 2, height: 2, data: new Uint8Array(4) };
  paintRle({ size: [2, 2], counts: [0, 1, 3] }, mask);
  paintRle({ size: [2, 2], counts: [3, 1] }, mask);
  assert.deepEqual([...mask.data], [1, 0, 0, 1]);
});

test('malformed RLEs are RleErrors that say what is wrong', () => {
  assert.throws(
    () => decodeCounts('1 2'),
    (e: unknown) => e instanceof RleError && /character " " at 1 is not an RLE digit/.test(e.message),
  );
  assert.throws(
    () => decodeCounts('1X'),
    (e: unknown) => e instanceof RleError && /ends inside a run length/.test(e.message),
  );
  assert.throws(
    () => rleRuns({ size: [2, 2], counts: '15' }),
    (e: unknown) => e instanceof RleError && /runs cover 6 pixels but size 2×2 has 4/.test(e.message),
  );
  assert.throws(() => rleRuns({ size: [2, 2], counts: [1, 1] }), /runs cover 2 pixels but size 2×2 has 4/);
  assert.throws(
    () => paintRle({ size: [2, 3], counts: [6] }, { width: 2, height: 2, data: new Uint8Array(4) }),
    /RLE size is 3×2 but the frame is 2×2/,
  );
});
