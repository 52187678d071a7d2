// Ref-DAVIS17 / DAVIS 2017 unsupervised protocol: the Hungarian solver against scipy and brute force, the statistics
// against numpy, and whole runs (generated sequences and the real DAVIS masks) against test/golden's Python
// re-implementation of davis2017-evaluation's rules — every value equal within 1e-9.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  evaluateRefDavis,
  evaluateUnsupervisedRun,
  annotatorRunOf,
  expressionIdOf,
  isFirstFrameExpression,
} from '../../src/core/benchmarks/davis17/refDavis';
import { linearSumAssignment } from '../../src/core/benchmarks/davis17/hungarian';
import { davisStatistics, numpyMean } from '../../src/core/benchmarks/davis17/numpyStats';
import type { UnsupervisedSummary } from '../../src/core/benchmarks/davis17/unsupervised';
import { InputError } from '../../src/core/errors';
import { encodeIndexPng } from '../../src/core/png';
import { Rng } from '../../src/core/random';
import { tempDir, writeBytes } from '../helpers/tinyDataset';

const PYTHON = '/usr/bin/python3';
const ROOT = path.join(__dirname, '../..');
const REAL = path.join(ROOT, 'test/fixtures/davis2017-masks');

function python(args: string[], input?: string): string {
  const r = spawnSync(PYTHON, args, { input, encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  return r.stdout;
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 || (Number.isNaN(actual) && Number.isNaN(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

function bruteForceMin(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0].length;
  const tall = rows > cols;
  const n = Math.min(rows, cols);
  const m = Math.max(rows, cols);
  const at = (i: number, j: number) => (tall ? cost[j][i] : cost[i][j]);
  let best = Infinity;
  const used = new Array<boolean>(m).fill(false);
  const go = (i: number, sum: number): void => {
    if (i === n) return void (best = Math.min(best, sum));
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = true;
      go(i + 1, sum + at(i, j));
      used[j] = false;
    }
  };
  go(0, 0);
  return best;
}

function randomMatrix(rng: Rng, rows: number, cols: number, levels: number): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => (levels > 0 ? Math.floor(rng.float() * levels) : rng.float())),
  );
}

test('linearSumAssignment: optimal on random matrices, and the same pairs as scipy (ties included)', () => {
  const rng = new Rng('hungarian');
  const cases: number[][][] = [];
  for (let k = 0; k < 300; k++) {
    const rows = 1 + Math.floor(rng.float() * 6);
    const cols = 1 + Math.floor(rng.float() * 6);
    cases.push(randomMatrix(rng, rows, cols, k % 3 === 0 ? 0 : 1 + (k % 4))); // small integer levels: many ties
  }
  cases.push(
    [
      [5, 5, 5],
      [5, 5, 5],
      [5, 5, 5],
    ],
    [[0]],
    [
      [1, 2],
      [1, 2],
      [1, 2],
    ],
  );
  const ours = cases.map((c) => linearSumAssignment(c));
  cases.forEach((c, k) => {
    const total = ours[k].reduce((s, p) => s + c[p.row][p.col], 0);
    close(total, bruteForceMin(c), `case ${k} total`);
    assert.equal(ours[k].length, Math.min(c.length, c[0].length));
  });
  const script =
    'import json,sys\nfrom scipy.optimize import linear_sum_assignment as l\nprint(json.dumps([[list(map(int,x)) for x in l(c)] for c in json.load(sys.stdin)]))';
  const scipy = JSON.parse(python(['-c', script], JSON.stringify(cases))) as [number[], number[]][];
  cases.forEach((_, k) => {
    assert.deepEqual(
      ours[k].map((p) => p.row),
      scipy[k][0],
      `case ${k} rows`,
    );
    assert.deepEqual(
      ours[k].map((p) => p.col),
      scipy[k][1],
      `case ${k} cols`,
    );
  });
});

test('linearSumAssignment: empty and non-finite input', () => {
  assert.deepEqual(linearSumAssignment([]), []);
  assert.throws(() => linearSumAssignment([[1, NaN]]), /finite/);
});

