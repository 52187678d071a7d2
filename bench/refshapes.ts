// Ref-Shapes generation speed at the YOFO training size (160×96), on one core:
//   UV_THREADPOOL_SIZE=1 taskset -c 0 node --import tsx bench/refshapes.ts [clips=300]
// Prints clips/s for scene building alone (plan + render + facts + expressions) and for the full writer (plus JPEG
// and PNG encoding and file writes), measured in the same run, and their ratio.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { buildClip } from '../src/core/refshapes/clip';
import { generateRefShapes } from '../src/core/refshapes/generate';
import { ClipRenderer } from '../src/core/refshapes/render';

async function main(): Promise<void> {
  const clips = Number(process.argv[2] ?? 300);
  const [width, height, seed] = [160, 96, 2022];
  sharp.concurrency(1);

  const renderer = new ClipRenderer(width, height, seed);
  let expressions = 0;
  const t0 = performance.now();
  for (let i = 0; i < clips; i++) expressions += buildClip(seed, i, renderer).expressions.length;
  const sceneSeconds = (performance.now() - t0) / 1000;

  const dir = await mkdtemp(path.join(tmpdir(), 'refshapes-bench-'));
  try {
    const t1 = performance.now();
    const result = await generateRefShapes(path.join(dir, 'out'), { videos: clips, seed, width, height });
    const fullSeconds = (performance.now() - t1) / 1000;
    console.log(`Ref-Shapes ${width}×${height}, ${clips} clips, ${result.frames} frames, ${expressions} expressions`);
    console.log(`scenes only : ${(clips / sceneSeconds).toFixed(1)} clips/s (${sceneSeconds.toFixed(2)} s)`);
    console.log(`full writer : ${(clips / fullSeconds).toFixed(1)} clips/s (${fullSeconds.toFixed(2)} s)`);
    console.log(`encoding+I/O share of the full run: ${(1 - sceneSeconds / fullSeconds).toFixed(2)}`);
    console.log(`projected time for 2,000 clips: ${((2000 / clips) * fullSeconds).toFixed(0)} s`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
