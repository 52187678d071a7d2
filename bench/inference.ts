// YOFO inference benchmark (run on demand: `node --import tsx bench/inference.ts [--model <dir>] [--videos N]`).
// 1. frames/s of `rvos eval` (decode + infer + write, through the worker process) vs the PyTorch reference
//    `python3 -m yofo.infer` on the same Ref-Shapes frames with the same model — ratio from this one run;
// 2. time to first mask of a request with the model already loaded (median of several requests);
// 3. worker memory (RSS) over a generated 1,000-frame clip, sampled every 100 frames — must stay flat.
// Targets: ≥ 1.5× PyTorch, ≥ 20 frames/s, first mask < 500 ms, flat memory.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { generateRefShapes } from '../src/core/refshapes/generate';
import { defaultModelDir } from '../src/inference/defaultModel';
import { InferenceClient } from '../src/inference/inferenceClient';
import { loadManifest } from '../src/inference/manifest';

const root = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: { model: { type: 'string' }, videos: { type: 'string' }, python: { type: 'string' } },
});
const python = values.python ?? '/usr/bin/python3';

function run(cmd: string, args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const modelDir = path.resolve(values.model ?? defaultModelDir(root));
  if (!existsSync(path.join(modelDir, 'model.json'))) {
    console.error(`no model at ${modelDir}; pass --model <dir> (e.g. /root/rvos-train/untrained-model)`);
    process.exit(1);
  }
  const manifest = await loadManifest(modelDir);
  const work = await mkdtemp(path.join(tmpdir(), 'rvos-bench-inference-'));
  try {
    const videos = Number(values.videos ?? 6);
    const dataset = path.join(work, 'refshapes');
    const gen = await generateRefShapes(dataset, { videos, seed: 4242, width: 320, height: 192 });
    console.log(
      `model ${manifest.name} (${modelDir}), input ${manifest.input.width}×${manifest.input.height}, memory ${manifest.memory.length}`,
    );
    console.log(`data: ${gen.videos} Ref-Shapes videos, ${gen.expressions} expressions, 320×192 frames`);

    // 1. rvos eval vs PyTorch, same frames, same model.
    const cli = existsSync(path.join(root, 'dist/cli.js')) ? ['dist/cli.js'] : ['--import', 'tsx', 'src/cli/rvos.ts'];
    const ts = await run(process.execPath, [
      ...cli,
      'eval',
      dataset,
      '--model',
      modelDir,
      '--out',
      path.join(work, 'pred'),
      '--json',
      '--execution-provider',
      'cpu',
    ]);
    if (ts.code !== 0) throw new Error(`rvos eval failed: ${ts.stderr}`);
    const tsResult = JSON.parse(ts.stdout) as { fps: number; JF: number };
    const py = await run(
      python,
      ['-m', 'yofo.infer', dataset, '--model', modelDir, '--json'],
      path.join(root, 'training'),
    );
    let pyResult: { fps: number; JF: number } | undefined;
    if (py.code === 0) pyResult = JSON.parse(py.stdout.trim().split('\n').pop()!);
    else
      console.log(
        `PyTorch reference unavailable (python3 -m yofo.infer exited ${py.code}): ${py.stderr.trim().split('\n').pop()}`,
      );
    console.log(`rvos eval:      ${tsResult.fps.toFixed(1)} frames/s (J&F ${tsResult.JF.toFixed(4)})  target ≥ 20`);
    if (pyResult) {
      console.log(`PyTorch infer:  ${pyResult.fps.toFixed(1)} frames/s (J&F ${pyResult.JF.toFixed(4)})`);
      console.log(`ratio:          ${(tsResult.fps / pyResult.fps).toFixed(2)}× PyTorch  target ≥ 1.5×`);
    }

    // 2. Time to first mask with the model loaded.
    const client = new InferenceClient();
    try {
      const clip = path.join(dataset, 'train', 'JPEGImages');
      const meta = JSON.parse(readFileSync(path.join(dataset, 'meta_expressions/train/meta_expressions.json'), 'utf8'));
      const [vid, info] = Object.entries(
        meta.videos as Record<string, { frames: string[]; expressions: Record<string, { exp: string }> }>,
      )[0];
      const frames = info.frames.map((f) => path.join(clip, vid, `${f}.jpg`));
      await client.load({ modelDir, executionProvider: 'cpu' });
      const firsts: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        let first = 0;
        await client.run(
          {
            modelDir,
            executionProvider: 'cpu',
            frames,
            text: Object.values(info.expressions)[i % Object.keys(info.expressions).length].exp,
          },
          {
            onFrame: ({ index }) => {
              if (index === 0) first = performance.now() - start;
            },
          },
        );
        firsts.push(first);
      }
      console.log(
        `first mask:     ${median(firsts).toFixed(0)} ms median of ${firsts.length} (min ${Math.min(...firsts).toFixed(0)}, max ${Math.max(...firsts).toFixed(0)})  target < 500 ms`,
      );

      // 3. Memory over a 1,000-frame clip: a square drifting over a textured background.
      const long = path.join(work, 'long');
      await mkdir(long);
      const [w, h] = [320, 192];
      const longFrames: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const raw = Buffer.alloc(w * h * 3);
        const x0 = (i * 3) % (w - 40);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const o = (y * w + x) * 3;
            const inSquare = x >= x0 && x < x0 + 40 && y >= 70 && y < 110;
            raw[o] = inSquare ? 220 : 40 + ((x ^ y) & 15);
            raw[o + 1] = inSquare ? 30 : 60;
            raw[o + 2] = inSquare ? 30 : 90;
          }
        }
        const file = path.join(long, `${String(i).padStart(5, '0')}.jpg`);
        await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
          .jpeg({ quality: 90 })
          .toFile(file);
        longFrames.push(file);
      }
      const samples: string[] = [];
      const start = performance.now();
      await client.run(
        { modelDir, executionProvider: 'cpu', frames: longFrames, text: 'the red square moving to the right' },
        {
          onFrame: ({ index }) => {
            if ((index + 1) % 100 === 0) samples.push(`${index + 1}:${rssMiB(client.workerPid!).toFixed(0)}`);
          },
        },
      );
      const seconds = (performance.now() - start) / 1000;
      const values = samples.map((s) => Number(s.split(':')[1]));
      console.log(`1,000 frames:   ${(1000 / seconds).toFixed(1)} frames/s in one request`);
      console.log(
        `worker RSS MiB: ${samples.join(' ')}  (growth 100→1000: ${(values[values.length - 1] - values[0]).toFixed(0)} MiB)`,
      );
    } finally {
      client.dispose();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
