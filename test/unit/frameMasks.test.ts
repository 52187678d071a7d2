import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { openDataset } from '../../src/core/dataset';
import { openPredictionRun } from '../../src/core/predictions';
import { scorePair } from '../../src/core/scoring';
import { IndexMaskCache, loadFrameMasks } from '../../src/host/clipViewer/frameMasks';
import { decodeRle } from '../../src/inference/maskRle';
import {
  OBJECT_RECTS,
  rectMask,
  tempDir,
  writeBytes,
  writePerfectRun,
  writePrediction,
  writeTinyDataset,
} from '../helpers/tinyDataset';

test('ground truth is the expression object; a perfect prediction scores 1/1', async () => {
  const ds = await openDataset(await writeTinyDataset());
  const run = await openPredictionRun(await writePerfectRun());
  const frame = await loadFrameMasks(ds, 'vidA', '1', 1, run, new IndexMaskCache());
  const objectTwo = rectMask(
    OBJECT_RECTS.vidA
      .filter((r) => r[0] === 2)
      .map(([, ...rest]) => [1, ...rest] as [number, number, number, number, number]),
  );
  assert.deepEqual(decodeRle(frame.gt!).data, objectTwo.data);
  assert.deepEqual(decodeRle(frame.pred!).data, objectTwo.data);
  assert.deepEqual(frame.score, { J: 1, F: 1 });
  assert.deepEqual(frame.notes, []);
  assert.equal(frame.frameIndex, 1);
  assert.equal(frame.expId, '1');
});

test("a partial prediction gets the scorer's J and F; a missing one scores as empty with a note", async () => {
  const ds = await openDataset(await writeTinyDataset());
  const runDir = await tempDir('run');
  const pred = rectMask([[1, 2, 2, 5, 8]]); // left half of vidA object 1 (x 2..8)
  await writePrediction(runDir, 'vidA', '0', '00000', pred);
  const run = await openPredictionRun(runDir, 'half');
  const cache = new IndexMaskCache();
  const first = await loadFrameMasks(ds, 'vidA', '0', 0, run, cache);
  const gt = rectMask([[1, 2, 2, 8, 8]]);
  assert.deepEqual(first.score, scorePair(gt, pred));
  assert.equal(first.score.J, 0.5);
  const second = await loadFrameMasks(ds, 'vidA', '0', 1, run, cache);
  assert.equal(second.pred, undefined);
  assert.deepEqual(second.score, { J: 0, F: 0 });
  assert.match(second.notes.join('\n'), /run "half" has no mask/);
});

test('no run: ground truth only, no score; no expression: frame only', async () => {
  const ds = await openDataset(await writeTinyDataset());
  const frame = await loadFrameMasks(ds, 'vidB', '0', 0, undefined, new IndexMaskCache());
  assert.ok(frame.gt);
  assert.equal(frame.score, undefined);
  const bare = await loadFrameMasks(ds, 'vidB', undefined, 0, undefined, new IndexMaskCache());
  assert.deepEqual(bare, { frameIndex: 0, expId: undefined, notes: [] });
});

test('a prediction of the wrong size is a note naming both files and is not drawn', async () => {
  const ds = await openDataset(await writeTinyDataset());
  const runDir = await tempDir('run');
  const file = await writePrediction(runDir, 'vidB', '0', '00000', rectMask([[1, 0, 0, 4, 4]], 8, 8));
  const frame = await loadFrameMasks(ds, 'vidB', '0', 0, await openPredictionRun(runDir), new IndexMaskCache());
  assert.equal(frame.pred, undefined);
  assert.equal(frame.score, undefined);
  assert.ok(
    frame.notes.some(
      (n) => n.startsWith(file) && n.includes('8×8') && n.includes(path.join('Annotations', 'vidB', '00000.png')),
    ),
    frame.notes.join('\n'),
  );
});

test('split without Annotations, or an expression without obj_id: no ground truth, prediction still shown', async () => {
  const root = await writeTinyDataset();
  await rm(path.join(root, 'train', 'Annotations'), { recursive: true });
  const ds = await openDataset(root);
  const frame = await loadFrameMasks(
    ds,
    'vidA',
    '0',
    0,
    await openPredictionRun(await writePerfectRun()),
    new IndexMaskCache(),
  );
  assert.equal(frame.gt, undefined);
  assert.ok(frame.pred);
  assert.equal(frame.score, undefined);
});

test('a corrupt annotation PNG is a note with its path; bad indices are errors', async () => {
  const root = await writeTinyDataset();
  const bad = path.join(root, 'train', 'Annotations', 'vidA', '00005.png');
  await writeBytes(bad, new Uint8Array([1, 2, 3]));
  const ds = await openDataset(root);
  const frame = await loadFrameMasks(ds, 'vidA', '0', 1, undefined, new IndexMaskCache());
  assert.equal(frame.gt, undefined);
  assert.ok(frame.notes[0].startsWith(bad), frame.notes[0]);
  await assert.rejects(loadFrameMasks(ds, 'vidA', '0', 2, undefined, new IndexMaskCache()), RangeError);
  await assert.rejects(loadFrameMasks(ds, 'nope', '0', 0, undefined, new IndexMaskCache()), RangeError);
  await assert.rejects(loadFrameMasks(ds, 'vidA', '9', 0, undefined, new IndexMaskCache()), RangeError);
});
