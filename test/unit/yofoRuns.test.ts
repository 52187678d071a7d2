// YofoRuns (the viewer's YOFO orchestration) with the real inference worker, a tiny real model, the real result cache
// and the tiny dataset: streamed frames, per-frame and expression scores equal to the split scorer's, cache replay,
// cancel (nothing cached), no ground truth, a bad model then a good one, the CPU notice once.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { annotationPath, type Dataset } from '../../src/core/dataset';
import { decodeIndexMask } from '../../src/core/png';
import { scoreSplit } from '../../src/core/evaluate';
import { openPredictionRun } from '../../src/core/predictions';
import { scorePair } from '../../src/core/scoring';
import type { Expression } from '../../src/core/types';
import { objectMask } from '../../src/host/clipViewer/frameMasks';
import { YofoRuns, type YofoFrame, type YofoJob, type YofoSettings } from '../../src/host/yofo/yofoRuns';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { ResultCache } from '../../src/inference/resultCache';
import { tempDir, writePrediction } from '../helpers/tinyDataset';
import { openYofoRunsFixture, type YofoRunsFixture } from '../helpers/yofoRunsFixture';
import type { TinyModel } from './inferenceTinyModel';

let ds: Dataset;
let tiny: TinyModel;
let client: InferenceClient;
let cacheRoot: string;
let fixture: YofoRunsFixture;
const dirs: string[] = [];

before(async () => {
  // Real frames: gradients that differ per frame, so masks are partial.
  fixture = await openYofoRunsFixture((i, k) => (Math.floor(i / 3) % 16) * 16 + k * 50);
  ({ ds, tiny, client, cacheRoot } = fixture);
});

