// Expression probing through YofoRuns with the real inference worker, the tiny model, the tiny dataset and the real
// result cache: one row per variant, each score equal to running that text directly, streamed in order, replayed from
// the cache the second time, cancellable, and refused without ground truth.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { probeVariants, type ProbeScore } from '../../src/core/analysis/probe';
import type { Dataset } from '../../src/core/dataset';
import type { Expression } from '../../src/core/types';
import { NoGroundTruthError, probeExpression, whyNotProbeable } from '../../src/host/yofo/probeRunner';
import { YofoRuns, type YofoJob, type YofoSettings } from '../../src/host/yofo/yofoRuns';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { ResultCache } from '../../src/inference/resultCache';
import { openYofoRunsFixture, type YofoRunsFixture } from '../helpers/yofoRunsFixture';
import type { TinyModel } from './inferenceTinyModel';

let ds: Dataset;
let tiny: TinyModel;
let client: InferenceClient;
let cacheRoot: string;
let fixture: YofoRunsFixture;

before(async () => {
  // Real frames: a gentle dark ramp, so the small shift a text makes in the tiny model's logits (its token count)
  // moves the mask boundary and the texts score differently.
  fixture = await openYofoRunsFixture((i, k) => 20 + (Math.floor(i / 3) % 16) * 3 + Math.floor(i / 48) * 2 + k * 5);
  ({ ds, tiny, client, cacheRoot } = fixture);
});

after(() => fixture.dispose());

function runs(settings: Partial<YofoSettings> = {}): YofoRuns {
  const all: YofoSettings = { modelDir: tiny.dir, executionProvider: 'cpu', cacheResults: true, ...settings };
  return new YofoRuns(client, new ResultCache(cacheRoot), () => all);
}

function job(videoId: string, expId: string, override?: Partial<Expression>): YofoJob {
  const video = ds.videoById.get(videoId)!;
  return { ds, video, expression: { ...video.expressions.find((e) => e.expId === expId)!, ...override } };
}

test('one row per variant, each equal to running that text directly; streamed in order; the cache serves the second probe', async () => {
  await new ResultCache(cacheRoot).clear();
  const probed = job('vidA', '0'); // "the red square on the left"
  const expected = probeVariants(probed.expression.text);
  assert.equal(expected.length, 7, 'six dropped words and left→right (without colours = without "red")');
  let started: { original: string; variants: readonly unknown[] } | undefined;
  const rows: { row: number; score: ProbeScore; cached: boolean }[] = [];
  const result = await probeExpression(
    runs(),
    probed,
    {
      started: (original, variants) => (started = { original, variants }),
      row: (row, score, cached) => rows.push({ row, score, cached }),
    },
    new AbortController().signal,
  );
  assert.deepEqual(started, { original: probed.expression.text, variants: expected });
  assert.deepEqual(
    rows.map((r) => r.row),
    Array.from({ length: expected.length + 1 }, (_, i) => i),
  );
  assert.ok(rows.every((r) => !r.cached));
  assert.equal(result.variants.length, expected.length);
  assert.deepEqual(
    result.variants.map((v) => v.text),
    expected.map((v) => v.text),
  );

  // Each score is what a plain YOFO run of that text scores (without the cache, so it really runs again).
  const direct = runs({ cacheResults: false });
  const original = await direct.run(probed, {}, new AbortController().signal);
  assert.deepEqual({ J: result.original.J, F: result.original.F, JF: result.original.JF }, original.score);
  assert.deepEqual(rows[0].score, original.score);
  for (const [k, v] of result.variants.entries()) {
    const alone = await direct.run(job('vidA', '0', { text: v.text }), {}, new AbortController().signal);
    assert.deepEqual({ J: v.J, F: v.F, JF: v.JF }, alone.score, v.text);
    assert.deepEqual(rows[k + 1].score, alone.score);
    assert.equal(v.drop, original.score!.JF - alone.score!.JF);
  }
  assert.ok(
    new Set([result.original.JF, ...result.variants.map((v) => v.JF)]).size > 1,
    'the texts score differently, so a mixed-up row would show',
  );

  // Probing again replays every text from the result cache with the same scores.
  const again: { score: ProbeScore; cached: boolean }[] = [];
  await probeExpression(
    runs(),
    probed,
    { row: (_, score, cached) => again.push({ score, cached }) },
    new AbortController().signal,
  );
  assert.ok(again.every((r) => r.cached));
  assert.deepEqual(
    again.map((r) => r.score),
    rows.map((r) => r.score),
  );
});

test('cancelling stops the probe with an AbortError after the rows already streamed', async () => {
  await new ResultCache(cacheRoot).clear();
  const abort = new AbortController();
  const rows: number[] = [];
  await assert.rejects(
    probeExpression(
      runs(),
      job('vidA', '1'),
      { row: (row) => (rows.push(row), row === 1 && abort.abort()) },
      abort.signal,
    ),
    (err: Error) => err.name === 'AbortError',
  );
  assert.deepEqual(rows, [0, 1]);
});

test('without ground truth the probe is refused before any run, with the reason', async () => {
  let started = false;
  const noObject = job('vidA', '0', { objId: undefined, text: 'my own words' });
  assert.match(whyNotProbeable(noObject) ?? '', /"my own words" \(vidA\) has no ground truth/);
  await assert.rejects(
    probeExpression(runs(), noObject, { started: () => (started = true) }, new AbortController().signal),
    (err: Error) => err instanceof NoGroundTruthError && /no ground truth/.test(err.message),
  );
  assert.equal(started, false);
  const noAnnotations = { ...job('vidA', '0'), ds: { ...ds, hasAnnotations: false } };
  assert.match(whyNotProbeable(noAnnotations) ?? '', /has no ground-truth annotations/);
  assert.equal(whyNotProbeable(job('vidA', '0')), undefined);
});
