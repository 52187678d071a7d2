// model.json validation, the ONNX contract check and the YOFO runner, on hand-built tiny contract models.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { InputError } from '../../src/core/errors';
import { planProviders } from '../../src/inference/executionProvider';
import { loadManifest } from '../../src/inference/manifest';
import { decodeRgb, preprocessFrame } from '../../src/inference/preprocess';
import { YofoRunner, type FrameResult } from '../../src/inference/yofoRunner';
import { TINY_STRIDE, TINY_WORD_WEIGHTS, writeTinyModel, type TinyModel } from './inferenceTinyModel';

let dir: string;
let tiny: TinyModel;
let frames: string[];
const FW = 32;
const FH = 16;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rvos-model-'));
  tiny = await writeTinyModel(path.join(dir, 'tiny'));
  frames = [];
  for (let k = 0; k < 5; k++) {
    const raw = Buffer.alloc(FW * FH * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + k * 91 + ((i * k) % 13) * 11) % 256;
    const file = path.join(dir, `${k}.png`);
    await sharp(raw, { raw: { width: FW, height: FH, channels: 3 } })
      .png()
      .toFile(file);
    frames.push(file);
  }
});
after(() => rm(dir, { recursive: true, force: true }));

const isInputError = (file: RegExp, problem: RegExp) => (err: unknown) =>
  err instanceof InputError && file.test(err.file) && problem.test(err.problem);

async function withManifest(edit: (m: Record<string, any>) => void): Promise<string> {
  const target = await mkdtemp(path.join(dir, 'm-'));
  const m = JSON.parse(await readFile(path.join(tiny.dir, 'model.json'), 'utf8'));
  edit(m);
  await writeFile(path.join(target, 'model.json'), JSON.stringify(m));
  return target;
}

test('a valid model.json loads with resolved graph paths', async () => {
  const m = await loadManifest(tiny.dir);
  assert.equal(m.name, 'tiny-test');
  assert.equal(m.graphs.frame, path.join(tiny.dir, 'frame.onnx'));
  assert.deepEqual(m.memory, { length: 3, channels: 3, height: 2, width: 4 });
  assert.equal(m.tokenizer.maxTokens, 6);
});

test('model.json errors name the file and the field', async () => {
  const cases: [(m: Record<string, any>) => void, RegExp][] = [
    [(m) => (m.format = 'onnx'), /field "format" must be "yofo-onnx"/],
    [(m) => (m.version = 2), /field "version" must be 1/],
    [(m) => delete m.name, /field "name" must be a non-empty string/],
    [(m) => (m.input.width = 0), /field "input.width" must be an integer ≥ 1/],
    [(m) => (m.input.std = [1, 0, 1]), /field "input.std" must be an array of 3 positive numbers/],
    [(m) => (m.input.resize = 'nearest'), /field "input.resize" must be "bilinear-half-pixel"/],
    [(m) => (m.tokenizer.lowercase = 'unicode'), /field "tokenizer.lowercase"/],
    [(m) => (m.tokenizer.vocab = 'abc'), /field "tokenizer.vocab"/],
    [(m) => (m.tokenizer.unkId = 99), /field "tokenizer.unkId" must be a vocabulary index/],
    [(m) => (m.memory.length = 2.5), /field "memory.length" must be an integer/],
    [(m) => delete m.graphs, /field "graphs" must be an object/],
    [
      (m) => (m.graphs.frame = '../elsewhere/frame.onnx'),
      /field "graphs.frame" must be a file name inside the model folder/,
    ],
    [(m) => (m.graphs.text = '/etc/passwd'), /field "graphs.text" must be a file name inside the model folder/],
  ];
  for (const [edit, problem] of cases) {
    await assert.rejects(
      loadManifest(await withManifest(edit)),
      isInputError(/model\.json$/, problem),
      String(problem),
    );
  }
  const broken = await mkdtemp(path.join(dir, 'b-'));
  await writeFile(path.join(broken, 'model.json'), '{"format": ');
  await assert.rejects(loadManifest(broken), isInputError(/model\.json$/, /invalid JSON/));
  await assert.rejects(loadManifest(path.join(dir, 'nowhere')), isInputError(/nowhere.model\.json$/, /not found/));
});

