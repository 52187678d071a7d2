// Run YOFO on Split (src/host/yofo/yofoSplitRun.ts) with the hand-built tiny contract model on the generated tiny dataset
// (its placeholder frames replaced by real JPEGs): the run folder holds every expression × frame mask, scores exactly
// as `rvos eval` on the same model and data, a cancel leaves no folder and registers nothing, a second run replaces
// the first as a whole, and nothing is written inside the dataset.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { openDataset, type Dataset } from '../../src/core/dataset';
import { scoreSplit } from '../../src/core/evaluate';
import type { SplitScore } from '../../src/core/types';
import type { ImportedRun } from '../../src/host/session/importedRun';
import {
  isOwnYofoRunDir,
  removeOwnYofoRun,
  runYofoOnSplit,
  yofoRunDir,
  yofoRunsRoot,
  type YofoSplitRunOptions,
} from '../../src/host/yofo/yofoSplitRun';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { ResultCache } from '../../src/inference/resultCache';
import { tempDir, writeTinyDataset, writeTinyFrames } from '../helpers/tinyDataset';
import { rvos } from '../helpers/badData';
import { writeTinyModel } from './inferenceTinyModel';

let ds: Dataset;
let work: string;
let model: string;
let client: InferenceClient;
let datasetBefore: string;

/** A plain-object stand-in for the Session: records what was registered. */
function fakeSession(): {
  dataset: Dataset;
  registered: { dir: string; name: string; videos?: readonly string[] }[];
  registerOwnedRun: YofoSplitRunOptions['session']['registerOwnedRun'];
} {
  const registered: { dir: string; name: string; videos?: readonly string[] }[] = [];
  return {
    dataset: ds,
    registered,
    registerOwnedRun: async (dir, name, videos) => {
      registered.push({ dir, name, videos });
      return { run: { name, dir }, complete: false, owned: true } as unknown as ImportedRun;
    },
  };
}

function options(
  storageDir: string,
  session: YofoSplitRunOptions['session'],
  signal = new AbortController().signal,
): YofoSplitRunOptions {
  return {
    ds,
    videoIds: ds.videos.map((v) => v.id),
    client,
    modelDir: model,
    executionProvider: 'cpu',
    storageDir,
    session,
    signal,
  };
}

/** Every file under `dir` with its size and modification time: a dataset write changes this listing. */
async function listing(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const rows = await Promise.all(
    entries.map(async (e) => {
      const file = path.join(e.parentPath, e.name);
      const s = await stat(file);
      return `${path.relative(dir, file)} ${s.size} ${s.mtimeMs}`;
    }),
  );
  return rows.sort().join('\n');
}

before(async () => {
  const root = await writeTinyDataset();
  // Real frames: a gradient differing per video and frame.
  await writeTinyFrames(root, (i, f, v) => i * (7 + v) + f * 40);
  ds = await openDataset(root, 'train');
  work = await tempDir('yofo-split-run');
  model = (await writeTinyModel(path.join(work, 'model'))).dir;
  client = new InferenceClient();
  datasetBefore = await listing(ds.root);
});

