// Bad models, bad expressions and bad frames through the viewer's YOFO runner (YofoRuns with the real inference
// worker, a tiny real model, the real result cache and a Ref-Shapes clip): a clear error naming the file, nothing
// cached for a failed run, and the next run works. rvos eval's handling of the same cases is in badInput.test.ts.

import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { framePath, openDataset, type Dataset } from '../../src/core/dataset';
import { InputError } from '../../src/core/errors';
import type { Expression, Mask } from '../../src/core/types';
import { YofoRuns, type YofoJob, type YofoOutcome } from '../../src/host/yofo/yofoRuns';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { ResultCache } from '../../src/inference/resultCache';
import { writeSampleDataset } from '../helpers/badData';
import { tempDir } from '../helpers/tinyDataset';
import { writeTinyModel } from './inferenceTinyModel';

let ds: Dataset;
let modelRoot: string;
let good: string;
let client: InferenceClient;
let cache: ResultCache;

before(async () => {
  ds = await openDataset(await writeSampleDataset(2));
  modelRoot = await tempDir('runner-models');
  good = (await writeTinyModel(path.join(modelRoot, 'good'))).dir;
  cache = new ResultCache(await tempDir('runner-cache'));
  client = new InferenceClient();
});

after(async () => {
  client.dispose();
  await rm(path.dirname(ds.root), { recursive: true, force: true });
  await rm(modelRoot, { recursive: true, force: true });
  await rm(path.dirname(cache.dir), { recursive: true, force: true });
});

function runs(modelDir: string): YofoRuns {
  return new YofoRuns(client, cache, () => ({ modelDir, executionProvider: 'cpu', cacheResults: true }));
}

function job(videoIndex: number, text?: string): YofoJob {
  const video = ds.videos[videoIndex];
  const expression: Expression = { ...video.expressions[0], ...(text === undefined ? {} : { text }) };
  return { ds, video, expression };
}

async function run(modelDir: string, j: YofoJob): Promise<{ outcome: YofoOutcome; masks: Mask[] }> {
  const masks: Mask[] = [];
  const outcome = await runs(modelDir).run(j, { frame: (f) => masks.push(f.mask) }, new AbortController().signal);
  return { outcome, masks };
}

async function cacheEntries(): Promise<string[]> {
  return readdir(cache.dir).catch(() => []);
}

describe('models through the viewer runner', () => {
  it('NaN logits: an InputError naming the frame and the model, after the masks of the frames before it; nothing cached; the good model then runs', async () => {
    const nan = (await writeTinyModel(path.join(modelRoot, 'nan'), { nanLogits: true })).dir;
    const j = job(0);
    const frames = j.video.frames.map((f) => framePath(ds, j.video.id, f));
    await cache.clear();
    const streamed: number[] = [];
    let failed = -1;
    await assert.rejects(
      runs(nan).run(j, { frame: (f) => streamed.push(f.index) }, new AbortController().signal),
      (e: unknown) => {
        failed = e instanceof InputError ? frames.indexOf(e.file) : -1;
        return (
          failed >= 0 &&
          /non-finite logit \(NaN or ±Infinity\)/.test((e as InputError).problem) &&
          (e as InputError).problem.includes(path.join(nan, 'model.json'))
        );
      },
    );
    assert.deepEqual(streamed, [...Array(failed).keys()], 'the frames before the broken one, none after');
    assert.deepEqual(await cacheEntries(), [], 'nothing cached');
    const { outcome, masks } = await run(good, j);
    assert.equal(masks.length, j.video.frames.length);
    assert.equal(outcome.cached, false);
  });

  it('infinite values (inputs that overflow float32) are refused the same way', async () => {
    const inf = (await writeTinyModel(path.join(modelRoot, 'inf'))).dir;
    const manifest = JSON.parse(await readFile(path.join(inf, 'model.json'), 'utf8'));
    manifest.input.std = [1e-45, 1e-45, 1e-45];
    await writeFile(path.join(inf, 'model.json'), JSON.stringify(manifest));
    const j = job(0);
    await assert.rejects(
      runs(inf).run(j, {}, new AbortController().signal),
      (e: unknown) => e instanceof InputError && /non-finite logit/.test(e.problem),
    );
  });

  it('a missing model folder, a corrupt graph and a wrong manifest field: InputErrors naming the file; the next run works', async () => {
    const corrupt = (await writeTinyModel(path.join(modelRoot, 'corrupt'))).dir;
    await writeFile(path.join(corrupt, 'text.onnx'), 'garbage');
    const field = (await writeTinyModel(path.join(modelRoot, 'field'))).dir;
    const manifest = JSON.parse(await readFile(path.join(field, 'model.json'), 'utf8'));
    manifest.input.width = -16;
    await writeFile(path.join(field, 'model.json'), JSON.stringify(manifest));
    const cases: [string, string][] = [
      [path.join(modelRoot, 'absent'), path.join(modelRoot, 'absent', 'model.json')],
      [corrupt, path.join(corrupt, 'text.onnx')],
      [field, path.join(field, 'model.json')],
    ];
    for (const [dir, file] of cases) {
      await assert.rejects(
        runs(dir).run(job(1), {}, new AbortController().signal),
        (e: unknown) => e instanceof InputError && e.file === file,
        dir,
      );
    }
    assert.equal((await run(good, job(1))).masks.length, ds.videos[1].frames.length);
  });
});

