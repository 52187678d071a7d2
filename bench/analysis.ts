// Failure-inspection speed on a train-scale synthetic split (12,913 expressions × 30 frames, 3,471 videos):
// building the expression index, sorting worst-first, filter passes and histograms; and the difference overlay:
// 36 frames of 1280×720 with two overlays (two runs) composited onto the frame.
//   node --import tsx bench/analysis.ts [repeats=15]
// Targets: sort + filter < 100 ms; overlays ≥ 30 frames/s.

import { performance } from 'node:perf_hooks';
import { compositeOver, diffOverlay, type DiffColours } from '../src/core/analysis/diffOverlay';
import { ExpressionIndex, type ExpressionQuery } from '../src/core/analysis/expressionIndex';
import { histogram, histogramsByCategory } from '../src/core/analysis/histogram';
import { Rng } from '../src/core/random';
import type { ExpressionScore, Mask, SplitScore, Video } from '../src/core/types';
import { EXPRESSION_WORDS } from './lib/words';

const repeats = Number(process.argv[2] ?? 15);
const EXPRESSIONS = 12_913;
const VIDEOS = 3_471;
const FRAMES = 30;
const CATEGORIES = ['appearance', 'position', 'relation', 'motion'];
const OBJECTS = ['person', 'dog', 'cat', 'car', 'horse', 'bird', 'zebra', 'giraffe', 'truck', 'boat'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(fn: () => void, n = repeats): number {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function synthSplit(seed: number): { score: SplitScore; videos: Map<string, Video> } {
  const rng = new Rng(seed, 'bench-analysis');
  const rand = () => rng.float();
  const expressions: ExpressionScore[] = [];
  const videos = new Map<string, Video>();
  for (let i = 0; i < EXPRESSIONS; i++) {
    const v = `${(i % VIDEOS).toString(16).padStart(10, '0')}`;
    const expId = String(Math.floor(i / VIDEOS));
    let video = videos.get(v);
    if (!video) videos.set(v, (video = { id: v, frames: [], expressions: [], objects: {} }));
    const objId = String(1 + (i % 3));
    video.expressions.push({ expId, text: '', objId });
    video.objects[objId] = { objId, category: OBJECTS[Math.floor(rand() * OBJECTS.length)], frames: [] };
    const text = Array.from(
      { length: 4 + Math.floor(rand() * 8) },
      () => EXPRESSION_WORDS[Math.floor(rand() * EXPRESSION_WORDS.length)],
    ).join(' ');
    const frames = Array.from({ length: FRAMES }, (_, f) => ({
      frame: String(f * 5).padStart(5, '0'),
      J: Math.round(rand() * 1000) / 1000,
      F: Math.round(rand() * 1000) / 1000,
      missing: false,
    }));
    const J = frames.reduce((s, f) => s + f.J, 0) / FRAMES;
    const F = frames.reduce((s, f) => s + f.F, 0) / FRAMES;
    expressions.push({ video: v, expId, expression: text, category: CATEGORIES[i % 4], J, F, JF: (J + F) / 2, frames });
  }
  return { score: { J: 0, F: 0, JF: 0, expressions }, videos };
}

// ---- Find
const { score, videos } = synthSplit(1);
const { score: baseline } = synthSplit(2);
let t0 = performance.now();
const index = new ExpressionIndex(score, { videos, baseline });
const buildMs = performance.now() - t0;
t0 = performance.now();
for (const m of ['JF', 'J', 'F', 'deltaJF'] as const) index.order(m);
const firstSortsMs = performance.now() - t0;

const queries: [string, ExpressionQuery][] = [
  ['worst-first by J&F, no filter', { sortBy: 'JF' }],
  ['J&F in [0.4, 0.5)', { sortBy: 'JF', filter: { scoreRange: { measure: 'JF', min: 0.4, max: 0.5 } } }],
  ['words "red dog"', { sortBy: 'JF', filter: { words: 'red dog' } }],
  [
    'category + object category + words',
    { sortBy: 'J', filter: { categories: ['motion'], objectCategories: ['dog', 'cat'], words: 'run' } },
  ],
  ['100 videos', { sortBy: 'F', filter: { videos: [...videos.keys()].slice(0, 100) } }],
  [
    'ΔJ&F < −0.05, best-first, page of 100',
    { sortBy: 'deltaJF', order: 'best-first', filter: { scoreRange: { measure: 'deltaJF', max: -0.05 } }, limit: 100 },
  ],
];
console.log(`Find: ${EXPRESSIONS} expressions × ${FRAMES} frames, ${VIDEOS} videos (median of ${repeats})`);
console.log(`  build index (keys, worst frames, baseline join)  ${buildMs.toFixed(1)} ms (once per scored run)`);
console.log(`  first sort of all 4 measures                      ${firstSortsMs.toFixed(1)} ms (once, then cached)`);
let worstQuery = 0;
for (const [name, q] of queries) {
  const ms = time(() => index.query(q));
  worstQuery = Math.max(worstQuery, ms);
  console.log(`  query: ${name.padEnd(42)} ${ms.toFixed(2)} ms, ${index.query(q).total} rows`);
}
const histMs = time(() => histogram(index, 'JF', { bins: 20 }));
const perCatMs = time(() => histogramsByCategory(index, 'objectCategory', 'JF', { bins: 20 }));
console.log(`  histogram, 20 bins                                ${histMs.toFixed(2)} ms`);
console.log(
  `  histograms per object category (${index.objectCategories.length})              ${perCatMs.toFixed(2)} ms`,
);
const coldMs = time(() => new ExpressionIndex(score, { videos }).query({ sortBy: 'JF', filter: { words: 'red' } }), 5);
console.log(`  cold: build + sort + filter                       ${coldMs.toFixed(1)} ms`);
console.log(
  `  target < 100 ms for sort + filter: slowest query ${worstQuery.toFixed(2)} ms (${(100 / worstQuery).toFixed(0)}× under), cold ${coldMs.toFixed(1)} ms (${(100 / coldMs).toFixed(1)}×)`,
);

// ---- See
const W = 1280;
const H = 720;
const N = 36;
const colours: DiffColours = { tp: [0, 158, 115], fp: [213, 94, 0], fn: [0, 114, 178] };
function ellipse(cx: number, cy: number, rx: number, ry: number): Mask {
  const data = new Uint8Array(W * H);
  for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(H, cy + ry); y++) {
    for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(W, cx + rx); x++) {
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) data[y * W + x] = 1;
    }
  }
  return { width: W, height: H, data };
}
const gts = Array.from({ length: N }, (_, i) => ellipse(400 + i * 10, 360, 200, 150));
const runA = Array.from({ length: N }, (_, i) => ellipse(420 + i * 10, 350, 190, 160));
const runB = Array.from({ length: N }, (_, i) => ellipse(380 + i * 10, 370, 230, 140));
const frames = Array.from({ length: N }, (_, i) => new Uint8ClampedArray(W * H * 4).fill(40 + i));
const overlayA = new Uint8ClampedArray(W * H * 4);
const overlayB = new Uint8ClampedArray(W * H * 4);
for (const mode of ['fill', 'outline'] as const) {
  const ms = time(
    () => {
      for (let i = 0; i < N; i++) {
        diffOverlay(gts[i], runA[i], overlayA, { colours, opacity: 0.5, mode });
        diffOverlay(gts[i], runB[i], overlayB, { colours, opacity: 0.5, mode });
        const frame = frames[i];
        compositeOver(frame, 4, overlayA);
        compositeOver(frame, 4, overlayB);
      }
    },
    Math.max(3, Math.floor(repeats / 3)),
  );
  const fps = (N * 1000) / ms;
  console.log(
    `See (${mode}): ${N} frames ${W}×${H}, two overlays + composite: ${ms.toFixed(0)} ms, ${fps.toFixed(0)} frames/s (target ≥ 30: ${(fps / 30).toFixed(1)}×)`,
  );
}
