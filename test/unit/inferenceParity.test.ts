// Parity of the extension's YOFO pipeline (sharp decode → our resize/normalise → onnxruntime-node → our postprocess)
// with the PyTorch reference (training/yofo: PIL decode → torch interpolate → the PyTorch model, online.run_expressions)
// on the same Ref-Shapes clip: logits within 1e-4, masks equal on ≥ 99.9% of pixels.
// Needs /usr/bin/python3 with torch and an exported model folder with weights.pt: RVOS_PARITY_MODEL, else the bundled
// default model, else /root/rvos-train/untrained-model. Skips with the reason when one is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { generateRefShapes } from '../../src/core/refshapes/generate';
import { defaultModelDir } from '../../src/inference/defaultModel';
import { YofoRunner } from '../../src/inference/yofoRunner';

const PYTHON = '/usr/bin/python3';
const TRAINING = path.resolve(__dirname, '../../training');
const candidates = [process.env.RVOS_PARITY_MODEL, defaultModelDir(), '/root/rvos-train/untrained-model'].filter(
  (d): d is string => !!d,
);
const modelDir = candidates.find(
  (d) => existsSync(path.join(d, 'weights.pt')) && existsSync(path.join(d, 'model.json')),
);

function skipReason(): string | false {
  if (!existsSync(path.join(TRAINING, 'yofo', 'online.py')))
    return 'skipped: training/yofo (the PyTorch reference) is absent';
  if (!modelDir) return `skipped: no exported model with weights.pt in ${candidates.join(', ')}`;
  if (spawnSync(PYTHON, ['-c', 'import torch'], { timeout: 120_000 }).status !== 0)
    return `skipped: ${PYTHON} cannot import torch`;
  return false;
}

/** Runs the reference online loop per expression; writes model-size logits (f32) and full-size masks (u8). */
const REFERENCE = `
import sys, json, warnings, numpy as np, torch
warnings.simplefilter("ignore")
args = json.loads(sys.argv[1])
sys.path.insert(0, args["training"])
from yofo.modelio import load_model_dir
from yofo.online import run_expressions
from yofo.data import read_rgb
torch.set_num_threads(1)
model, tok, _ = load_model_dir(args["model"])
frames = [read_rgb(p) for p in args["frames"]]
for k, text in enumerate(args["texts"]):
    logits, masks = [], []
    def on_frame(t, frame_logits, frame_masks):
        logits.append(frame_logits[0, 0].numpy().astype(np.float32))
        masks.append(frame_masks[0].astype(np.uint8))
    run_expressions(model, tok, frames, [text], on_frame)
    np.stack(logits).tofile(args["out"] + "/logits%d.f32" % k)
    np.stack(masks).tofile(args["out"] + "/masks%d.u8" % k)
`;

test(
  'extension pipeline matches the PyTorch reference: logits within 1e-4, masks ≥ 99.9% equal',
  { skip: skipReason(), timeout: 600_000 },
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rvos-parity-'));
    try {
      const data = path.join(dir, 'data');
      await generateRefShapes(data, { videos: 1, seed: 77, width: 320, height: 192 });
      const meta = JSON.parse(await readFile(path.join(data, 'meta_expressions/train/meta_expressions.json'), 'utf8'));
      const [vid, info] = Object.entries(
        meta.videos as Record<string, { frames: string[]; expressions: Record<string, { exp: string }> }>,
      )[0];
      const frames = info.frames.slice(0, 12).map((f) => path.join(data, 'train/JPEGImages', vid, `${f}.jpg`));
      const texts = Object.values(info.expressions)
        .slice(0, 2)
        .map((e) => e.exp);
      const py = spawnSync(
        PYTHON,
        ['-c', REFERENCE, JSON.stringify({ training: TRAINING, model: modelDir, frames, texts, out: dir })],
        { encoding: 'utf8', timeout: 300_000 },
      );
      assert.equal(py.status, 0, py.stderr);

      const runner = await YofoRunner.load(modelDir!, { executionProvider: 'cpu' });
      try {
        for (const [k, text] of texts.entries()) {
          const refLogits = new Float32Array((await readFile(path.join(dir, `logits${k}.f32`))).buffer.slice(0));
          const refMasks = new Uint8Array(await readFile(path.join(dir, `masks${k}.u8`)));
          let worst = 0;
          let equal = 0;
          let pixels = 0;
          await runner.runExpression(frames, text, {
            onFrame: ({ index, logits, mask }) => {
              const offset = index * logits.length;
              for (let i = 0; i < logits.length; i++)
                worst = Math.max(worst, Math.abs(logits[i] - refLogits[offset + i]));
              const size = mask.data.length;
              for (let i = 0; i < size; i++) if (mask.data[i] === refMasks[index * size + i]) equal++;
              pixels += size;
            },
          });
          assert.equal(pixels, refMasks.length, 'same number of mask pixels');
          assert.ok(worst <= 1e-4, `"${text}": max |Δlogit| = ${worst}`);
          assert.ok(
            equal / pixels >= 0.999,
            `"${text}": masks equal on ${((100 * equal) / pixels).toFixed(3)}% of pixels`,
          );
          console.log(
            `parity "${text}": max |Δlogit| ${worst.toExponential(2)}, masks equal ${((100 * equal) / pixels).toFixed(4)}%`,
          );
        }
      } finally {
        await runner.release();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
