// Pure parts of the inference pipeline: torch-exact bilinear resize, normalisation, logits → mask, memory ring, RLE.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { InputError } from '../../src/core/errors';
import { decodeRle, encodeRle } from '../../src/inference/maskRle';
import { MemoryRing } from '../../src/inference/memoryRing';
import { checkFinite, logitsToMask, NonFiniteLogitsError } from '../../src/inference/postprocess';
import { decodeRgb, preprocessFrame } from '../../src/inference/preprocess';
import { resizeBilinear } from '../../src/inference/resize';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

test('bilinear upsampling 2×2 → 4×4 matches torch interpolate(align_corners=False) by hand', () => {
  const out = resizeBilinear([0, 10, 20, 30], 2, 2, 1, 'chw', 4, 4);
  // Source coordinates (d + 0.5) / 2 − 0.5 clamped at 0: 0, 0.25, 0.75, 1.25 (→ last pixel).
  close(out.data, [0, 2.5, 7.5, 10, 5, 7.5, 12.5, 15, 15, 17.5, 22.5, 25, 20, 22.5, 27.5, 30], 1e-6);
});

test('bilinear downsampling has no antialiasing (samples between two pixels)', () => {
  close(resizeBilinear([0, 1, 2, 3], 4, 1, 1, 'chw', 2, 1).data, [0.5, 2.5], 1e-6);
  close(resizeBilinear([0, 3, 6], 3, 1, 1, 'chw', 2, 1).data, [0.75, 5.25], 1e-6);
  // Same size is the identity.
  close(resizeBilinear([1, 2, 3, 4, 5, 6], 3, 2, 1, 'chw', 3, 2).data, [1, 2, 3, 4, 5, 6], 0);
});

test('interleaved HWC input gives planar CHW output', () => {
  const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]); // 2×1 pixels
  const out = resizeBilinear(rgb, 2, 1, 3, 'hwc', 4, 1);
  close(out.data, [10, 17.5, 32.5, 40, 20, 27.5, 42.5, 50, 30, 37.5, 52.5, 60], 1e-5);
});

test('normalises (v/255 − mean)/std per channel after resizing', () => {
  const frame = { width: 1, height: 1, data: Uint8Array.from([255, 0, 51]) };
  const out = preprocessFrame(frame, { width: 2, height: 1, mean: [0.5, 0.25, 0], std: [0.5, 0.25, 2] });
  close(out, [1, 1, -1, -1, 0.1, 0.1], 1e-6);
});

const torchPython = '/usr/bin/python3';
const hasTorch =
  existsSync(torchPython) && spawnSync(torchPython, ['-c', 'import torch'], { timeout: 60_000 }).status === 0;

