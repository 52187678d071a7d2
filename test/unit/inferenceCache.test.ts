// The on-disk result cache: round trip, key separation, atomicity against interrupted writes, clearing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Mask } from '../../src/core/types';
import { ResultCache, type CacheKey } from '../../src/inference/resultCache';

let root: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'rvos-cache-'));
});
after(() => rm(root, { recursive: true, force: true }));

const key: CacheKey = {
  modelId: 'abc123',
  datasetRoot: '/data/rs',
  split: 'train',
  video: 'v1',
  expression: 'the red square',
};
const frames = ['00000', '00005', '00010'];
function masks(seed: number, width = 64, height = 48): Mask[] {
  return frames.map((_, k) => ({
    width,
    height,
    data: Uint8Array.from({ length: width * height }, (_, i) => ((i * 7 + k * 13 + seed) % 29 < 9 ? 1 : 0)),
  }));
}

test('stores and reads back masks and info exactly; other keys and other frame lists miss', async () => {
  const cache = new ResultCache(root);
  assert.equal(await cache.get(key, frames), undefined);
  const m = masks(1);
  await cache.put(key, frames, m, { modelName: 'tiny', device: 'cpu' });
  const hit = await cache.get(key, frames);
  assert.ok(hit);
  assert.deepEqual(hit.masks, m);
  assert.deepEqual(hit.frames, frames);
  assert.deepEqual(hit.info, { modelName: 'tiny', device: 'cpu' });
  for (const other of [
    { modelId: 'zzz' },
    { datasetRoot: '/data/other' },
    { split: 'valid' },
    { video: 'v2' },
    { expression: 'the red square.' },
  ]) {
    assert.equal(await cache.get({ ...key, ...other }, frames), undefined, JSON.stringify(other));
  }
  assert.equal(await cache.get(key, frames.slice(0, 2)), undefined, 'frame list changed');
  // A relative dataset root names the same entry as its absolute form.
  const rel = path.relative(process.cwd(), '/data/rs');
  assert.ok(await cache.get({ ...key, datasetRoot: rel }, frames));
  // Rewriting replaces the entry.
  const m2 = masks(2);
  await cache.put(key, frames, m2);
  assert.deepEqual((await cache.get(key, frames))!.masks, m2);
});

test('reading a cached entry is fast', async () => {
  const cache = new ResultCache(root);
  const big = Array.from({ length: 36 }, (_, k) => `${k * 5}`.padStart(5, '0'));
  const bigMasks = big.map(() => ({
    width: 1280,
    height: 720,
    data: new Uint8Array(1280 * 720).fill(1, 200_000, 400_000),
  }));
  await cache.put({ ...key, video: 'big' }, big, bigMasks);
  const start = performance.now();
  const hit = await cache.get({ ...key, video: 'big' }, big);
  const ms = performance.now() - start;
  assert.ok(hit);
  assert.equal(hit.masks.length, 36);
  assert.ok(ms < 1000, `${ms} ms`); // generous: decoding 36 HD masks is a few ms; CI machines are shared
});

test('a write interrupted at any point never leaves an entry that reads as valid', async () => {
  const cache = new ResultCache(root);
  const k2 = { ...key, video: 'crash' };
  // Leftovers of a crashed writer: a temp folder with complete files, and one with a truncated mask file.
  await mkdir(cache.dir, { recursive: true });
  const hash = ResultCache.keyHash(k2);
  const leftover = path.join(cache.dir, `.tmp-${hash.slice(0, 16)}-99999-deadbeef`);
  await mkdir(leftover);
  await writeFile(path.join(leftover, 'masks.bin'), Buffer.alloc(10));
  assert.equal(await cache.get(k2, frames), undefined);
  // A half-written entry in place (what a non-atomic writer would leave): size check rejects it.
  await mkdir(path.join(cache.dir, hash));
  await writeFile(
    path.join(cache.dir, hash, 'entry.json'),
    JSON.stringify({ format: 'rvos-yofo-cache', version: 1, key: k2, frames, masksBytes: 1000, info: {} }),
  );
  await writeFile(path.join(cache.dir, hash, 'masks.bin'), Buffer.alloc(12));
  assert.equal(await cache.get(k2, frames), undefined);
  // A writer process killed while writing many entries: every entry that exists afterwards is complete.
  const script = `
    const { ResultCache } = require(${JSON.stringify(path.resolve('src/inference/resultCache.ts'))});
    const cache = new ResultCache(${JSON.stringify(root)});
    const frames = ${JSON.stringify(frames)};
    const mask = { width: 640, height: 480, data: new Uint8Array(640 * 480).map((_, i) => (i >> 5) & 1) };
    (async () => { for (let i = 0; ; i++) { await cache.put({ ...${JSON.stringify(key)}, video: 'w' + i }, frames, [mask, mask, mask]); if (i === 3) console.log('go'); } })();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await new Promise((r) => setTimeout(r, 30 + Math.random() * 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const names = await readdir(cache.dir);
  let complete = 0;
  for (let i = 0; ; i++) {
    const k = { ...key, video: `w${i}` };
    const exists = names.includes(ResultCache.keyHash(k));
    if (!exists) break;
    const hit = await cache.get(k, frames);
    assert.ok(hit, `entry w${i} exists but does not read back`);
    assert.equal(hit.masks[2].data[32], 1);
    complete++;
  }
  assert.ok(complete >= 4);
  // Stale temp folders are swept; fresh ones (a writer still busy) are kept.
  const old = new Date(Date.now() - 2 * 3600_000);
  await utimes(leftover, old, old);
  assert.ok((await cache.sweepTemp()) >= 1);
  assert.ok(!(await readdir(cache.dir)).includes(path.basename(leftover)));
});

test('clear removes every entry', async () => {
  const cache = new ResultCache(root);
  await cache.put(key, frames, masks(3));
  await cache.clear();
  assert.equal(await cache.get(key, frames), undefined);
  await cache.clear(); // clearing an empty cache is fine
});
