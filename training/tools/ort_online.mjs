// Runs an exported YOFO model folder online through onnxruntime-node, the way the extension does (text graph once,
// then frame by frame with a ring of the last M memory entries and the previous frame), on inputs that yofo/export.py
// already preprocessed. Used to check ONNX parity against PyTorch and to time the frame graph.
//
//   node training/tools/ort_online.mjs <modelDir> <inputDir> [--threads N] [--repeat R]
//
// <inputDir>/inputs.json: {"frames": K, "tokens": [T ints], "wordMask": [T floats]}; <inputDir>/images.f32: K×3×H×W
// little-endian float32. Writes <inputDir>/logits.f32 (K×H×W) and prints {"frameMs": mean ms per frame.onnx run}.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const [modelDir, inputDir] = args;
if (!modelDir || !inputDir) {
  console.error('usage: node ort_online.mjs <modelDir> <inputDir> [--threads N] [--repeat R]');
  process.exit(2);
}
const threads = opt('--threads', 0);
const repeat = opt('--repeat', 1);

const manifest = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
const inputs = JSON.parse(readFileSync(path.join(inputDir, 'inputs.json'), 'utf8'));
const imgBuf = readFileSync(path.join(inputDir, 'images.f32'));
const images = new Float32Array(imgBuf.buffer, imgBuf.byteOffset, imgBuf.byteLength / 4);
const { width: W, height: H } = manifest.input;
const { length: M, channels: C, height: h, width: w } = manifest.memory;
const T = manifest.tokenizer.maxTokens;
const K = inputs.frames;
const plane = 3 * H * W;
if (images.length !== K * plane) throw new Error(`images.f32 holds ${images.length} floats, expected ${K * plane}`);

const sessionOptions = {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  ...(threads ? { intraOpNumThreads: threads } : {}),
};
const text = await ort.InferenceSession.create(path.join(modelDir, manifest.graphs.text), sessionOptions);
const frame = await ort.InferenceSession.create(path.join(modelDir, manifest.graphs.frame), sessionOptions);

const tokens = new ort.Tensor('int64', BigInt64Array.from(inputs.tokens.map(BigInt)), [1, T]);
const { words, sentence } = await text.run({ tokens });
const wordMask = new ort.Tensor('float32', Float32Array.from(inputs.wordMask), [1, T]);

const feat = C * h * w;
const logitsOut = new Float32Array(K * H * W);
let frameMs = 0;
let runs = 0;
for (let r = 0; r < repeat; r++) {
  const memX = new Float32Array(M * feat);
  const memY = new Float32Array(M * feat);
  const memW = new Float32Array(M * h * w);
  const valid = new Float32Array(M);
  let prev;
  for (let t = 0; t < K; t++) {
    const image = images.subarray(t * plane, (t + 1) * plane);
    const feeds = {
      image: new ort.Tensor('float32', image, [1, 3, H, W]),
      prev_image: new ort.Tensor('float32', prev ?? image, [1, 3, H, W]),
      words,
      word_mask: wordMask,
      sentence,
      mem_x: new ort.Tensor('float32', memX, [1, M, C, h, w]),
      mem_y: new ort.Tensor('float32', memY, [1, M, C, h, w]),
      mem_w: new ort.Tensor('float32', memW, [1, M, 1, h, w]),
      mem_valid: new ort.Tensor('float32', valid, [1, M]),
    };
    const t0 = performance.now();
    const out = await frame.run(feeds);
    frameMs += performance.now() - t0;
    runs++;
    const slot = t % M; // ring: oldest entry overwritten
    memX.set(out.x.data, slot * feat);
    memY.set(out.y.data, slot * feat);
    memW.set(out.w.data, slot * h * w);
    valid[slot] = 1;
    prev = image;
    if (r === 0) logitsOut.set(out.logits.data, t * H * W);
  }
}
const outFile = path.join(inputDir, 'logits.f32');
writeFileSync(outFile + '.tmp', Buffer.from(logitsOut.buffer));
renameSync(outFile + '.tmp', outFile);
console.log(JSON.stringify({ frameMs: frameMs / runs, runs }));
