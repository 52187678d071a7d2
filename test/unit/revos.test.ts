// ReVOS metrics (J, F, A, R) and aggregation against test/golden's Python re-implementation of VISA's
// eval_revos.py rules, on generated frames: overlapping targets (value 2), no-target expressions, empty frames,
// 0/255 and 0/1 predictions (A and R depend on the values, as in the script). Every value equal within 1e-9.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  expressionMeans,
  frameRobustness,
  pythonRound2,
  scoreRevosFrame,
  summarizeRevos,
  type RevosExpressionScore,
  type ValueMask,
} from '../../src/core/benchmarks/revos/metrics';
import { Rng } from '../../src/core/random';

const W = 20;
const H = 14;

function box(rng: Rng, value: number, into: Uint8Array): void {
  const x0 = Math.floor(rng.float() * (W - 4));
  const y0 = Math.floor(rng.float() * (H - 4));
  const x1 = x0 + 2 + Math.floor(rng.float() * 8);
  const y1 = y0 + 2 + Math.floor(rng.float() * 6);
  for (let y = y0; y < Math.min(y1, H); y++)
    for (let x = x0; x < Math.min(x1, W); x++) into[y * W + x] = (into[y * W + x] + value) & 0xff;
}

interface GenExpression {
  video: string;
  expId: string;
  typeId: number;
  frames: { gt: number[]; pred: number[]; fg: number[] }[];
}

function generate(): GenExpression[] {
  const rng = new Rng('revos');
  const out: GenExpression[] = [];
  for (let k = 0; k < 24; k++) {
    const typeId = k % 3;
    const targets = typeId === 2 ? 0 : 1 + (k % 2); // several targets overlap into value 2
    const predValue = k % 4 === 0 ? 1 : 255;
    const frames = [];
    const n = 2 + (k % 5);
    for (let t = 0; t < n; t++) {
      const gt = new Uint8Array(W * H);
      const pred = new Uint8Array(W * H);
      const fg = new Uint8Array(W * H);
      if (t !== 1) for (let o = 0; o < targets; o++) box(rng, 1, gt); // frame 1: target absent
      if (rng.float() < 0.8) box(rng, predValue, pred);
      if (rng.float() < 0.3) pred.fill(0); // empty prediction
      box(rng, 1, fg);
      box(rng, 1, fg);
      frames.push({ gt: [...gt], pred: [...pred], fg: [...fg] });
    }
    out.push({ video: `v${k >> 2}`, expId: String(k), typeId, frames });
  }
  return out;
}

const mask = (data: number[]): ValueMask => ({ width: W, height: H, data: Uint8Array.from(data) });

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9, `${what}: ${actual} vs ${expected}`);
}

test('ReVOS J, F, A, R per expression and the referring / reason / overall summary equal the Python reference', () => {
  const data = generate();
  const ours: RevosExpressionScore[] = data.map((e) => ({
    video: e.video,
    expId: e.expId,
    typeId: e.typeId,
    ...expressionMeans(e.frames.map((f) => scoreRevosFrame(mask(f.gt), mask(f.pred), mask(f.fg)))),
  }));
  const r = spawnSync('/usr/bin/python3', [path.join(__dirname, '../golden/revos_ref.py')], {
    input: JSON.stringify({ width: W, height: H, expressions: data }),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  const ref = JSON.parse(r.stdout) as {
    expressions: Record<string, number>[];
    summary: Record<string, Record<string, number>>;
  };
  ours.forEach((e, k) => {
    for (const key of ['J', 'F', 'A', 'R'] as const) close(e[key], ref.expressions[k][key], `expression ${k} ${key}`);
  });
  const summary = summarizeRevos(ours);
  for (const group of ['referring', 'reason', 'overall', 'noTarget'] as const) {
    for (const key of ['J', 'F', 'A', 'R', 'JF'] as const)
      close(summary[group][key], ref.summary[group][key], `${group} ${key}`);
  }
  assert.equal(summary.noTarget.expressions, 8);
  assert.ok(ours.some((e) => e.R === 0) && ours.some((e) => e.R > 0.5), 'R spans the clamp and real values');
});

test('R wraps like uint8 arithmetic: overlap 2 under a 255 prediction adds 1, background under 255 adds 255', () => {
  const gt = mask([2, 0, 1, 0, ...new Array(W * H - 4).fill(0)]);
  const pred = mask([255, 255, 255, 1, ...new Array(W * H - 4).fill(0)]);
  const fg = mask(new Array(W * H).fill(0).map((_, i) => (i < 1000 ? 1 : 0)));
  // neg = 1 (2→255·255 mod 256) + 255 + 0 + 1 = 257; pos = W·H = 280
  close(frameRobustness(gt, pred, fg), Math.max(1 - 257 / (280 + 1e-6), 0), 'R');
});

test("pythonRound2 rounds exact halves to even like Python's round(x, 2)", () => {
  assert.equal(pythonRound2(0.125), 0.12);
  assert.equal(pythonRound2(0.375), 0.38);
  assert.equal(pythonRound2(12.345), 12.35); // 12.345 is stored slightly above the half
  assert.equal(pythonRound2(1.005), 1); // and 1.005 slightly below
  assert.equal(pythonRound2(66.666666), 66.67);
});