after(async () => {
  await fixture.dispose();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function runs(
  settings: Partial<YofoSettings> = {},
  onNotice?: (m: string) => void,
): { yofo: YofoRuns; cache: ResultCache } {
  const cache = new ResultCache(cacheRoot);
  const all: YofoSettings = { modelDir: tiny.dir, executionProvider: 'cpu', cacheResults: true, ...settings };
  return { yofo: new YofoRuns(client, cache, () => all, onNotice), cache };
}

function job(videoId: string, expId: string, override?: Partial<Expression>): YofoJob {
  const video = ds.videoById.get(videoId)!;
  const expression = { ...video.expressions.find((e) => e.expId === expId)!, ...override };
  return { ds, video, expression };
}

test('streams every frame in order with J/F against the object, and the expression J&F equals the split scorer on the same masks', async () => {
  const { yofo, cache } = runs();
  await cache.clear();
  const frames: YofoFrame[] = [];
  let started: unknown;
  const outcome = await yofo.run(
    job('vidA', '1'),
    { started: (s) => (started = s), frame: (f) => frames.push(f) },
    new AbortController().signal,
  );
  assert.deepEqual(started, {
    modelName: outcome.modelName,
    modelId: outcome.modelId,
    device: 'cpu',
    total: 2,
    cached: false,
  });
  assert.deepEqual(
    frames.map((f) => f.index),
    [0, 1],
  );
  const video = ds.videoById.get('vidA')!;
  const runDir = await tempDir('yofo-run');
  dirs.push(runDir);
  for (const f of frames) {
    const gtFile = annotationPath(ds, 'vidA', video.frames[f.index]);
    const gt = objectMask(decodeIndexMask(await readFile(gtFile), gtFile), 2);
    assert.deepEqual(f.score, scorePair(gt, f.mask));
    await writePrediction(runDir, 'vidA', '1', video.frames[f.index], f.mask);
  }
  const masks = frames.map((f) => [...f.mask.data].reduce((a, b) => a + b, 0));
  assert.ok(
    masks.some((n) => n > 0 && n < 16 * 12),
    `masks should be partial, got ${masks.join(', ')} pixels`,
  );
  const reference = (
    await scoreSplit(ds, await openPredictionRun(runDir), { videos: ['vidA'], workers: 1 })
  ).expressions.find((e) => e.expId === '1')!;
  assert.deepEqual(outcome.score, { J: reference.J, F: reference.F, JF: reference.JF });
  assert.equal(outcome.cached, false);
  assert.equal(outcome.cacheProblem, undefined);

  // Reopening replays from the cache: same masks and scores, flagged as cached.
  const replay: YofoFrame[] = [];
  const again = await yofo.run(job('vidA', '1'), { frame: (f) => replay.push(f) }, new AbortController().signal);
  assert.equal(again.cached, true);
  assert.deepEqual(again.score, outcome.score);
  assert.deepEqual(
    replay.map((f) => [f.index, [...f.mask.data], f.score]),
    frames.map((f) => [f.index, [...f.mask.data], f.score]),
  );
  // Each frame's W map and memory use come with it, streamed and replayed alike.
  assert.deepEqual(
    frames.map((f) => f.insight?.memory.map((m) => m.frame)),
    [[], [0]],
  );
  assert.deepEqual(
    replay.map((f) => f.insight),
    frames.map((f) => f.insight),
  );
});

test('a cache entry without W maps (a writer that had none) is run again and rewritten with them', async () => {
  const { yofo, cache } = runs();
  await cache.clear();
  const video = ds.videoById.get('vidB')!;
  const model = await client.load({ modelDir: tiny.dir, executionProvider: 'cpu' });
  const key = {
    modelId: model.modelId,
    datasetRoot: ds.root,
    split: ds.split,
    video: 'vidB',
    expression: video.expressions[0].text,
  };
  const empty = video.frames.map(() => ({ width: 16, height: 12, data: new Uint8Array(16 * 12) }));
  await cache.put(key, video.frames, empty, { unknownWords: [] });
  const frames: YofoFrame[] = [];
  const outcome = await yofo.run(job('vidB', '0'), { frame: (f) => frames.push(f) }, new AbortController().signal);
  assert.equal(outcome.cached, false);
  assert.ok(frames.every((f) => f.insight));
  assert.deepEqual(
    (await cache.get(key, video.frames))?.insights,
    frames.map((f) => f.insight),
  );
});

test('a cancelled run rejects, keeps what was streamed, and caches nothing', async () => {
  const { yofo, cache } = runs();
  await cache.clear();
  const abort = new AbortController();
  const frames: YofoFrame[] = [];
  await assert.rejects(
    yofo.run(job('vidB', '0'), { frame: (f) => (frames.push(f), abort.abort()) }, abort.signal),
    (err: Error) => err.name === 'AbortError',
  );
  assert.ok(frames.length <= 1, `frames after cancel: ${frames.length}`);
  const video = ds.videoById.get('vidB')!;
  const model = await client.load({ modelDir: tiny.dir, executionProvider: 'cpu' });
  const key = {
    modelId: model.modelId,
    datasetRoot: ds.root,
    split: ds.split,
    video: 'vidB',
    expression: video.expressions[0].text,
  };
  assert.equal(await cache.get(key, video.frames), undefined);
});

test('without ground truth (no obj_id) frames have no score and there is no expression score; cacheResults=false writes nothing', async () => {
  const { yofo, cache } = runs({ cacheResults: false });
  await cache.clear();
  const frames: YofoFrame[] = [];
  const outcome = await yofo.run(
    job('vidA', '0', { objId: undefined, text: 'a user typed shape' }),
    { frame: (f) => frames.push(f) },
    new AbortController().signal,
  );
  assert.equal(frames.length, 2);
  assert.ok(frames.every((f) => f.score === undefined));
  assert.equal(outcome.score, undefined);
  assert.deepEqual([...outcome.unknownWords].sort(), ['a', 'shape', 'typed', 'user']); // the tiny vocabulary has none of them
  const again = await yofo.run(
    job('vidA', '0', { objId: undefined, text: 'a user typed shape' }),
    {},
    new AbortController().signal,
  );
  assert.equal(again.cached, false);
});

test('a user expression linked to an object is scored against that object', async () => {
  const { yofo } = runs({ cacheResults: false });
  // No frame listener: the expression score must not depend on one.
  const linked = await yofo.run(
    job('vidA', '0', { expId: 'user-1', text: 'my words', objId: '2' }),
    {},
    new AbortController().signal,
  );
  const frames: YofoFrame[] = [];
  const asObjectTwo = await yofo.run(
    job('vidA', '1', { text: 'my words' }),
    { frame: (f) => frames.push(f) },
    new AbortController().signal,
  );
  assert.ok(linked.score && frames.every((f) => f.score));
  assert.deepEqual(linked.score, asObjectTwo.score);
});

test('a model folder that is not a YOFO model fails with the engine message; the next run with a good model works', async () => {
  const bad = await tempDir('not-a-model');
  dirs.push(bad);
  const { yofo: broken } = runs({ modelDir: bad });
  await assert.rejects(broken.run(job('vidA', '1'), {}, new AbortController().signal), (err: Error) =>
    err.message.includes(path.join(bad, 'model.json')),
  );
  const { yofo } = runs();
  const outcome = await yofo.run(job('vidA', '1'), {}, new AbortController().signal);
  assert.equal(outcome.total, 2);
});

test('the CPU notice (auto without CUDA) is told once per YofoRuns', async (t) => {
  const { isCudaInstalled } = await import('../../src/inference/executionProvider');
  if (isCudaInstalled()) return t.skip('the CUDA provider is installed here: auto would not fall back to the CPU');
  const notices: string[] = [];
  const { yofo } = runs({ executionProvider: 'auto' }, (m) => notices.push(m));
  await yofo.run(job('vidA', '1'), {}, new AbortController().signal);
  await yofo.run(job('vidB', '0'), {}, new AbortController().signal);
  assert.equal(notices.length, 1);
  assert.match(notices[0], /CPU/);
});
