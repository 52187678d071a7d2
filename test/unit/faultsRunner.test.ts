// Faults in the viewer's YOFO runner (YofoRuns with the real inference worker, a tiny real model and the real result
// cache): cancelling at every frame, a killed worker, two runs at once on one clip, and the dataset left untouched.
// The same faults through `rvos eval` are in faults.test.ts.

import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDataset, type Dataset } from '../../src/core/dataset';
import { FaultError } from '../../src/core/errors';
import type { Mask, Video } from '../../src/core/types';
import { YofoRuns, type YofoEngine, type YofoJob } from '../../src/host/yofo/yofoRuns';
import {
  InferenceClient,
  type FrameMask,
  type InferenceResult,
  type RunCallbacks,
} from '../../src/inference/inferenceClient';
import { ResultCache } from '../../src/inference/resultCache';
import type { InferenceRequest } from '../../src/inference/workerProtocol';
import { snapshotTree, writeSampleDataset } from '../helpers/badData';
import { tempDir } from '../helpers/tinyDataset';
import { writeTinyModel } from './inferenceTinyModel';

let ds: Dataset;
let datasetBefore: Awaited<ReturnType<typeof snapshotTree>>;
let model: string;
let cacheRoot: string;
const clients: InferenceClient[] = [];
let reference: Mask[];

/** The real client, with a hook on each frame as it arrives from the worker (to cancel or kill at an exact frame). */
function hooked(client: InferenceClient, onFrame: (index: number) => void): YofoEngine {
  return {
    load: (request, signal) => client.load(request, signal),
    run: (request: InferenceRequest, callbacks: RunCallbacks): Promise<InferenceResult> =>
      client.run(request, {
        ...callbacks,
        onFrame: (frame: FrameMask) => {
          callbacks.onFrame?.(frame);
          onFrame(frame.index);
        },
      }),
  };
}

function newClient(): InferenceClient {
  const c = new InferenceClient();
  clients.push(c);
  return c;
}

function runs(engine: YofoEngine, cache = new ResultCache(cacheRoot)): YofoRuns {
  return new YofoRuns(engine, cache, () => ({ modelDir: model, executionProvider: 'cpu', cacheResults: true }));
}

function job(video: Video = ds.videos[0]): YofoJob {
  return { ds, video, expression: video.expressions[0] };
}

async function collect(
  yofo: YofoRuns,
  j: YofoJob,
  signal = new AbortController().signal,
): Promise<{ masks: Mask[]; cached: boolean }> {
  const masks: Mask[] = [];
  const outcome = await yofo.run(j, { frame: (f) => (masks[f.index] = f.mask) }, signal);
  return { masks, cached: outcome.cached };
}

/** Cache entries and leftover temp folders. */
async function cacheFolders(cache: ResultCache): Promise<{ entries: string[]; temps: string[] }> {
  const names = await readdir(cache.dir).catch(() => [] as string[]);
  return { entries: names.filter((n) => !n.startsWith('.')), temps: names.filter((n) => n.startsWith('.tmp-')) };
}

before(async () => {
  ds = await openDataset(await writeSampleDataset(1));
  datasetBefore = await snapshotTree(ds.root);
  model = (await writeTinyModel(path.join(await tempDir('faults-runner-model'), 'tiny'))).dir;
  cacheRoot = await tempDir('faults-runner-cache');
  // Uncached reference masks of the whole clip, from a worker of its own.
  const noCache = new YofoRuns(newClient(), undefined, () => ({
    modelDir: model,
    executionProvider: 'cpu',
    cacheResults: false,
  }));
  reference = (await collect(noCache, job())).masks;
});

after(async () => {
  for (const c of clients) c.dispose();
  await rm(path.dirname(ds.root), { recursive: true, force: true });
  await rm(path.dirname(model), { recursive: true, force: true });
  await rm(cacheRoot, { recursive: true, force: true });
});