after(async () => {
  client.dispose();
  // Nothing was written inside the dataset by any test.
  assert.equal(await listing(ds.root), datasetBefore);
  await rm(ds.root, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

test('the run folder holds every expression × frame mask and scores exactly as rvos eval on the same model and data', async () => {
  const storage = path.join(work, 'storage-a');
  const session = fakeSession();
  const frames: number[] = [];
  const result = await runYofoOnSplit({
    ...options(storage, session),
    onProgress: (done, total) => frames.push(done, total),
  });
  assert.match(result.name, /^YOFO /);
  assert.equal(result.dir, yofoRunDir(storage, result.predictions.model.modelName, ds));
  assert.ok(isOwnYofoRunDir(storage, result.dir));
  assert.deepEqual(session.registered, [{ dir: result.dir, name: result.name, videos: undefined }]);
  assert.equal(result.imported?.run.dir, result.dir);
  // Every expression × frame, nothing else (no temp folder left beside it).
  for (const video of ds.videos) {
    assert.deepEqual(
      (await readdir(path.join(result.dir, 'Annotations', video.id))).sort(),
      video.expressions.map((e) => e.expId).sort(),
    );
    for (const e of video.expressions) {
      assert.deepEqual(
        (await readdir(path.join(result.dir, 'Annotations', video.id, e.expId))).sort(),
        video.frames.map((f) => `${f}.png`),
      );
    }
  }
  assert.deepEqual(await readdir(yofoRunsRoot(storage)), [path.basename(result.dir)]);
  const total = ds.videos.reduce((n, v) => n + v.expressions.length * v.frames.length, 0);
  assert.equal(result.predictions.frames, total);
  assert.deepEqual(frames.slice(-2), [total, total], 'progress ends at total/total frames');

  const out = path.join(work, 'eval-out');
  const r = await rvos(
    'eval',
    ds.root,
    '--split',
    'train',
    '--model',
    model,
    '--out',
    out,
    '--json',
    '--execution-provider',
    'cpu',
  );
  assert.equal(r.code, 0, r.stderr);
  const { fps: _fps, ...evalScore } = JSON.parse(r.stdout) as SplitScore & { fps: number };
  const ours = await scoreSplit(ds, { name: 'ours', dir: result.dir });
  assert.deepEqual(JSON.parse(JSON.stringify(ours)), evalScore);
  // Not a degenerate comparison: the model predicted something somewhere.
  assert.ok(ours.expressions.some((e) => e.JF > 0));
  // And the masks are the same bytes.
  for (const video of ds.videos) {
    for (const e of video.expressions) {
      for (const f of video.frames) {
        const rel = path.join('Annotations', video.id, e.expId, `${f}.png`);
        assert.deepEqual(await readFile(path.join(result.dir, rel)), await readFile(path.join(out, rel)), rel);
      }
    }
  }
});

test('a cancel mid-run leaves no folder and registers no run', async () => {
  const storage = path.join(work, 'storage-cancel');
  const session = fakeSession();
  const abort = new AbortController();
  await assert.rejects(
    runYofoOnSplit({ ...options(storage, session, abort.signal), onProgress: () => abort.abort() }),
    (err: Error) => err.name === 'AbortError',
  );
  await new Promise((resolve) => setTimeout(resolve, 200)); // a write still in flight would land by now
  assert.deepEqual(await readdir(yofoRunsRoot(storage)), []);
  assert.deepEqual(session.registered, []);
});

test('a second run replaces the first as a whole; a cancelled third leaves the second intact; removal deletes only our folders', async () => {
  const storage = path.join(work, 'storage-b');
  const session = fakeSession();
  const cache = new ResultCache(path.join(work, 'cache'));
  const first = await runYofoOnSplit({ ...options(storage, session), cache });
  // A stray file in the first folder must be gone after the second run: the folder is swapped, not merged.
  await writeFile(path.join(first.dir, 'stray.txt'), 'old');
  const progress: number[] = [];
  const second = await runYofoOnSplit({
    ...options(storage, session),
    cache,
    videoIds: ['vidB'],
    partial: true,
    onProgress: (done) => progress.push(done),
  });
  assert.equal(second.dir, first.dir);
  assert.equal(existsSync(path.join(second.dir, 'stray.txt')), false);
  assert.deepEqual(await readdir(path.join(second.dir, 'Annotations')), ['vidB']);
  assert.deepEqual(session.registered.at(-1), { dir: second.dir, name: second.name, videos: ['vidB'] });
  assert.deepEqual(progress.at(-1), 2, 'served from the cache: still every frame written');

  const abort = new AbortController();
  await assert.rejects(runYofoOnSplit({ ...options(storage, session, abort.signal), onProgress: () => abort.abort() }));
  assert.deepEqual(await readdir(yofoRunsRoot(storage)), [path.basename(second.dir)]);
  assert.deepEqual(await readdir(path.join(second.dir, 'Annotations')), ['vidB']);
  assert.equal(session.registered.length, 2);

  // Only folders made here are deleted: not the dataset, not an imported run elsewhere, not a temp name.
  assert.equal(await removeOwnYofoRun(storage, ds.root), false);
  assert.equal(await removeOwnYofoRun(storage, path.join(work, 'eval-out')), false);
  assert.equal(await removeOwnYofoRun(storage, yofoRunsRoot(storage)), false);
  assert.equal(await removeOwnYofoRun(storage, second.dir), true);
  assert.equal(existsSync(second.dir), false);
});

test('a run finishing after another split was opened keeps its folder but registers nothing', async () => {
  const storage = path.join(work, 'storage-c');
  const session = { ...fakeSession(), dataset: undefined };
  const result = await runYofoOnSplit(options(storage, session));
  assert.equal(result.imported, undefined);
  assert.ok(existsSync(path.join(result.dir, 'Annotations')));
});
