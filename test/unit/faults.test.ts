// Faults (docs/reliability.md): cancelling and killing runs, crashes while writing the result cache, two runs at once,
// and the promise that nothing is ever written inside the dataset folder. Through the real `rvos` entry and the API.

import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Mask, SplitScore } from '../../src/core/types';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { ResultCache } from '../../src/inference/resultCache';
import { assertCliError, rvos, snapshotTree, startRvos, writeSampleDataset } from '../helpers/badData';
import { tempDir } from '../helpers/tinyDataset';
import { writeTinyModel } from './inferenceTinyModel';

let work: string;
let model: string;
let dataset: string;
/** The scores of an uninterrupted run without a cache: what every other run must reproduce. */
let reference: SplitScore;

before(async () => {
  work = await tempDir('faults');
  model = (await writeTinyModel(path.join(work, 'model'))).dir;
  dataset = await writeSampleDataset(3, 160, 96);
  const r = await rvos(...evalArgs('--out', path.join(work, 'reference')));
  assert.equal(r.code, 0, r.stderr);
  reference = scoreOf(r.stdout);
});
after(() => Promise.all([work, path.dirname(dataset)].map((d) => rm(d, { recursive: true, force: true }))));

const evalArgs = (...extra: string[]) => [
  'eval',
  dataset,
  '--model',
  model,
  '--execution-provider',
  'cpu',
  '--json',
  ...extra,
];

/** The score of an eval run without its speed, which differs run to run. */
function scoreOf(stdout: string): SplitScore {
  const { fps: _fps, ...score } = JSON.parse(stdout) as SplitScore & { fps: number };
  return score;
}