test(
  'resize equals torch.nn.functional.interpolate on a random image (up and down, odd sizes)',
  { skip: hasTorch ? false : 'skipped: /usr/bin/python3 with torch not available' },
  () => {
    const [w, h] = [37, 23];
    const src = new Uint8Array(w * h * 3);
    for (let i = 0; i < src.length; i++) src[i] = (i * 2654435761) >>> 24;
    const sizes: [number, number][] = [
      [16, 10],
      [80, 45],
      [37, 23],
      [5, 40],
    ];
    const script = `
import sys, json, torch, torch.nn.functional as F
d = json.load(sys.stdin)
x = torch.tensor(d["src"], dtype=torch.float32).reshape(1, ${h}, ${w}, 3).permute(0, 3, 1, 2)
print(json.dumps([F.interpolate(x, size=(hh, ww), mode="bilinear", align_corners=False).flatten().tolist() for ww, hh in d["sizes"]]))
`;
    const r = spawnSync(torchPython, ['-c', script], {
      input: JSON.stringify({ src: Array.from(src), sizes }),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    const expected = JSON.parse(r.stdout) as number[][];
    sizes.forEach(([dw, dh], k) => close(resizeBilinear(src, w, h, 3, 'hwc', dw, dh).data, expected[k], 1e-4));
  },
);

test('decodes JPEG and grayscale PNG files to RGB at the stored size; missing or corrupt files are InputErrors', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rvos-pre-'));
  try {
    const raw = Buffer.alloc(5 * 3 * 3, 200);
    await sharp(raw, { raw: { width: 5, height: 3, channels: 3 } })
      .jpeg({ quality: 100 })
      .toFile(path.join(dir, 'a.jpg'));
    await sharp(Buffer.alloc(4 * 2, 77), { raw: { width: 4, height: 2, channels: 1 } })
      .png()
      .toFile(path.join(dir, 'g.png'));
    const a = await decodeRgb(path.join(dir, 'a.jpg'));
    assert.deepEqual([a.width, a.height, a.data.length], [5, 3, 45]);
    assert.ok(Math.abs(a.data[0] - 200) <= 2);
    const g = await decodeRgb(path.join(dir, 'g.png'));
    assert.deepEqual(Array.from(g.data.slice(0, 6)), [77, 77, 77, 77, 77, 77]);
    await assert.rejects(
      decodeRgb(path.join(dir, 'none.jpg')),
      (e: unknown) => e instanceof InputError && /not found/.test(e.message),
    );
    await writeFile(path.join(dir, 'bad.jpg'), 'not a jpeg');
    await assert.rejects(
      decodeRgb(path.join(dir, 'bad.jpg')),
      (e: unknown) => e instanceof InputError && e.file.endsWith('bad.jpg'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('logits → mask: resized to the frame size, positive logits are the object', () => {
  const m = logitsToMask(Float32Array.from([-1, 1, 3, -3]), 2, 2, 4, 4);
  // Row 0 interpolates −1 → 1 (x = 0, .25, .75, 1): −1, −.5, .5, 1; row 3 interpolates 3 → −3.
  assert.deepEqual(Array.from(m.data.slice(0, 4)), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(m.data.slice(12)), [1, 1, 0, 0]);
  assert.deepEqual(Array.from(logitsToMask(Float32Array.from([0, 0.1]), 2, 1, 2, 1).data), [0, 1]);
});

test('non-finite logits are refused', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => checkFinite(Float32Array.from([0, 1, bad])),
      (e: unknown) => e instanceof NonFiniteLogitsError && e.index === 2,
    );
    assert.throws(() => logitsToMask(Float32Array.from([bad, 1]), 2, 1, 4, 2), NonFiniteLogitsError);
  }
});

test('memory ring fills slots in order, then overwrites the oldest', () => {
  const ring = new MemoryRing({ length: 3, channels: 2, height: 1, width: 1 });
  const entry = (v: number) => [[v, v], [-v, -v], [v / 10]] as const;
  assert.equal(ring.size, 0);
  assert.deepEqual(Array.from(ring.valid), [0, 0, 0]);
  for (const v of [1, 2]) ring.push(...entry(v));
  assert.deepEqual(Array.from(ring.valid), [1, 1, 0]);
  assert.deepEqual(Array.from(ring.x), [1, 1, 2, 2, 0, 0]);
  ring.push(...entry(3));
  assert.equal(ring.push(...entry(4)), 0); // the oldest (1) goes
  assert.equal(ring.size, 3);
  assert.deepEqual(Array.from(ring.x), [4, 4, 2, 2, 3, 3]);
  assert.deepEqual(Array.from(ring.y), [-4, -4, -2, -2, -3, -3]);
  close(ring.w, [0.4, 0.2, 0.3], 1e-7);
  assert.throws(() => ring.push([1], [1, 1], [1]), RangeError);
  ring.clear();
  assert.deepEqual([ring.size, ...ring.valid, ...ring.x], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('RLE round-trips masks, including empty, full and starting-with-object masks', () => {
  const cases = [
    [0, 0, 0, 0],
    [1, 1, 1, 1],
    [1, 0, 0, 1],
    [0, 1, 1, 0],
  ];
  for (const data of cases) {
    const mask = { width: 2, height: 2, data: Uint8Array.from(data) };
    const rle = encodeRle(mask);
    assert.equal(
      rle.runs.reduce((a, b) => a + b, 0),
      4,
    );
    assert.deepEqual(decodeRle(rle), mask);
    assert.deepEqual(
      Array.from(decodeRle(rle, 255).data),
      data.map((v) => v * 255),
    );
  }
  assert.deepEqual(
    Array.from(encodeRle({ width: 4, height: 1, data: Uint8Array.from([1, 1, 0, 1]) }).runs),
    [0, 2, 1, 1],
  );
  assert.throws(() => decodeRle({ width: 2, height: 1, runs: Uint32Array.from([1, 5]) }), RangeError);
  assert.throws(() => decodeRle({ width: 2, height: 1, runs: Uint32Array.from([1]) }), RangeError);
});

test('the clip frame cache reuses unchanged frames of the same clip, within its byte budget', async () => {
  const { ClipFrameCache } = await import('../../src/inference/clipFrameCache');
  const { utimes } = await import('node:fs/promises');
  const dir = await mkdtemp(path.join(tmpdir(), 'rvos-clipcache-'));
  try {
    const files = ['a', 'b'].map((n) => path.join(dir, n));
    for (const f of files) await writeFile(f, f);
    let prepared = 0;
    const prepare = async () => ({ image: new Float32Array(4).fill(++prepared), width: 1, height: 1 });
    const cache = new ClipFrameCache(64);
    for (const i of [0, 1, 0, 1]) await cache.get(files, i, 'in', prepare);
    assert.equal(prepared, 2, 'second pass served from the cache');
    await utimes(files[1], new Date(), new Date(Date.now() + 5000));
    assert.equal((await cache.get(files, 1, 'in', prepare)).image[0], 3, 'a rewritten frame is prepared again');
    await cache.get(files, 0, 'other-input', prepare);
    assert.equal(prepared, 4, 'other preprocessing: other entries');
    const small = new ClipFrameCache(16); // 2 frames × 16 bytes do not fit: nothing is kept
    for (const i of [0, 1, 0, 1]) await small.get(files, i, 'in', prepare);
    assert.equal(prepared, 8);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