test('davisStatistics and numpyMean equal numpy for 1 … 300 frames (the uint8 quarter edges wrap past 256)', () => {
  const rng = new Rng('stats');
  const series = [1, 2, 3, 4, 5, 8, 9, 17, 64, 129, 200, 256, 257, 300].map((n) =>
    Array.from({ length: n }, () => (rng.float() < 0.2 ? 1 : rng.float())),
  );
  const script = [
    'import json,sys,numpy as np',
    'out=[]',
    'for v in json.load(sys.stdin):',
    ' v=np.array(v,dtype=np.float64); ids=(np.round(np.linspace(1,len(v),5)+1e-10)-1).astype(np.uint8)',
    ' q=[v[ids[i]:ids[i+1]+1] for i in range(4)]',
    ' d=float(np.nanmean(q[0])-np.nanmean(q[3]))',
    ' out.append([float(np.mean(v)),float(np.nanmean(v>0.5)),None if np.isnan(d) else d])',
    'print(json.dumps(out))',
  ].join('\n');
  const expected = JSON.parse(python(['-W', 'ignore', '-c', script], JSON.stringify(series))) as (number | null)[][];
  series.forEach((v, k) => {
    const s = davisStatistics(v);
    assert.equal(numpyMean(v), expected[k][0], `mean of ${v.length} bit-exact`);
    close(s.recall, expected[k][1]!, `recall n=${v.length}`);
    close(s.decay, expected[k][2] ?? NaN, `decay n=${v.length}`); // NaN: a wrapped, empty quarter
  });
  assert.ok(
    series.some((v) => Number.isNaN(davisStatistics(v).decay)),
    'the wrap case is exercised',
  );
});

test('expression ids 4·k + a: annotator run and first-frame vs full-video', () => {
  assert.equal(expressionIdOf(2, 3), '11');
  assert.equal(annotatorRunOf('11'), 3);
  assert.deepEqual(['0', '1', '2', '3', '4'].map(isFirstFrameExpression), [true, false, true, false, true]);
});

// ---- Generated sequences: more / fewer / no predicted objects, absent objects, empty frames, void, ties. ----

const W = 24;
const H = 18;

type Blob = [id: number, x0: number, y0: number, x1: number, y1: number];

function frameMask(blobs: Blob[]): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(W * H);
  for (const [id, x0, y0, x1, y1] of blobs)
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * W + x] = id;
  return { width: W, height: H, data };
}

/** A moving box per id over `frames` frames, jittered, present where `present(t)` says. */
function track(rng: Rng, id: number, frames: number, present: (t: number) => boolean = () => true): Blob[][] {
  let x = Math.floor(rng.float() * 14);
  let y = Math.floor(rng.float() * 10);
  const w = 3 + Math.floor(rng.float() * 6);
  const h = 3 + Math.floor(rng.float() * 6);
  return Array.from({ length: frames }, (_, t) => {
    x = Math.max(0, Math.min(W - w, x + Math.floor(rng.float() * 5) - 2));
    y = Math.max(0, Math.min(H - h, y + Math.floor(rng.float() * 5) - 2));
    return present(t) ? [[id, x, y, x + w, y + h]] : [];
  });
}

function merge(frames: number, ...tracks: Blob[][][]): Blob[][] {
  return Array.from({ length: frames }, (_, t) => tracks.flatMap((tr) => tr[t]));
}

interface GeneratedSequence {
  name: string;
  gt: Blob[][];
  pred: Blob[][];
}