test('graphs that break the contract are refused, naming the .onnx file and the mismatch', async () => {
  const renamed = await writeTinyModel(path.join(dir, 'renamed'), { rename: { logits: 'mask' } });
  await assert.rejects(
    YofoRunner.load(renamed.dir, { executionProvider: 'cpu' }),
    isInputError(/frame\.onnx$/, /missing outputs "logits"; unexpected outputs "mask"/),
  );
  const textRenamed = await writeTinyModel(path.join(dir, 'text-renamed'), { rename: { tokens: 'ids' } });
  await assert.rejects(YofoRunner.load(textRenamed.dir), isInputError(/text\.onnx$/, /missing inputs "tokens"/));
  const wrongShape = await writeTinyModel(path.join(dir, 'shape'), { declaredHeight: 12 });
  await assert.rejects(
    YofoRunner.load(wrongShape.dir),
    isInputError(/frame\.onnx$/, /input "image" has shape \[1,3,12,16\], expected \[1,3,8,16\]/),
  );
  const wrongTokens = await withManifest((m) => (m.tokenizer.maxTokens = 9));
  for (const g of ['text.onnx', 'frame.onnx'])
    await writeFile(path.join(wrongTokens, g), await readFile(path.join(tiny.dir, g)));
  await assert.rejects(
    YofoRunner.load(wrongTokens),
    isInputError(/text\.onnx$/, /"tokens" has shape \[1,6\], expected \[1,9\]/),
  );
  const notOnnx = await withManifest(() => undefined);
  await writeFile(path.join(notOnnx, 'text.onnx'), 'garbage');
  await writeFile(path.join(notOnnx, 'frame.onnx'), 'garbage');
  await assert.rejects(
    YofoRunner.load(notOnnx, { executionProvider: 'cpu' }),
    isInputError(/text\.onnx$/, /cannot load ONNX graph/),
  );
});

test('execution provider plans: cpu, auto without CUDA (notice), auto with CUDA (fallback), cuda without it (error)', () => {
  assert.deepEqual(planProviders('cpu', true), { attempts: [['cpu']] });
  const auto = planProviders('auto', false);
  assert.deepEqual(auto.attempts, [['cpu']]);
  assert.match(auto.cpuNotice!, /npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12/);
  assert.deepEqual(planProviders('auto', true).attempts, [['cuda', 'cpu'], ['cpu']]);
  assert.throws(() => planProviders('cuda', false), /CUDA execution provider is not installed/);
  assert.deepEqual(planProviders('cuda', true).attempts, [['cuda']]);
});

/** What the tiny model computes for frame k, from the host-side inputs (see inferenceTinyModel.ts). */
function tinyReference(images: Float32Array[], tokens: number[]): Float32Array[] {
  const { width: W, height: H, memory: M, maxTokens: T } = tiny;
  const plane = W * H;
  const h = H / TINY_STRIDE;
  const w = W / TINY_STRIDE;
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  const gray = (img: Float32Array) =>
    Float32Array.from({ length: plane }, (_, p) => (img[p] + img[plane + p] + img[2 * plane + p]) / 3);
  const pool = (img: Float32Array) =>
    Float64Array.from({ length: 3 * h * w }, (_, j) => {
      const c = Math.floor(j / (h * w));
      const [r, q] = [Math.floor((j % (h * w)) / w), j % w];
      let s = 0;
      for (let dy = 0; dy < TINY_STRIDE; dy++)
        for (let dx = 0; dx < TINY_STRIDE; dx++)
          s += img[c * plane + (r * TINY_STRIDE + dy) * W + q * TINY_STRIDE + dx];
      return s / TINY_STRIDE ** 2;
    });
  const wordMean = mean(tokens) * mean(TINY_WORD_WEIGHTS.slice(0, 4));
  const wordMaskMean = tokens.filter((t) => t !== 0).length / T;
  const entries: { x: number; y: number; w: number }[] = [];
  return images.map((img, k) => {
    const prev = images[Math.max(k - 1, 0)];
    const ring = entries.slice(-M);
    const sum = (f: (e: (typeof entries)[0]) => number) => ring.reduce((s, e) => s + f(e), 0) / M;
    const bias =
      0.01 * wordMean +
      0.001 * wordMean +
      wordMaskMean +
      ring.length / M +
      sum((e) => e.x) +
      sum((e) => e.y) +
      sum((e) => e.w);
    const g = gray(img);
    const gp = gray(prev);
    const x = pool(img);
    const xm = Array.from({ length: h * w }, (_, p) => (x[p] + x[h * w + p] + x[2 * h * w + p]) / 3);
    entries.push({ x: mean(x), y: mean(pool(prev)), w: mean(xm.map((v) => 1 / (1 + Math.exp(-v)))) });
    return Float32Array.from(g, (v, p) => v + (v - gp[p]) + bias);
  });
}

