// YOFO insight from the inference side: each frame's W map (the frame graph's `w` output, 8-bit) and the memory frames
// the meta-transfer fit used, run with the real worker and the tiny test model, and kept through the result cache.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { Mask } from '../../src/core/types';
import { frameInsight, quantizeWeightMap, type FrameInsight } from '../../src/inference/frameInsight';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { MemoryRing } from '../../src/inference/memoryRing';
import { decodeRgb, preprocessFrame } from '../../src/inference/preprocess';
import { ResultCache } from '../../src/inference/resultCache';
import { YofoRunner } from '../../src/inference/yofoRunner';
import { TINY_STRIDE, writeTinyModel, type TinyModel } from './inferenceTinyModel';

let dir: string;
let tiny: TinyModel;
let frames: string[];
let client: InferenceClient;
const FRAMES = 7;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rvos-insight-'));
  // 32×16 input, memory of 3: W maps are 8×4 and the ring wraps twice over 7 frames.
  tiny = await writeTinyModel(path.join(dir, 'tiny'), { width: 32, height: 16, memory: 3 });
  frames = [];
  for (let k = 0; k < FRAMES; k++) {
    const raw = Buffer.alloc(48 * 24 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = ((i % 97) * 3 + k * 50 + (i % 5) * 20) % 256;
    frames.push(path.join(dir, `${k}.png`));
    await sharp(raw, { raw: { width: 48, height: 24, channels: 3 } })
      .png()
      .toFile(frames[k]);
  }
  client = new InferenceClient();
});
after(async () => {
  client.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** The tiny model's W, computed here from its definition: sigmoid(channel mean of the 4×4 average pool of the image). */
async function expectedW(file: string): Promise<Float64Array> {
  const image = preprocessFrame(await decodeRgb(file), {
    width: tiny.width,
    height: tiny.height,
    mean: tiny.mean,
    std: tiny.std,
    resize: 'bilinear-half-pixel',
  } as never);
  const w = tiny.width / TINY_STRIDE;
  const h = tiny.height / TINY_STRIDE;
  const out = new Float64Array(w * h);
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      let total = 0;
      for (let c = 0; c < 3; c++) {
        for (let dy = 0; dy < TINY_STRIDE; dy++) {
          for (let dx = 0; dx < TINY_STRIDE; dx++)
            total += image[c * tiny.width * tiny.height + (py * TINY_STRIDE + dy) * tiny.width + px * TINY_STRIDE + dx];
        }
      }
      out[py * w + px] = 1 / (1 + Math.exp(-total / (3 * TINY_STRIDE * TINY_STRIDE)));
    }
  }
  return out;
}

async function inProcess(text: string): Promise<FrameInsight[]> {
  const runner = await YofoRunner.load(tiny.dir, { executionProvider: 'cpu' });
  const out: FrameInsight[] = [];
  try {
    await runner.runExpression(frames, text, { onFrame: ({ index, insight }) => void (out[index] = insight) });
  } finally {
    await runner.release();
  }
  return out;
}

test('memory ring: entries are the valid slots, oldest frame first, with their weight sums', () => {
  const ring = new MemoryRing({ length: 3, channels: 1, height: 1, width: 2 });
  assert.deepEqual(ring.entries(), []);
  for (let f = 0; f < 5; f++) ring.push([f, f], [f, f], [0.25 * f, 0.5], f);
  assert.deepEqual(ring.entries(), [
    { frame: 2, weightSum: 1 },
    { frame: 3, weightSum: 1.25 },
    { frame: 4, weightSum: 1.5 },
  ]);
  ring.clear();
  assert.deepEqual(ring.entries(), []);
});

test('W maps are quantised to 8 bits at their size, clamped, and resampled down only when large', () => {
  const small = quantizeWeightMap(Float32Array.from([0, 0.5, 1, -0.2, 1.7, NaN]), 3, 2);
  assert.deepEqual({ ...small, data: [...small.data] }, { width: 3, height: 2, data: [0, 128, 255, 0, 255, 0] });
  const big = quantizeWeightMap(new Float32Array(300 * 150).fill(0.25), 300, 150, 128);
  assert.deepEqual([big.width, big.height], [128, 64]);
  assert.ok(big.data.every((v) => v === 64));
  assert.throws(() => quantizeWeightMap(new Float32Array(5), 3, 2), RangeError);
});

test('shares: the memory entries and the frame itself split the fit weight in proportion to their W mass', () => {
  const insight = frameInsight(Float32Array.from([1, 1, 1, 1]), 2, 2, [
    { frame: 0, weightSum: 2 },
    { frame: 1, weightSum: 6 },
  ]);
  assert.equal(insight.meanWeight, 1);
  assert.deepEqual(insight.memory, [
    { frame: 0, meanWeight: 0.5, share: 2 / 12 },
    { frame: 1, meanWeight: 1.5, share: 6 / 12 },
  ]);
  assert.equal(insight.selfShare, 4 / 12);
  assert.equal(frameInsight(new Float32Array(4), 2, 2, []).selfShare, 0, 'no weight at all: no share, no NaN');
});

