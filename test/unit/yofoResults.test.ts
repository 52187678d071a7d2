import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRle } from '../../src/inference/maskRle';
import type { YofoNotification } from '../../src/shared/clipViewer/protocol';
import { statusText, YofoResults } from '../../src/webview/clipViewer/yofoResults';

const mask = encodeRle({ width: 2, height: 1, data: Uint8Array.from([0, 1]) });
const progress = (runId: number, expId = '0'): YofoNotification => ({
  type: 'yofoProgress',
  runId,
  expId,
  modelName: 'tiny',
  device: 'cpu',
  total: 3,
  cached: false,
});
const frame = (runId: number, frameIndex: number, expId = '0'): YofoNotification => ({
  type: 'yofoFrame',
  runId,
  expId,
  frameIndex,
  mask,
  score: { J: 0.5, F: 0.25 },
});

test('a run goes starting → running → done; frames, scores and the summary are kept', () => {
  const results = new YofoResults();
  assert.equal(results.needsRun('0'), true);
  const r = results.begin('0', 3);
  assert.equal(r.status, 'starting');
  assert.equal(results.needsRun('0'), false);
  assert.equal(results.active(), r);
  assert.match(statusText(r), /loading the model/);
  assert.equal(results.apply(frame(r.runId, 0)), undefined, 'a frame before the progress message is out of order');
  results.apply(progress(r.runId));
  assert.equal(r.status, 'running');
  results.apply(frame(r.runId, 0));
  results.apply(frame(r.runId, 1));
  assert.equal(statusText(r), 'YOFO tiny (cpu): frame 2/3');
  results.apply(frame(r.runId, 2));
  results.apply({
    type: 'yofoDone',
    runId: r.runId,
    expId: '0',
    modelName: 'tiny',
    score: { J: 0.5, F: 0.25, JF: 0.375 },
    unknownWords: ['zebra'],
    cached: false,
  });
  assert.equal(r.status, 'done');
  assert.deepEqual([...r.masks.keys()], [0, 1, 2]);
  assert.deepEqual(r.scores.get(1), { J: 0.5, F: 0.25 });
  assert.deepEqual(r.unknownWords, ['zebra']);
  assert.equal(results.active(), undefined);
  assert.equal(results.needsRun('0'), false);
  // A late error for a finished run does not undo it.
  assert.equal(
    results.apply({ type: 'yofoError', runId: r.runId, expId: '0', message: 'late', cancelled: false }),
    undefined,
  );
  assert.equal(r.status, 'done');
});

test('cancel keeps the frames done so far and allows a new run; messages of a replaced run are dropped', () => {
  const results = new YofoResults();
  const first = results.begin('0', 3);
  results.apply(progress(first.runId));
  results.apply(frame(first.runId, 0));
  results.apply({ type: 'yofoError', runId: first.runId, expId: '0', message: 'cancelled', cancelled: true });
  assert.equal(first.status, 'cancelled');
  assert.equal(first.masks.size, 1);
  assert.equal(statusText(first), 'YOFO tiny (cpu): cancelled at frame 1/3');
  assert.equal(results.needsRun('0'), true);
  const second = results.begin('0', 3);
  assert.notEqual(second.runId, first.runId);
  assert.equal(results.apply(frame(first.runId, 1)), undefined);
  assert.equal(results.get('0'), second);
  assert.equal(second.masks.size, 0);
});

test('runs of different expressions are independent; errors are kept with their message; drop and clear forget', () => {
  const results = new YofoResults();
  const a = results.begin('0', 3);
  const b = results.begin('user-1', 3);
  results.apply(progress(b.runId, 'user-1'));
  results.apply({ type: 'yofoError', runId: a.runId, expId: '0', message: 'cancelled', cancelled: true });
  assert.equal(results.active(), b);
  results.apply({
    type: 'yofoError',
    runId: b.runId,
    expId: 'user-1',
    message: '/m/model.json: not found',
    cancelled: false,
  });
  assert.equal(b.status, 'error');
  assert.equal(statusText(b), 'YOFO tiny (cpu): /m/model.json: not found');
  assert.equal(results.apply(frame(b.runId, 0, 'other')), undefined, 'unknown expression');
  results.drop('user-1');
  assert.equal(results.get('user-1'), undefined);
  results.clear();
  assert.equal(results.get('0'), undefined);
});