describe('expressions through the viewer runner', () => {
  it('empty or punctuation-only: an InputError saying so, nothing cached', async () => {
    await cache.clear();
    for (const text of ['', ' ?! — ']) {
      const j = job(0, text);
      await assert.rejects(
        runs(good).run(j, {}, new AbortController().signal),
        (e: unknown) =>
          e instanceof InputError &&
          e.file === `${j.video.id}/${j.expression.expId}` &&
          /^expression is empty \(no letters or digits to tokenize\)/.test(e.problem),
        JSON.stringify(text),
      );
    }
    assert.deepEqual(await cacheEntries(), []);
  });

  it('10,000 characters run as their first maxTokens words; non-ASCII and unknown words run and are listed, also from the cache', async () => {
    const long = 'red square left '.repeat(625);
    assert.equal(long.length, 10_000);
    const a = await run(good, job(0, long));
    const b = await run(good, job(0, 'red square left red square left')); // the tiny model reads 6 tokens
    assert.deepEqual(a.masks, b.masks);
    assert.deepEqual(a.outcome.unknownWords, []);

    const foreign = await run(good, job(0, 'der rote Würfel, 赤い四角 🟥 red zebra'));
    assert.equal(foreign.masks.length, ds.videos[0].frames.length);
    assert.deepEqual(foreign.outcome.unknownWords, ['der', 'rote', 'w', 'rfel', 'zebra']);
    const replay = await run(good, job(0, 'der rote Würfel, 赤い四角 🟥 red zebra'));
    assert.equal(replay.outcome.cached, true);
    assert.deepEqual(replay.outcome.unknownWords, foreign.outcome.unknownWords);
    assert.deepEqual(replay.masks, foreign.masks);
  });
});

describe('frames through the viewer runner', () => {
  it('a missing or truncated frame fails the run naming the JPEG, after the frames before it; nothing cached; other clips run', async () => {
    const j = job(0);
    const broken = framePath(ds, j.video.id, j.video.frames[2]);
    const original = await readFile(broken);
    const damages: [string, () => Promise<void>, RegExp][] = [
      ['missing', () => rm(broken), /^frame image not found$/],
      ['truncated', () => writeFile(broken, original.subarray(0, 300)), /^cannot decode frame image: /],
    ];
    try {
      for (const [name, damage, problem] of damages) {
        await cache.clear();
        await damage();
        const streamed: number[] = [];
        await assert.rejects(
          runs(good).run(j, { frame: (f) => streamed.push(f.index) }, new AbortController().signal),
          (e: unknown) => e instanceof InputError && e.file === broken && problem.test(e.problem),
          name,
        );
        assert.deepEqual(streamed, [0, 1], `${name}: the frames before it were shown`);
        assert.deepEqual(await cacheEntries(), [], `${name}: nothing cached`);
        assert.equal((await run(good, job(1))).masks.length, ds.videos[1].frames.length, `${name}: another clip runs`);
        await writeFile(broken, original);
      }
    } finally {
      await writeFile(broken, original);
    }
  });
});
