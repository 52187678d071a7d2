// The benchmark profiles, measured in one run (`npm run bench -- benchmarks`). "End to end" is `rvos score --json`
// from the bundle (built first): process start, open, read, decode, J/F on worker threads, aggregate, print.
//   1. Ref-YouTube-VOS layout, end to end vs bench/score_split_ref.py with
//      ../shared/reference/jf_ref.py (PIL decoding, numpy + OpenCV), on the DAVIS fixture split. Target ≥ 10×.
//   2. MeViS, end to end vs test/reference/eval_mevis_ref.py (eval_mevis.py's rules, single process), on a generated
//      720p valid_u-like split. Target ≥ 8×. Both check that the results are equal before timing counts.
//   3. MeViS train scale (1,662 videos, 8,000 objects × 80 frames, 720p; generated once into the temp folder and
//      reused): in a fresh process, opening the split (< 3 s), the first frame's masks of a multi-object expression
//      (< 50 ms), and the process's resident memory after both (< 1.5 GB).
//   node --import tsx bench/benchmarks.ts [copies=2]     (KEEP_BENCH_DIR=1 keeps the generated splits 1 and 2)
// Needs ../shared and /usr/bin/python3 with numpy, OpenCV and PIL.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SplitScore } from '../src/core/types';
import { writeMevisSplit } from '../test/helpers/mevisSplit';
import { buildDavisSplit, DAVIS_SPLIT, FIXTURES, PYTHON, REFERENCE } from './lib/davisSplit';
import { inBenchDir, runBench } from './lib/benchDir';

const TARGET_REF_YOUTUBE_VOS = 10;
const TARGET_MEVIS = 8;
const TRAIN = { videos: 1662, objects: 8000, frames: 80, openMs: 3000, firstFrameMs: 50, memoryMB: 1536 };
const TRAIN_ROOT = path.join(tmpdir(), 'rvos-bench-mevis-train-v1');

interface PythonResult {
  J: number;
  F: number;
  seconds: number;
}

function python(script: string, args: string[]): PythonResult {
  return JSON.parse(
    execFileSync(PYTHON, [script, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 }),
  ) as PythonResult;
}

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');

/** `rvos score --json` through the bundle, best of two timed runs after a warm-up (the Python run finds a warm cache too). */
function timeOurs(root: string, split: string, predDir: string): { seconds: number; score: SplitScore } {
  let best = { seconds: Infinity, score: undefined as SplitScore | undefined };
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    const out = execFileSync(process.execPath, [CLI, 'score', root, '--split', split, '--pred', predDir, '--json'], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const seconds = (performance.now() - start) / 1000;
    if (r > 0 && seconds < best.seconds) best = { seconds, score: JSON.parse(out) as SplitScore };
  }
  return best as { seconds: number; score: SplitScore };
}

function checkEqual(what: string, ours: SplitScore, py: PythonResult): void {
  const diff = Math.max(Math.abs(py.J - ours.J), Math.abs(py.F - ours.F));
  if (diff > 1e-9) throw new Error(`${what}: results differ: ours J ${ours.J} F ${ours.F}, Python J ${py.J} F ${py.F}`);
}

function line(label: string, ours: number, py: number, target: number, unit: string): string {
  const ratio = py / ours;
  return `  ${label.padEnd(18)} ours ${ours.toFixed(2)} s, Python ${py.toFixed(2)} s: ${ratio.toFixed(1)}× (${unit}; target ≥ ${target}×: ${ratio >= target ? 'met' : 'NOT met'})`;
}

async function refYoutubeVos(root: string, copies: number): Promise<string> {
  const split = await buildDavisSplit(path.join(root, 'ref-youtube-vos'), copies);
  const ours = timeOurs(split.dataset, DAVIS_SPLIT, split.run);
  const py = python(path.join(__dirname, 'score_split_ref.py'), [split.dataset, DAVIS_SPLIT, split.run, REFERENCE]);
  checkEqual('Ref-YouTube-VOS', ours.score, py);
  return line(
    'Ref-YouTube-VOS',
    ours.seconds,
    py.seconds,
    TARGET_REF_YOUTUBE_VOS,
    `${split.frames * 3} pairs of 854×480`,
  );
}

