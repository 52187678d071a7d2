// The variant table ("why is my number different?"): hand-computed rows, and on a real (tiny) dataset its official
// row equals the scorer's number; `rvos score --benchmark ref-davis17 / --variants` through the command module.

import assert from 'node:assert/strict';
import { cp, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { runVariantTable } from '../../src/core/benchmarks/variants/forRun';
import { variantTable, type ExpressionFrames, type FrameRecord } from '../../src/core/benchmarks/variants/variants';
import { openDataset } from '../../src/core/dataset';
import { scoreSplit } from '../../src/core/evaluate';
import { openPredictionRun } from '../../src/core/predictions';
import { scoreCommand } from '../../src/cli/scoreCommand';
import { InputError, UnscorableError } from '../../src/core/errors';
import {
  FRAMES,
  OBJECT_RECTS,
  rectMask,
  tempDir,
  tinyMetaExpressions,
  writeJson,
  writePerfectRun,
  writePrediction,
  writeTinyDataset,
} from '../helpers/tinyDataset';

const fr = (J: number, F: number, annotated = true, gtEmpty = false): FrameRecord => ({
  frame: '',
  annotated,
  gtEmpty,
  J,
  F,
});

function expression(
  expId: string,
  objectKey: string,
  frames: FrameRecord[],
  tags: string[] = [],
  targets = 1,
): ExpressionFrames {
  return { video: 'v', expId, objectKey, targets, tags, frames };
}

test('variantTable: each protocol row re-aggregates the same frames; subsets keep the official rule', () => {
  const rows = variantTable(
    [
      // frames: annotated 0.5/0.7, unannotated with a false positive, annotated with empty truth (scored 1), annotated 0.9/0.5
      expression(
        '0',
        'v/1',
        [fr(0.5, 0.7), fr(0, 0, false, true), fr(1, 1, true, true), fr(0.9, 0.5)],
        ['first-frame'],
      ),
      expression('1', 'v/1', [fr(0.2, 0.4), fr(0.4, 0.6)], ['full-video']),
      expression('2', 'v/2', [fr(1, 1, true, true), fr(1, 1, true, true)], [], 2),
    ],
    'annotated',
  );
  const by = new Map(rows.map((r) => [r.name, r]));
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  near(by.get('official')!.J, ((0.5 + 1 + 0.9) / 3 + 0.3 + 1) / 3);
  near(by.get('all frames')!.J, ((0.5 + 0 + 1 + 0.9) / 4 + 0.3 + 1) / 3);
  near(by.get('first/last frame dropped')!.J, 1); // only exp 0 keeps an annotated frame (the empty-truth one, J = 1)
  assert.equal(by.get('first/last frame dropped')!.expressions, 1);
  near(by.get('per object')!.J, (((0.5 + 1 + 0.9) / 3 + 0.3) / 2 + 1) / 2);
  near(by.get('target frames only')!.J, ((0.5 + 0.9) / 2 + 0.3) / 2);
  assert.equal(by.get('no target')!.expressions, 1);
  assert.equal(by.get('with target')!.expressions, 2);
  assert.equal(by.get('several objects')!.expressions, 1);
  near(by.get('full-video')!.JF, (0.3 + 0.5) / 2);
  near(by.get('first-frame')!.delta, by.get('first-frame')!.JF - by.get('official')!.JF);
  assert.equal(by.get('official')!.delta, 0);
});

async function tinyWithUnannotatedFrame(): Promise<{ root: string; runDir: string }> {
  const meta = tinyMetaExpressions() as { videos: Record<string, { frames: string[] }> };
  meta.videos.vidA.frames = [...FRAMES, '00010']; // listed, never annotated
  const root = await writeTinyDataset(meta);
  const runDir = await writePerfectRun();
  await writePrediction(runDir, 'vidA', '0', '00010', rectMask(OBJECT_RECTS.vidA)); // a false positive there
  return { root, runDir };
}

test('runVariantTable: the official row equals scoreSplit; a listed frame without annotation refuses it', async () => {
  const complete = await openDataset(await writeTinyDataset(), 'train');
  const perfect = await openPredictionRun(await writePerfectRun());
  const { rows } = await runVariantTable(complete, perfect);
  const score = await scoreSplit(complete, perfect, { workers: 0 });
  assert.equal(rows[0].J, score.J);
  assert.equal(rows[0].F, score.F);
  assert.equal(rows[0].JF, 1);
  // A listed frame without annotation: strict scoring refuses the split, and so the variants and the CLI.
  const { root, runDir } = await tinyWithUnannotatedFrame();
  const ds = await openDataset(root, 'train');
  const run = await openPredictionRun(runDir);
  const namesTheFrame = (err: unknown) => err instanceof UnscorableError && /00010\.png/.test(err.problem);
  await assert.rejects(scoreSplit(ds, run, { workers: 0 }), namesTheFrame);
  await assert.rejects(runVariantTable(ds, run), namesTheFrame);
  const refused = await scoreCommand
    .run({
      positionals: [root],
      values: { pred: runDir, variants: true },
      stdout: () => undefined,
      stderr: () => undefined,
      signal: new AbortController().signal,
    })
    .catch((err: unknown) => err);
  assert.ok(refused instanceof UnscorableError, 'rvos score --variants is as strict as rvos score');
});

async function runScore(args: string[], values: Record<string, string | boolean>): Promise<string> {
  let out = '';
  const code = await scoreCommand.run({
    positionals: args,
    values,
    stdout: (t) => (out += t),
    stderr: () => undefined,
    signal: new AbortController().signal,
  });
  assert.equal(code, 0);
  return out;
}

test('rvos score --benchmark ref-davis17: annotator runs (mean of four) and per-expression mode, with --variants', async () => {
  // A converted Ref-DAVIS17 whose valid split is the tiny dataset's train split (object 1 → expressions 0–3).
  const { root, runDir } = await tinyWithUnannotatedFrame();
  await cp(path.join(root, 'train'), path.join(root, 'valid'), { recursive: true });
  const objects = { vidA: ['1', '2'], vidB: ['1'] } as Record<string, string[]>;
  const videos: Record<string, unknown> = {};
  for (const [video, ids] of Object.entries(objects)) {
    const expressions: Record<string, unknown> = {};
    ids.forEach((obj, k) =>
      [0, 1, 2, 3].forEach((a) => (expressions[String(4 * k + a)] = { exp: `object ${obj} run ${a}`, obj_id: obj })),
    );
    videos[video] = { expressions, frames: FRAMES };
  }
  await writeJson(path.join(root, 'meta_expressions', 'valid', 'meta_expressions.json'), { videos });
  // Per-expression predictions: perfect for every expression.
  const perExpression = path.join(runDir, 'per-expression');
  for (const [video, ids] of Object.entries(objects)) {
    for (const [k, obj] of ids.entries()) {
      for (const a of [0, 1, 2, 3]) {
        for (const frame of FRAMES)
          await writePrediction(
            perExpression,
            video,
            String(4 * k + a),
            frame,
            rectMask(OBJECT_RECTS[video].filter((r) => String(r[0]) === obj)),
          );
      }
    }
  }
  const perExp = JSON.parse(
    await runScore([root], { pred: perExpression, benchmark: 'ref-davis17', variants: true, json: true }),
  ) as { mode: string; JF: number; variants: { name: string }[] };
  assert.equal(perExp.mode, 'per-expression');
  assert.equal(perExp.JF, 1);
  assert.ok(
    perExp.variants.some((r) => r.name === 'first-frame expressions') &&
      perExp.variants.some((r) => r.name === 'annotator 2, full-video'),
  );

  // Annotator runs: anno_<a>/<video>/<frame>.png = the annotation itself (a perfect run).
  const runs = path.join(runDir, 'runs');
  for (const a of [0, 1, 2, 3]) await mkdir(path.join(runs, `anno_${a}`), { recursive: true });
  for (const a of [0, 1, 2, 3])
    await cp(path.join(root, 'valid', 'Annotations'), path.join(runs, `anno_${a}`), { recursive: true });
  const text = await runScore([root], { pred: runs, benchmark: 'ref-davis17', variants: true });
  assert.match(text, /mode: annotator runs/);
  assert.match(text, /mean\s+reported Ref-DAVIS17 number\s+100\.0/);
  assert.match(text, /first\/last frame dropped/);
  const empty = await tempDir('no-runs');
  await assert.rejects(
    runScore([root], { pred: empty, benchmark: 'ref-davis17' }),
    (e: unknown) => e instanceof InputError && e.file === empty && /anno_0 … anno_3/.test(e.problem),
  );
});
