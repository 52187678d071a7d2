// Time to open a train-scale Ref-YouTube-VOS split (3,471 videos, 12,913 expressions, ~30 frames each):
//   node --import tsx bench/open-dataset.ts [runs=7]
// Writes the metadata (meta_expressions.json, meta.json) and one empty JPEGImages folder per video into a temp dir,
// then prints the median openDataset time against the 300 ms target, the first (cold) open, and the time of reading
// and JSON.parse alone, measured in the same run.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openDataset } from '../src/core/dataset';
import { Rng } from '../src/core/random';

const VIDEOS = 3471;
const EXPRESSIONS = 12913;
const TARGET_MS = 300;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Metadata shaped like the real train split: hex ids, 1–3 objects, 2–6 expressions, frames mostly every 5th. */
function trainScaleMetadata(): { metaExpressions: unknown; meta: unknown; ids: string[] } {
  const rng = new Rng(2022, 'open-dataset-bench');
  const rand = () => rng.float();
  const videos: Record<string, unknown> = {};
  const objects: Record<string, unknown> = {};
  const ids: string[] = [];
  let expId = 0;
  for (let v = 0; v < VIDEOS; v++) {
    let id: string;
    do id = (rng.uint32().toString(16) + rng.uint32().toString(16)).padStart(10, '0').slice(-10);
    while (id in videos);
    ids.push(id);
    const count = 20 + Math.floor(rand() * 21); // 20–40 frames, ~30 on average
    const step = rand() < 0.9 ? 5 : 1 + Math.floor(rand() * 5); // most videos every 5th frame, some not
    const frames = Array.from({ length: count }, (_, i) => String(i * step).padStart(5, '0'));
    const nObjects = 1 + Math.floor(rand() * 3);
    const objs: Record<string, unknown> = {};
    for (let o = 1; o <= nObjects; o++) objs[String(o)] = { category: 'person', frames };
    // Spread the 12,913 expressions evenly over the videos (3.72 per video on average).
    const target = Math.round(((v + 1) * EXPRESSIONS) / VIDEOS);
    const expressions: Record<string, unknown> = {};
    for (let e = 0; expId < target; e++, expId++) {
      expressions[String(e)] = {
        exp: `a person in a red jacket walking to the left number ${e}`,
        obj_id: String(1 + (e % nObjects)),
      };
    }
    videos[id] = { expressions, frames };
    objects[id] = { objects: objs };
  }
  return { metaExpressions: { videos }, meta: { videos: objects }, ids };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const root = await mkdtemp(path.join(tmpdir(), 'rvos-open-bench-'));
  try {
    const { metaExpressions, meta, ids } = trainScaleMetadata();
    const metaFile = path.join(root, 'meta_expressions', 'train', 'meta_expressions.json');
    await mkdir(path.dirname(metaFile), { recursive: true });
    await writeFile(metaFile, JSON.stringify(metaExpressions, null, 4)); // indented like the real file
    await mkdir(path.join(root, 'train'), { recursive: true });
    await writeFile(path.join(root, 'train', 'meta.json'), JSON.stringify(meta, null, 4));
    for (const id of ids) await mkdir(path.join(root, 'train', 'JPEGImages', id), { recursive: true });

    const times: number[] = [];
    let ds;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      ds = await openDataset(root);
      times.push(performance.now() - t);
    }
    if (!ds) throw new Error(`runs is ${runs}; at least one is needed`);
    const parseTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      JSON.parse(await readFile(metaFile, 'utf8'));
      JSON.parse(await readFile(path.join(root, 'train', 'meta.json'), 'utf8'));
      parseTimes.push(performance.now() - t);
    }
    const expressions = ds.videos.reduce((n, v) => n + v.expressions.length, 0);
    const open = median(times);
    const parse = median(parseTimes);
    const frames = ds.videos.reduce((n, v) => n + v.frames.length, 0);
    console.log(
      `train-scale split: ${ds.videos.length} videos, ${expressions} expressions, ${frames} frames, ${ds.problems.length} problems`,
    );
    console.log(
      `openDataset median of ${runs}: ${open.toFixed(1)} ms (target < ${TARGET_MS} ms: ${open < TARGET_MS ? 'met' : 'MISSED'}, ${(open / TARGET_MS).toFixed(2)}× of target)`,
    );
    console.log(`first open (cold JIT, what a fresh extension host sees): ${times[0].toFixed(1)} ms`);
    console.log(
      `read + JSON.parse of both files alone: ${parse.toFixed(1)} ms (${(open / parse).toFixed(2)}× of that for the whole open)`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

void main();
