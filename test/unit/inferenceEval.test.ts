// `rvos eval` end to end on a generated Ref-Shapes sample and the hand-built tiny contract model, through the real CLI
// entry (sources under tsx, so it runs before `npm run build`).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { decodePng } from '../../src/core/png';
import type { SplitScore } from '../../src/core/types';
import { ResultCache } from '../../src/inference/resultCache';
import { rvos } from '../helpers/badData';
import { writeTinyModel } from './inferenceTinyModel';

let dir: string;
let dataset: string;
let model: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rvos-eval-test-'));
  dataset = path.join(dir, 'sample');
  const r = await rvos('sample', dataset, '--videos', '2', '--seed', '5', '--width', '64', '--height', '48');
  assert.equal(r.code, 0, r.stderr);
  model = (await writeTinyModel(path.join(dir, 'model'))).dir;
});
after(() => rm(dir, { recursive: true, force: true }));

test('rvos eval --json prints the rvos score object plus fps, and writes 0/255 PNGs in the server layout', async () => {
  const out = path.join(dir, 'out');
  const r = await rvos('eval', dataset, '--model', model, '--out', out, '--json', '--execution-provider', 'cpu');
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as SplitScore & { fps: number };
  for (const k of ['F', 'J', 'JF', 'expressions', 'fps']) assert.ok(k in result, k);
  assert.ok(result.fps > 0);
  for (const k of ['J', 'F', 'JF'] as const) assert.ok(result[k] >= 0 && result[k] <= 1);
  const meta = JSON.parse(
    await readFile(path.join(dataset, 'meta_expressions', 'train', 'meta_expressions.json'), 'utf8'),
  );
  const expected = Object.values(meta.videos as Record<string, { expressions: object }>).reduce(
    (n, v) => n + Object.keys(v.expressions).length,
    0,
  );
  assert.equal(result.expressions.length, expected);
  const first = result.expressions[0];
  assert.deepEqual(
    Object.keys(first).filter((k) => ['video', 'expId', 'expression', 'J', 'F', 'JF', 'frames'].includes(k)).length,
    7,
  );
  const video = meta.videos[first.video];
  const frameFiles = (await readdir(path.join(out, 'Annotations', first.video, first.expId))).sort();
  assert.deepEqual(
    frameFiles,
    video.frames.map((f: string) => `${f}.png`),
  );
  const png = decodePng(await readFile(path.join(out, 'Annotations', first.video, first.expId, frameFiles[0])), 'x');
  assert.deepEqual([png.width, png.height, png.colorType], [64, 48, 0]);
  assert.ok(png.samples.every((v) => v === 0 || v === 255));
  // Scoring the written folder with `rvos score` gives the same numbers.
  const score = await rvos('score', dataset, '--pred', out, '--json');
  assert.equal(score.code, 0, score.stderr);
  const { fps: _fps, ...withoutFps } = result;
  assert.deepEqual(JSON.parse(score.stdout), withoutFps, 'exactly the rvos score object plus fps');
});

test('the result cache serves a second run with identical predictions', async () => {
  const cache = path.join(dir, 'cache');
  const a = await rvos('eval', dataset, '--model', model, '--out', path.join(dir, 'c1'), '--cache', cache, '--json');
  assert.equal(a.code, 0, a.stderr);
  const entries = await readdir(new ResultCache(cache).dir);
  assert.ok(entries.length > 0 && entries.every((e) => /^[0-9a-f]{64}$/.test(e)));
  // rvos eval stores each frame's W map and memory use too, so the viewer can replay them from the same cache.
  assert.ok(entries.every((e) => existsSync(path.join(new ResultCache(cache).dir, e, 'weights.bin'))));
  const b = await rvos('eval', dataset, '--model', model, '--out', path.join(dir, 'c1'), '--cache', cache, '--json');
  assert.equal(b.code, 0, b.stderr);
  const strip = (s: string) => ({ ...JSON.parse(s), fps: 0 });
  assert.deepEqual(strip(b.stdout), strip(a.stdout));
});

test('refuses --out inside the dataset or in a folder holding other files; unknown videos and models are clear errors', async () => {
  const inside = await rvos('eval', dataset, '--model', model, '--out', path.join(dataset, 'preds'));
  assert.equal(inside.code, 1);
  assert.match(inside.stderr, /^error: .*preds: refusing to write predictions inside \(or around\) the dataset folder/);
  const foreign = path.join(dir, 'mine');
  await mkdir(foreign);
  await writeFile(path.join(foreign, 'notes.txt'), 'keep me');
  const r = await rvos('eval', dataset, '--model', model, '--out', foreign);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /mine: folder is not empty and is not an rvos eval output/);
  assert.equal(await readFile(path.join(foreign, 'notes.txt'), 'utf8'), 'keep me');
  const video = await rvos('eval', dataset, '--model', model, '--videos', 'nope');
  assert.match(video.stderr, /meta_expressions\.json: no video "nope"/);
  const noModel = await rvos('eval', dataset, '--model', path.join(dir, 'missing-model'));
  assert.equal(noModel.code, 1);
  assert.match(noModel.stderr, /^error: .*missing-model.model\.json: not found/);
  const ep = await rvos('eval', dataset, '--execution-provider', 'tpu');
  assert.equal(ep.code, 2);
});