test('the runner feeds text, previous frame and the memory ring as the contract says', async () => {
  const runner = await YofoRunner.load(tiny.dir, { executionProvider: 'auto' });
  try {
    assert.equal(runner.device, 'cpu');
    assert.match(runner.modelId, /^[0-9a-f]{32}$/);
    const results: FrameResult[] = [];
    const summary = await runner.runExpression(frames, 'The RED zebra square', {
      onFrame: (r) => void results.push(r),
    });
    assert.deepEqual(summary, { frames: 5, unknownWords: ['zebra'] });
    assert.deepEqual(
      results.map((r) => r.index),
      [0, 1, 2, 3, 4],
    );
    const images = await Promise.all(
      frames.map(async (f) => preprocessFrame(await decodeRgb(f), await loadManifest(tiny.dir).then((m) => m.input))),
    );
    const expected = tinyReference(images, [2, 3, 1, 4, 0, 0]);
    results.forEach((r, k) => {
      assert.equal(r.logits.length, tiny.width * tiny.height);
      let worst = 0;
      for (let i = 0; i < r.logits.length; i++) worst = Math.max(worst, Math.abs(r.logits[i] - expected[k][i]));
      assert.ok(worst < 1e-4, `frame ${k}: max |Δlogit| = ${worst}`);
      assert.deepEqual([r.mask.width, r.mask.height], [FW, FH]);
      assert.ok(r.mask.data.every((v) => v === 0 || v === 1));
    });
    // Two runs on the same clip are independent: the ring starts empty each time.
    const again: FrameResult[] = [];
    await runner.runExpression(frames, 'the red zebra square', { onFrame: (r) => void again.push(r) });
    assert.deepEqual(
      again.map((r) => Array.from(r.logits)),
      results.map((r) => Array.from(r.logits)),
    );
  } finally {
    await runner.release();
  }
});

test('cancelling stops before the next frame; empty expressions and missing frames are InputErrors', async () => {
  const runner = await YofoRunner.load(tiny.dir, { executionProvider: 'cpu' });
  try {
    const controller = new AbortController();
    const seen: number[] = [];
    await assert.rejects(
      runner.runExpression(frames, 'red', {
        signal: controller.signal,
        onFrame: ({ index }) => {
          seen.push(index);
          if (index === 1) controller.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.deepEqual(seen, [0, 1]);
    await assert.rejects(
      runner.runExpression(frames, ' ?! ', { source: 'v1/3' }),
      isInputError(/^v1\/3$/, /expression is empty/),
    );
    await assert.rejects(
      runner.runExpression([frames[0], path.join(dir, 'gone.jpg')], 'red'),
      isInputError(/gone\.jpg$/, /not found/),
    );
  } finally {
    await runner.release();
  }
});

test('NaN logits are a clear error naming the frame and the model', async () => {
  const nan = await writeTinyModel(path.join(dir, 'nan'), { nanLogits: true });
  const runner = await YofoRunner.load(nan.dir, { executionProvider: 'cpu' });
  try {
    await assert.rejects(
      runner.runExpression(frames, 'red'),
      isInputError(/0\.png$/, /non-finite logit .* the model \(.*model\.json\) or this frame is broken/),
    );
  } finally {
    await runner.release();
  }
});
