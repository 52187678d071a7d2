// The extension's side of MeViS: a workspace folder in the MeViS layout is found, and the viewer's frame masks carry
// each referred object's ground truth, their union, and the same J and F as `rvos score` for that frame.

import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { openBenchmarkDataset } from '../../src/core/benchmarks';
import { scoreSplit } from '../../src/core/evaluate';
import { openPredictionRun } from '../../src/core/predictions';
import { findDatasetRoot } from '../../src/host/session/detectDataset';
import { IndexMaskCache, loadFrameMasks } from '../../src/host/clipViewer/frameMasks';
import { decodeRle } from '../../src/inference/maskRle';
import { OBJECT_COLOURS, paneOverlay } from '../../src/webview/clipViewer/paneOverlay';
import { writeMevisSplit } from '../helpers/mevisSplit';
import { tempDir } from '../helpers/tinyDataset';

test('a MeViS folder is found in the workspace; a Ref-YouTube-VOS meta_expressions/ folder is not taken for one', async () => {
  const workspace = await tempDir('mevis-ws');
  const root = path.join(workspace, 'mevis');
  await writeMevisSplit(root, 'valid_u', {
    seed: 'ws',
    videos: 1,
    frames: 2,
    objects: [1, 1],
    width: 8,
    height: 6,
    absent: 0,
  });
  assert.equal(await findDatasetRoot([workspace]), root);
  assert.equal(await findDatasetRoot([root]), root);
  const refYtvos = await tempDir('ytvos-meta');
  await mkdir(path.join(refYtvos, 'train'), { recursive: true });
  await copyFile(
    path.join(root, 'valid_u', 'meta_expressions.json'),
    path.join(refYtvos, 'train', 'meta_expressions.json'),
  );
  assert.equal(await findDatasetRoot([refYtvos]), undefined);
});

test('frame masks of a multi-object MeViS expression: one mask per present object, their union scored as rvos score does', async () => {
  const dir = await tempDir('mevis-viewer');
  const pred = path.join(dir, 'pred');
  await writeMevisSplit(dir, 'valid_u', {
    seed: 'viewer',
    videos: 3,
    frames: 8,
    objects: [3, 4],
    width: 64,
    height: 48,
    absent: 0.35,
    noise: 3,
    predictions: pred,
  });
  const ds = await openBenchmarkDataset(dir, { split: 'valid_u' });
  const run = await openPredictionRun(pred, 'pred', { videoFolders: true });
  const split = await scoreSplit(ds, run, { workers: 0 });
  const cache = new IndexMaskCache();
  let multi = 0;
  let absentEverywhere = 0;
  for (const video of ds.videos) {
    for (const e of video.expressions) {
      const scores = split.expressions.find((s) => s.video === video.id && s.expId === e.expId)!;
      for (let i = 0; i < video.frames.length; i++) {
        const frame = await loadFrameMasks(ds, video.id, e.expId, i, run, cache);
        assert.deepEqual(frame.score, { J: scores.frames[i].J, F: scores.frames[i].F }, `${video.id}/${e.expId}/${i}`);
        const objects = frame.gtObjects!.map((o) => decodeRle(o.mask));
        if (objects.length > 1) multi++;
        if (objects.length === 0) {
          absentEverywhere++;
          assert.equal(frame.gt, undefined);
          assert.deepEqual(frame.notes, ['no referred object is present in this frame']);
          continue;
        }
        const union = decodeRle(frame.gt!).data;
        assert.deepEqual(
          union,
          objects.reduce((acc, m) => acc.map((v, k) => v | m.data[k]), new Uint8Array(union.length)),
        );
        // Each object keeps its slot (its colour) on every frame: its place in the expression's obj_id list.
        assert.ok(frame.gtObjects!.every((o) => e.objIds![o.slot] === o.objId));
      }
    }
  }
  assert.ok(
    multi > 0 && absentEverywhere > 0,
    `multi-object frames ${multi}, frames without any referred object ${absentEverywhere}`,
  );
});

test('the viewer draws each referred object in the colour of its slot, also when the others are absent', () => {
  const size = { width: 2, height: 1 };
  const objects = [
    { ...size, data: Uint8Array.from([1, 0]) },
    { ...size, data: Uint8Array.from([0, 1]) },
  ];
  const union = { ...size, data: Uint8Array.from([1, 1]) };
  const colours = {
    gt: [10, 20, 30] as [number, number, number],
    pred: [0, 0, 0] as [number, number, number],
    diff: { tp: [0, 0, 0], fp: [0, 0, 0], fn: [0, 0, 0] } as never,
  };
  const o = paneOverlay(
    { role: 'frame', showGt: true },
    union,
    undefined,
    { showGt: true, showPred: true, opacity: 1, mode: 'fill' } as never,
    false,
    colours,
    objects.map((mask, slot) => ({ mask, slot })),
  )!;
  assert.deepEqual([...o.buffer.data.subarray(0, 3)], colours.gt);
  assert.deepEqual([...o.buffer.data.subarray(4, 7)], OBJECT_COLOURS[0]);
  // Only the second object present: it keeps its colour rather than taking the first one's.
  const alone = paneOverlay(
    { role: 'frame', showGt: true },
    objects[1],
    undefined,
    { showGt: true, showPred: true, opacity: 1, mode: 'fill' } as never,
    false,
    colours,
    [{ mask: objects[1], slot: 1 }],
  )!;
  assert.deepEqual([...alone.buffer.data.subarray(4, 7)], OBJECT_COLOURS[0]);
  assert.notDeepEqual([...alone.buffer.data.subarray(0, 3)], colours.gt);
});