describe('the viewer runner under faults', () => {
  it('cancelling at every frame: the run rejects at once, nothing is cached, the next run gives the reference masks and caches them', async () => {
    const cache = new ResultCache(cacheRoot);
    await cache.clear();
    const client = newClient();
    const frames = job().video.frames.length;
    assert.ok(frames >= 3, `a clip of ${frames} frames`);
    for (let k = 0; k < frames; k++) {
      const abort = new AbortController();
      const shown: number[] = [];
      const yofo = runs(
        hooked(client, (i) => i === k && abort.abort()),
        cache,
      );
      await assert.rejects(
        yofo.run(job(), { frame: (f) => shown.push(f.index) }, abort.signal),
        { name: 'AbortError' },
        `cancel at frame ${k}`,
      );
      assert.ok(
        shown.every((i, n) => i === n) && shown.length <= k + 1,
        `frame ${k}: in order, none after the cancel: ${shown}`,
      );
      assert.deepEqual(await cacheFolders(cache), { entries: [], temps: [] }, `cancel at frame ${k}: nothing cached`);
    }
    const full = await collect(runs(client, cache), job());
    assert.deepEqual([full.cached, full.masks], [false, reference]);
    const replay = await collect(runs(client, cache), job());
    assert.deepEqual([replay.cached, replay.masks], [true, reference], 'the cache entry is complete');

    // Cancelling a replay from the cache leaves the entry as it was.
    const entry = path.join(cache.dir, (await cacheFolders(cache)).entries[0]);
    const bytes = await readFile(path.join(entry, 'masks.bin'));
    const abort = new AbortController();
    await assert.rejects(
      runs(client, cache).run(job(), { frame: (f) => f.index === 1 && abort.abort() }, abort.signal),
      { name: 'AbortError' },
    );
    assert.deepEqual(await readFile(path.join(entry, 'masks.bin')), bytes);
  });

  it('killing the inference worker mid-run: a FaultError saying so, nothing cached; the next run starts a fresh worker and gives the reference masks', async () => {
    const cache = new ResultCache(cacheRoot);
    await cache.clear();
    const client = newClient();
    const video = job().video;
    // A long clip (the frames over and over), so the worker is surely still running when it is killed.
    const long: Video = {
      ...video,
      frames: Array.from({ length: 3000 }, (_, i) => video.frames[i % video.frames.length]),
    };
    await client.load({ modelDir: model, executionProvider: 'cpu' });
    const pid = client.workerPid!;
    let killed = false;
    const yofo = runs(
      hooked(client, () => {
        if (!killed) process.kill(pid, 'SIGKILL');
        killed = true;
      }),
      cache,
    );
    await assert.rejects(
      yofo.run(
        { ...job(long), expression: { ...video.expressions[0], objId: undefined } },
        {},
        new AbortController().signal,
      ),
      (e: unknown) =>
        e instanceof FaultError &&
        e.message === 'the YOFO inference process was killed (SIGKILL) during the run; the next run starts a fresh one',
    );
    assert.deepEqual(await cacheFolders(cache), { entries: [], temps: [] });
    const next = await collect(runs(client, cache), job());
    assert.deepEqual(next.masks, reference);
    assert.notEqual(client.workerPid, pid);
  });

  it('two runs at once on one clip (one worker, and two workers sharing the cache): the reference masks each, one complete cache entry', async () => {
    const cache = new ResultCache(cacheRoot);
    await cache.clear();
    const one = newClient();
    const same = await Promise.all([collect(runs(one, cache), job()), collect(runs(one, cache), job())]);
    assert.deepEqual(
      same.map((r) => r.masks),
      [reference, reference],
    );
    await cache.clear();
    const two = newClient();
    const windows = await Promise.all([collect(runs(one, cache), job()), collect(runs(two, cache), job())]);
    assert.deepEqual(
      windows.map((r) => r.masks),
      [reference, reference],
    );
    const folders = await cacheFolders(cache);
    assert.deepEqual([folders.entries.length, folders.temps], [1, []]);
    assert.deepEqual(await collect(runs(one, cache), job()), { masks: reference, cached: true });
  });

  it('nothing was written inside the dataset by any of these runs', async () => {
    assert.deepEqual(await snapshotTree(ds.root), datasetBefore);
  });
});