test("every frame from the real worker carries its W map (feature size, the model's values) and the memory frames of the ring", async () => {
  const got: FrameInsight[] = [];
  const masks: Mask[] = [];
  await client.run(
    { modelDir: tiny.dir, executionProvider: 'cpu', frames, text: 'the red square' },
    {
      onFrame: ({ index, mask, insight }) => {
        assert.ok(insight, `frame ${index} has no insight`);
        got[index] = insight;
        masks[index] = mask;
      },
    },
  );
  assert.equal(got.length, FRAMES);
  const [w, h] = [tiny.width / TINY_STRIDE, tiny.height / TINY_STRIDE];
  const means: number[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const f = got[i];
    assert.deepEqual([f.weight.width, f.weight.height, f.weight.data.length], [w, h, w * h], `frame ${i} W size`);
    assert.ok(f.weight.data instanceof Uint8Array);
    const want = await expectedW(frames[i]);
    want.forEach((v, p) =>
      assert.ok(
        Math.abs(f.weight.data[p] - v * 255) <= 0.5 + 1e-3,
        `frame ${i} pixel ${p}: ${f.weight.data[p]} vs ${v * 255}`,
      ),
    );
    means.push(want.reduce((a, b) => a + b, 0) / want.length);
    assert.ok(Math.abs(f.meanWeight - means[i]) < 1e-6);
    // The ring rule (memoryRing.ts / CONTRACT.md): the last M = 3 frames before this one; none at the first frame.
    const expectedFrames = Array.from({ length: Math.min(i, tiny.memory) }, (_, k) => i - Math.min(i, tiny.memory) + k);
    assert.deepEqual(
      f.memory.map((m) => m.frame),
      expectedFrames,
      `frame ${i} memory`,
    );
    // A memory entry's weight is the W that frame produced; the shares are the fit's normal-equation weights.
    f.memory.forEach((m) => assert.ok(Math.abs(m.meanWeight - means[m.frame]) < 1e-6, `frame ${i} entry ${m.frame}`));
    const total = means[i] + f.memory.reduce((n, m) => n + m.meanWeight, 0);
    f.memory.forEach((m) => assert.ok(Math.abs(m.share - m.meanWeight / total) < 1e-6));
    assert.ok(Math.abs(f.selfShare - means[i] / total) < 1e-6);
    assert.ok(Math.abs(f.selfShare + f.memory.reduce((n, m) => n + m.share, 0) - 1) < 1e-9);
  }
  assert.deepEqual(got[0].memory, []);
  assert.equal(got[0].selfShare, 1);
  assert.ok(new Set(means.map((m) => m.toFixed(6))).size > 1, 'frames differ, so the per-entry check can fail');
  // The worker's insights are exactly those of an in-process run.
  assert.deepEqual(got, await inProcess('the red square'));
});

test('the result cache keeps W maps and memory use exactly; entries of the old format or with broken parts miss', async () => {
  const cacheRoot = path.join(dir, 'cache');
  const cache = new ResultCache(cacheRoot);
  const insights = await inProcess('left circle');
  const names = frames.map((_, i) => String(i * 5).padStart(5, '0'));
  const masks = names.map(() => ({ width: 48, height: 24, data: new Uint8Array(48 * 24).fill(1, 100, 300) }));
  const key = { modelId: 'm1', datasetRoot: dir, split: 'train', video: 'v', expression: 'left circle' };
  await cache.put(key, names, masks, { modelName: 'tiny' }, insights);
  const hit = await cache.get(key, names);
  assert.ok(hit?.insights);
  assert.deepEqual(hit.insights, insights);
  assert.deepEqual(hit.masks, masks);
  // Without insights (a writer that had none): the entry reads back without them.
  const plain = { ...key, expression: 'plain' };
  await cache.put(plain, names, masks);
  assert.equal((await cache.get(plain, names))?.insights, undefined);
  // Insights missing for a frame: the masks are stored, the incomplete insights are not.
  const partial = [...insights];
  // eslint-disable-next-line @typescript-eslint/no-array-delete -- a hole, as a frame whose insight never came leaves
  delete partial[3];
  await cache.put(plain, names, masks, {}, partial);
  assert.equal((await cache.get(plain, names))?.insights, undefined);
  assert.deepEqual((await cache.get(plain, names))?.masks, masks);
  // A truncated weights.bin makes the entry a miss, not a wrong W map.
  const weights = path.join(cache.entryDir(key), 'weights.bin');
  await writeFile(weights, Buffer.alloc(3));
  assert.equal(await cache.get(key, names), undefined);
  // An entry of the previous format (version 1, its own folder) is never read, and Clear Cache removes it too.
  const v1 = path.join(cacheRoot, 'yofo-cache-v1', ResultCache.keyHash(key));
  await mkdir(v1, { recursive: true });
  await writeFile(
    path.join(v1, 'entry.json'),
    JSON.stringify({ format: 'rvos-yofo-cache', version: 1, key, frames: names, masksBytes: 0, info: {} }),
  );
  await writeFile(path.join(v1, 'masks.bin'), Buffer.alloc(0));
  assert.equal(await cache.get(key, names), undefined);
  await cache.clear();
  assert.deepEqual(await readdir(cacheRoot), []);
});