function generatedSequences(): GeneratedSequence[] {
  const rng = new Rng('davis17-unsupervised');
  const seqs: GeneratedSequence[] = [];
  // More predicted than true objects, one predicted object duplicated (a tie for the matching).
  {
    const n = 9;
    const gt = merge(n, track(rng, 1, n), track(rng, 2, n));
    const p1 = track(rng, 1, n);
    const dup = p1.map((f) => f.map(([, ...r]) => [3, ...r] as Blob));
    seqs.push({ name: 'more', gt, pred: merge(n, track(rng, 4, n), dup, p1, track(rng, 2, n)) });
  }
  // Fewer predicted than true objects.
  {
    const n = 6;
    seqs.push({
      name: 'fewer',
      gt: merge(n, track(rng, 1, n), track(rng, 2, n), track(rng, 3, n)),
      pred: merge(n, track(rng, 1, n)),
    });
  }
  // Object 2 absent in the first frame (still counted), object 1 leaving (empty frames), object 4 only later (not
  // counted: ids come from the first frame), predictions empty in some frames, a void (255) band.
  {
    const n = 13;
    const gt = merge(
      n,
      track(rng, 1, n, (t) => t < 7),
      track(rng, 2, n, (t) => t > 2),
      track(rng, 3, n),
      track(rng, 4, n, (t) => t > 5),
    );
    gt.forEach((f) => f.push([255, 0, H - 2, W, H]));
    const pred = merge(
      n,
      track(rng, 2, n, (t) => t % 4 !== 1),
      track(rng, 1, n, (t) => t < 9),
      track(rng, 5, n, (t) => t === 4),
    );
    seqs.push({ name: 'absent', gt, pred });
  }
  // No prediction at all; and one single-frame sequence.
  {
    const n = 4;
    seqs.push({ name: 'nothing', gt: merge(n, track(rng, 1, n), track(rng, 2, n)), pred: merge(n) });
    seqs.push({ name: 'single', gt: merge(1, track(rng, 1, 1)), pred: merge(1, track(rng, 1, 1), track(rng, 2, 1)) });
  }
  return seqs;
}

async function writeSequences(seqs: GeneratedSequence[]): Promise<{ gtDir: string; runDir: string }> {
  const dir = await tempDir('davis17');
  const gtDir = path.join(dir, 'gt');
  const runDir = path.join(dir, 'run');
  for (const s of seqs) {
    for (let t = 0; t < s.gt.length; t++) {
      const name = `${String(t).padStart(5, '0')}.png`;
      await writeBytes(path.join(gtDir, s.name, name), encodeIndexPng(frameMask(s.gt[t])));
      await writeBytes(path.join(runDir, s.name, name), encodeIndexPng(frameMask(s.pred[t])));
    }
  }
  return { gtDir, runDir };
}

interface RefSummary {
  JF: number;
  J: { M: number; R: number; D: number };
  F: { M: number; R: number; D: number };
  objects: {
    label: string;
    trueId: number;
    predictedId: number;
    J: { M: number; R: number; D: number };
    F: { M: number; R: number; D: number };
  }[];
}

function assertSameAsReference(ours: UnsupervisedSummary, ref: RefSummary): void {
  assert.equal(ours.objects.length, ref.objects.length);
  ours.objects.forEach((o, k) => {
    const r = ref.objects[k];
    assert.equal(o.label, r.label);
    assert.equal(o.trueId, r.trueId, `${o.label} true id`);
    assert.equal(o.predictedId, r.predictedId, `${o.label} predicted id`);
    for (const [key, mine, theirs] of [
      ['J', o.J, r.J],
      ['F', o.F, r.F],
    ] as const) {
      close(mine.mean, theirs.M, `${o.label} ${key} mean`);
      close(mine.recall, theirs.R, `${o.label} ${key} recall`);
      close(mine.decay, theirs.D, `${o.label} ${key} decay`);
    }
  });
  close(ours.JF, ref.JF, 'J&F');
  for (const key of ['J', 'F'] as const) {
    close(ours[key].mean, ref[key].M, `${key} mean`);
    close(ours[key].recall, ref[key].R, `${key} recall`);
    close(ours[key].decay, ref[key].D, `${key} decay`);
  }
}

const REF_SCRIPT = 'test/golden/davis17_unsupervised_ref.py';