async function mevis(root: string): Promise<string> {
  const dir = path.join(root, 'mevis');
  const pred = path.join(dir, 'pred');
  const info = await writeMevisSplit(dir, 'valid_u', {
    seed: 'bench',
    videos: 10,
    frames: 30,
    objects: [1, 4],
    width: 1280,
    height: 720,
    absent: 0.15,
    noise: 0,
    predictions: pred,
    missingVideos: 0,
  });
  const ours = timeOurs(dir, 'valid_u', pred);
  const py = python(path.join(__dirname, '..', 'test', 'reference', 'eval_mevis_ref.py'), [info.splitDir, pred]);
  checkEqual('MeViS', ours.score, py);
  const pairs = ours.score.expressions.reduce((n, e) => n + e.frames.length, 0);
  return line(
    'MeViS',
    ours.seconds,
    py.seconds,
    TARGET_MEVIS,
    `${ours.score.expressions.length} expressions, ${pairs} pairs of 1280×720`,
  );
}

async function mevisTrainScale(): Promise<string[]> {
  if (!existsSync(path.join(TRAIN_ROOT, 'train', 'meta_expressions.json'))) {
    const start = performance.now();
    await rm(TRAIN_ROOT, { recursive: true, force: true });
    await writeMevisSplit(TRAIN_ROOT, 'train', {
      seed: 'train',
      videos: TRAIN.videos,
      frames: TRAIN.frames,
      objects: { total: TRAIN.objects },
      width: 1280,
      height: 720,
      absent: 0.1,
    });
    console.log(
      `  (generated ${TRAIN_ROOT} in ${((performance.now() - start) / 1000).toFixed(0)} s; kept for later runs)`,
    );
  }
  const child = path.join(__dirname, 'lib', 'mevisTrainOpen.ts');
  const r = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', child, TRAIN_ROOT, 'train'], { encoding: 'utf8' }),
  ) as {
    openMs: number;
    openCpuMs: number;
    firstFrameMs: number;
    firstFrameCpuMs: number;
    objects: number;
    rssMB: number;
    videos: number;
    lists: number;
  };
  const sizeMB = Number(
    execFileSync('du', ['-m', path.join(TRAIN_ROOT, 'train', 'mask_dict.json')], { encoding: 'utf8' }).split('\t')[0],
  );
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    `MeViS train scale: ${r.videos} videos, ${r.lists} objects × ${TRAIN.frames} frames, mask_dict.json ${sizeMB} MB (fresh process):`,
    `  open split (streaming index)     ${r.openMs.toFixed(0)} ms, CPU ${r.openCpuMs.toFixed(0)} ms  (target < ${TRAIN.openMs} ms: ${verdict(r.openMs < TRAIN.openMs)})`,
    `  first frame's masks (${r.objects} objects)  ${r.firstFrameMs.toFixed(1)} ms, CPU ${r.firstFrameCpuMs.toFixed(1)} ms  (target < ${TRAIN.firstFrameMs} ms: ${verdict(r.firstFrameMs < TRAIN.firstFrameMs)})`,
    `  resident memory after both       ${r.rssMB.toFixed(0)} MB  (target < ${TRAIN.memoryMB} MB: ${verdict(r.rssMB < TRAIN.memoryMB)})`,
  ];
}

async function main(): Promise<void> {
  if (!existsSync(FIXTURES)) {
    console.error(`bench/benchmarks.ts: shared fixtures not found at ${FIXTURES}`);
    process.exit(2);
  }
  const copies = Number(process.argv[2] ?? 2);
  execFileSync(process.execPath, [path.join(__dirname, '..', 'esbuild.mjs')], {
    cwd: path.join(__dirname, '..'),
    stdio: 'ignore',
  });
  await inBenchDir('benchmarks', async (root) => {
    console.log(
      `Scoring end to end (rvos score --json from dist/, ${Math.min(availableParallelism(), 8)} worker threads; machine load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs) vs the Python references (one process):`,
    );
    console.log(await refYoutubeVos(root, copies));
    console.log(await mevis(root));
    for (const l of await mevisTrainScale()) console.log(l);
  });
}

runBench(main);
