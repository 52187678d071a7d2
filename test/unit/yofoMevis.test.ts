// YOFO on a MeViS split, with the real worker and the tiny real model: the viewer's per-expression run (YofoRuns)
// scores every frame against the union of the expression's anno_id masks — an empty mask where none of its objects is
// present — and its J&F equals the split scorer's MeViS rules on the same masks, as does Run YOFO on Split's output.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { openBenchmarkDataset } from '../../src/core/benchmarks';
import type { Dataset } from '../../src/core/dataset';
import { scoreSplit } from '../../src/core/evaluate';
import { encodeGrayPng } from '../../src/core/png';
import { openPredictionRun } from '../../src/core/predictions';
import { paintRle, type CocoRle } from '../../src/core/rle/coco';
import { scorePair } from '../../src/core/scoring';
import type { Mask } from '../../src/core/types';
import { whyNotProbeable } from '../../src/host/yofo/probeRunner';
import { YofoRuns, type YofoFrame } from '../../src/host/yofo/yofoRuns';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { ResultCache } from '../../src/inference/resultCache';
import { writeSplitPredictions } from '../../src/inference/splitPredictions';
import { writeMevisSplit } from '../helpers/mevisSplit';
import { tempDir, writeBytes } from '../helpers/tinyDataset';
import { writeTinyModel, type TinyModel } from './inferenceTinyModel';

const WIDTH = 16;
const HEIGHT = 12;
let root: string;
let ds: Dataset;
let maskDict: Record<string, (CocoRle | null)[]>;
let tiny: TinyModel;
let client: InferenceClient;

before(async () => {
  root = await tempDir('yofo-mevis');
  // Seed chosen so that expression 2 of v00000 (both objects) has a frame where neither object is present.
  await writeMevisSplit(root, 'valid_u', {
    seed: 'yofo',
    videos: 1,
    frames: 4,
    objects: [2, 2],
    width: WIDTH,
    height: HEIGHT,
    absent: 0.4,
    frameImages: true,
  });
  ds = await openBenchmarkDataset(root);
  maskDict = JSON.parse(await readFile(path.join(root, 'valid_u', 'mask_dict.json'), 'utf8')) as typeof maskDict;
  tiny = await writeTinyModel(path.join(root, 'model'));
  client = new InferenceClient();
});

after(async () => {
  client.dispose();
  await rm(root, { recursive: true, force: true });
});

/** The MeViS truth of frame t, decoded here from the whole parsed mask_dict.json: the union of the anno_id masks. */
function union(annoIds: string[], t: number): Mask {
  const mask: Mask = { width: WIDTH, height: HEIGHT, data: new Uint8Array(WIDTH * HEIGHT) };
  for (const id of annoIds) {
    const rle = maskDict[id][t];
    if (rle) paintRle(rle, mask);
  }
  return mask;
}

test('the viewer scores a multi-object expression on every frame against the union of its objects, as rvos score does', async () => {
  const video = ds.videos[0];
  const expression = video.expressions.find((e) => (e.annoIds?.length ?? 0) > 1)!;
  assert.deepEqual([...expression.annoIds!].sort(), ['0', '1']);
  const absentFrames = video.frames.filter((_, t) => union(expression.annoIds!, t).data.every((v) => v === 0));
  assert.ok(absentFrames.length > 0, 'the seed should leave a frame without any referred object');

  const cache = new ResultCache(path.join(root, 'cache'));
  const runs = new YofoRuns(client, cache, () => ({
    modelDir: tiny.dir,
    executionProvider: 'cpu',
    cacheResults: true,
  }));
  const job = { ds, video, expression };
  assert.equal(whyNotProbeable(job), undefined);
  const frames: YofoFrame[] = [];
  const outcome = await runs.run(job, { frame: (f) => frames.push(f) }, new AbortController().signal);
  assert.deepEqual(
    frames.map((f) => f.index),
    [0, 1, 2, 3],
  );
  const run = path.join(root, 'viewer-run');
  for (const f of frames) {
    assert.equal(f.note, undefined);
    assert.deepEqual(f.score, scorePair(union(expression.annoIds!, f.index), f.mask), `frame ${f.index}`);
    const png = encodeGrayPng({ ...f.mask, data: f.mask.data.map((v) => (v ? 255 : 0)) });
    await writeBytes(path.join(run, video.id, expression.expId, `${video.frames[f.index]}.png`), png);
  }
  const reference = (
    await scoreSplit(ds, await openPredictionRun(run, undefined, { videoFolders: true }), { skipUnscorable: true })
  ).expressions.find((e) => e.expId === expression.expId)!;
  assert.equal(reference.frames.length, 4, 'MeViS scores every frame of the video');
  assert.deepEqual(outcome.score, { J: reference.J, F: reference.F, JF: reference.JF });

  // Run YOFO on Split writes the same masks (from the cache) and the split scorer gives each expression the viewer's
  // score.
  const out = path.join(root, 'split-run');
  await writeSplitPredictions({
    ds,
    videoIds: [video.id],
    client,
    modelDir: tiny.dir,
    executionProvider: 'cpu',
    cache,
    outDir: out,
    signal: new AbortController().signal,
  });
  const split = await scoreSplit(ds, await openPredictionRun(out));
  for (const e of video.expressions) {
    const viewer = await runs.run({ ds, video, expression: e }, {}, new AbortController().signal);
    const scored = split.expressions.find((s) => s.expId === e.expId)!;
    assert.deepEqual(viewer.score, { J: scored.J, F: scored.F, JF: scored.JF }, `expression ${e.expId}`);
  }
});