/** Resolves once `ready()` holds (polled), or rejects when the process ends first. */
async function waitFor(ready: () => Promise<boolean>, done: Promise<unknown>, what: string): Promise<void> {
  let finished = false;
  void done.then(() => (finished = true));
  while (!(await ready())) {
    if (finished) throw new Error(`the run ended before ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** PNGs written so far into the unfinished output folder(s) `.<name>.tmp-*` next to `out`. */
async function pngsWritten(out: string): Promise<number> {
  const parent = path.dirname(out);
  let n = 0;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(`.${path.basename(out)}.tmp-`)) continue;
    const files = await readdir(path.join(parent, name), { recursive: true }).catch(() => [] as string[]);
    n += files.filter((f) => f.endsWith('.png')).length;
  }
  return n;
}

/** Every entry folder of a cache holds a complete entry (entry.json whose mask byte count matches masks.bin). */
async function assertCacheEntriesComplete(cacheRoot: string): Promise<number> {
  const dir = new ResultCache(cacheRoot).dir;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    assert.match(name, /^[0-9a-f]{64}$/, `only complete entries remain (found ${name})`);
    const entry = JSON.parse(await readFile(path.join(dir, name, 'entry.json'), 'utf8')) as { masksBytes: number };
    assert.equal((await stat(path.join(dir, name, 'masks.bin'))).size, entry.masksBytes, name);
  }
  return names.length;
}

describe('cancelling and killing runs', () => {
  it('Ctrl-C at any point of rvos eval leaves the cache consistent, no output and no temp folder; the cache then serves exact results', async () => {
    const cache = path.join(work, 'cancel-cache');
    const out = path.join(work, 'cancel-out');
    let interrupted = 0;
    for (const after of [1, 7, 19, 33]) {
      const run = startRvos(...evalArgs('--out', out, '--cache', cache));
      await waitFor(async () => (await pngsWritten(out)) >= after, run.done, `${after} masks were written`).then(
        () => run.interrupt(),
        () => undefined, // a fast machine finished first: still a valid state to check
      );
      const r = await run.done;
      if (r.code === 130) {
        interrupted++;
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /(^|\n)error: interrupted\n$/);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
        await assert.rejects(stat(out), { code: 'ENOENT' }, 'an interrupted run commits no output');
      } else {
        assert.equal(r.code, 0, r.stderr);
        await rm(out, { recursive: true });
      }
      assert.equal(await pngsWritten(out), 0, 'the unfinished output folder is removed');
      await assertCacheEntriesComplete(cache);
    }
    assert.ok(interrupted >= 2, `${interrupted} of 4 runs were interrupted`);
    const r = await rvos(...evalArgs('--out', out, '--cache', cache));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(scoreOf(r.stdout), reference);
  });

  it('killing the inference worker mid-run: one clear error line, exit 1; the next run works', async () => {
    const out = path.join(work, 'killed-out');
    const run = startRvos(...evalArgs('--out', out));
    await waitFor(async () => (await pngsWritten(out)) >= 3, run.done, 'masks were written');
    // The worker is the rvos process's only child (forked by InferenceClient).
    const children = (await readFile(`/proc/${run.pid}/task/${run.pid}/children`, 'utf8'))
      .trim()
      .split(/\s+/)
      .map(Number);
    assert.equal(children.length, 1, `children of rvos: ${children}`);
    process.kill(children[0], 'SIGKILL');
    const r = await run.done;
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /(^|\n)error: the YOFO inference process was killed \(SIGKILL\) during the run; the next run starts a fresh one\n$/,
    );
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    assert.equal(await pngsWritten(out), 0);
    const again = await rvos(...evalArgs('--out', out));
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(scoreOf(again.stdout), reference);
  });
});

describe('crashes while writing the result cache', () => {
  const key = { modelId: 'm', datasetRoot: '/data', split: 'train', video: 'v', expression: 'the red square' };
  const frames = ['00000', '00005'];
  const mask = (seed: number): Mask => ({
    width: 9,
    height: 7,
    data: Uint8Array.from({ length: 63 }, (_, i) => ((i * seed) >> 3) & 1),
  });

  it('a truncated entry.json, a truncated or corrupted masks.bin and a leftover temp folder all read as misses; the next put repairs', async () => {
    const cache = new ResultCache(path.join(work, 'crash-cache'));
    const masks = [mask(3), mask(5)];
    const entry = path.join(cache.entryDir(key), 'entry.json');
    const bin = path.join(cache.entryDir(key), 'masks.bin');
    const damages: [string, () => Promise<void>][] = [
      ['entry.json cut short', async () => truncate(entry, 20)],
      ['entry.json empty', async () => truncate(entry, 0)],
      ['masks.bin cut short', async () => truncate(bin, 8)],
      ['masks.bin missing', async () => rm(bin)],
      // Same size as the entry says, but the run lengths no longer cover the masks.
      ['masks.bin corrupted', async () => writeFile(bin, Buffer.alloc((await stat(bin)).size, 0xff))],
    ];
    for (const [what, damage] of damages) {
      await cache.put(key, frames, masks);
      assert.ok(await cache.get(key, frames), `${what}: intact before`);
      await damage();
      assert.equal(await cache.get(key, frames), undefined, what);
      await cache.put(key, frames, masks);
      assert.deepEqual((await cache.get(key, frames))?.masks, masks, `${what}: repaired by the next put`);
    }
  });

  it('rvos eval on a cache damaged by a crash recomputes instead of serving broken masks', async () => {
    const cache = path.join(work, 'damaged-cache');
    const a = await rvos(...evalArgs('--out', path.join(work, 'damaged-a'), '--cache', cache));
    assert.equal(a.code, 0, a.stderr);
    const dir = new ResultCache(cache).dir;
    const entries = await readdir(dir);
    assert.ok(entries.length >= 3);
    await truncate(path.join(dir, entries[0], 'entry.json'), 10);
    await truncate(path.join(dir, entries[1], 'masks.bin'), 4);
    await writeFile(path.join(dir, entries[2], 'masks.bin'), '');
    const b = await rvos(...evalArgs('--out', path.join(work, 'damaged-b'), '--cache', cache));
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(scoreOf(b.stdout), reference);
    assert.equal(await assertCacheEntriesComplete(cache), entries.length);
  });
});

describe('two runs at once', () => {
  it('two InferenceClients on the same clip at the same time get exactly the masks of one client alone', async () => {
    const frames: string[] = [];
    for (let k = 0; k < 8; k++) {
      const raw = Buffer.alloc(40 * 24 * 3);
      for (let i = 0; i < raw.length; i++) raw[i] = ((i % 120) * 2 + k * 30) % 256;
      frames.push(path.join(work, `clip-${k}.png`));
      await sharp(raw, { raw: { width: 40, height: 24, channels: 3 } })
        .png()
        .toFile(frames[k]);
    }
    const request = (text: string) => ({ modelDir: model, executionProvider: 'cpu' as const, frames, text });
    const collect = async (client: InferenceClient, text: string): Promise<Mask[]> => {
      const masks: Mask[] = [];
      await client.run(request(text), { onFrame: (f) => void (masks[f.index] = f.mask) });
      return masks;
    };
    const [a, b, alone] = [new InferenceClient(), new InferenceClient(), new InferenceClient()];
    try {
      const [ma, mb] = await Promise.all([collect(a, 'red square'), collect(b, 'left circle moving')]);
      assert.notEqual(a.workerPid, b.workerPid, 'two worker processes');
      assert.deepEqual(ma, await collect(alone, 'red square'));
      assert.deepEqual(mb, await collect(alone, 'left circle moving'));
      assert.notDeepEqual(ma, mb, 'the two expressions give different masks');
    } finally {
      for (const c of [a, b, alone]) c.dispose();
    }
  });

  it('nothing is written inside the dataset: rvos score, two parallel rvos eval into one cache, eval without --out', async () => {
    const before = await snapshotTree(dataset);
    const cache = path.join(work, 'shared-cache');
    const [one, two] = await Promise.all([
      rvos(...evalArgs('--out', path.join(work, 'par-1'), '--cache', cache)),
      rvos(...evalArgs('--out', path.join(work, 'par-2'), '--cache', cache)),
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.deepEqual(scoreOf(one.stdout), reference);
    assert.deepEqual(scoreOf(two.stdout), reference);
    const entries = await assertCacheEntriesComplete(cache);
    assert.equal(
      entries,
      new Set(reference.expressions.map((e) => `${e.video}\0${e.expression}`)).size,
      'one entry per video and text',
    );
    const fromCache = await rvos(...evalArgs('--out', path.join(work, 'par-3'), '--cache', cache));
    assert.deepEqual(scoreOf(fromCache.stdout), reference);

    const score = await rvos('score', dataset, '--pred', path.join(work, 'par-1'), '--json');
    assert.equal(score.code, 0, score.stderr);
    const defaultOut = await rvos('eval', dataset, '--model', model, '--execution-provider', 'cpu');
    assert.equal(defaultOut.code, 0, defaultOut.stderr);
    const tempOut = /^predictions: (.+)$/m.exec(defaultOut.stdout)?.[1];
    assert.ok(tempOut && !tempOut.startsWith(dataset), defaultOut.stdout);
    await rm(tempOut, { recursive: true });
    const insideCache = path.join(dataset, 'train', '.cache');
    assertCliError(
      await rvos(...evalArgs('--cache', insideCache)),
      insideCache,
      /^refusing to write the result cache inside the dataset folder /,
    );
    const insideOut = path.join(dataset, 'train', 'preds');
    assertCliError(
      await rvos(...evalArgs('--out', insideOut)),
      insideOut,
      /^refusing to write predictions inside \(or around\) the dataset folder /,
    );
    assert.deepEqual(await snapshotTree(dataset), before);
  });
});