test('unsupervised run on generated sequences equals the Python reference (more, fewer, absent, none, single frame)', async () => {
  const seqs = generatedSequences();
  const { gtDir, runDir } = await writeSequences(seqs);
  const names = seqs.map((s) => s.name);
  const ours = await evaluateUnsupervisedRun(gtDir, runDir, names);
  const ref = JSON.parse(python([REF_SCRIPT, gtDir, runDir, ...names])) as RefSummary;
  assertSameAsReference(ours, ref);
  // The cases are really there: 2 + 3 + 3 + 2 + 1 true objects, a padded empty prediction in "fewer" and "nothing".
  assert.equal(ours.objects.length, 11);
  assert.ok(ours.objects.some((o) => o.sequence === 'nothing' && o.J.mean === 0));
  assert.ok(ours.objects.filter((o) => o.sequence === 'absent').some((o) => o.trueEmptyFrames.some((e) => e)));
});

// Two of the four sequences: the Python reference needs ~5 s of CPU per 1,000 pairs of 480×854 masks.
test('unsupervised run on the real DAVIS masks (osvos as truth, rvos with 20 proposals) equals the Python reference', async () => {
  const names = ['blackswan', 'dogs-jump'];
  const gtDir = path.join(REAL, 'osvos');
  const runDir = path.join(REAL, 'rvos');
  const ours = await evaluateUnsupervisedRun(gtDir, runDir, names);
  const ref = JSON.parse(python([REF_SCRIPT, gtDir, runDir, ...names])) as RefSummary;
  assertSameAsReference(ours, ref);
  assert.equal(ours.objects.length, 1 + 3);
  assert.ok(
    ours.objects.some((o) => o.predictedId !== o.trueId),
    'the matching is not the identity here',
  );
});

test('Ref-DAVIS17: the four annotator runs are averaged; bad runs name the file', async () => {
  const seqs = generatedSequences();
  const { gtDir, runDir } = await writeSequences(seqs);
  const predRoot = path.dirname(runDir);
  const { rename, cp, rm } = await import('node:fs/promises');
  await rename(runDir, path.join(predRoot, 'anno_0'));
  for (const a of [1, 2, 3])
    await cp(path.join(predRoot, 'anno_0'), path.join(predRoot, `anno_${a}`), { recursive: true });
  // Run 2 differs: one sequence predicted empty.
  await rm(path.join(predRoot, 'anno_2', 'more'), { recursive: true });
  for (let t = 0; t < 9; t++)
    await writeBytes(
      path.join(predRoot, 'anno_2', 'more', `${String(t).padStart(5, '0')}.png`),
      encodeIndexPng(frameMask([])),
    );
  const names = seqs.map((s) => s.name);
  const score = await evaluateRefDavis(gtDir, predRoot, names);
  const runs = score.runs.map((r) => r.summary.JF);
  close(score.JF, (runs[0] + runs[1] + runs[2] + runs[3]) / 4, 'mean of the four runs');
  assert.ok(runs[2] < runs[0]);
  close(runs[0], runs[1], 'identical runs');

  await rm(path.join(predRoot, 'anno_3', 'fewer', '00003.png'));
  await assert.rejects(
    evaluateRefDavis(gtDir, predRoot, names),
    (e: unknown) =>
      e instanceof InputError && /anno_3.fewer.00003\.png$/.test(e.file) && /missing predicted mask/.test(e.problem),
  );
  await writeBytes(path.join(predRoot, 'anno_3', 'fewer', '00003.png'), encodeIndexPng(frameMask([[21, 0, 0, 2, 2]])));
  await assert.rejects(
    evaluateRefDavis(gtDir, predRoot, names),
    (e: unknown) => e instanceof InputError && /above 20/.test(e.problem),
  );
  await rm(path.join(predRoot, 'anno_1'), { recursive: true });
  await assert.rejects(
    evaluateRefDavis(gtDir, predRoot, names),
    (e: unknown) => e instanceof InputError && /anno_0, anno_1/.test(e.problem),
  );
});
