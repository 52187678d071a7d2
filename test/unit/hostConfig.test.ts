import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'node:path';
import { DEFAULT_OVERLAY, parseConfig, resolveModelDir } from '../../src/host/common/config';
import { DEFAULT_MODEL_RELATIVE_PATH } from '../../src/inference/defaultModel';

const section = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

test('defaults when nothing is set', () => {
  const c = parseConfig(section({}));
  assert.deepEqual(c, {
    datasetPath: '',
    overlay: DEFAULT_OVERLAY,
    prefetchFrames: 4,
    fps: 6,
    inference: { modelPath: '', executionProvider: 'auto', threads: 0, cacheResults: true },
    annotationsFile: '',
    openFirstClipOnStart: false,
  });
  assert.equal(parseConfig(section({ openFirstClipOnStart: true })).openFirstClipOnStart, true);
  assert.equal(parseConfig(section({ openFirstClipOnStart: 'yes' })).openFirstClipOnStart, false);
});

test('inference settings: read, clamped, wrong values fall back', () => {
  const c = parseConfig(
    section({
      'model.path': ' models/yofo ',
      'inference.executionProvider': 'cuda',
      'inference.threads': 3.4,
      'inference.cacheResults': false,
    }),
  );
  assert.deepEqual(c.inference, {
    modelPath: 'models/yofo',
    executionProvider: 'cuda',
    threads: 3,
    cacheResults: false,
  });
  const bad = parseConfig(
    section({
      'model.path': 7,
      'inference.executionProvider': 'tpu',
      'inference.threads': -2,
      'inference.cacheResults': 'no',
    }),
  );
  assert.deepEqual(bad.inference, { modelPath: '', executionProvider: 'auto', threads: 0, cacheResults: true });
});

test('model folder: empty = bundled default, absolute as is, relative to the workspace folder', () => {
  assert.equal(resolveModelDir('', '/ext', undefined), path.join('/ext', DEFAULT_MODEL_RELATIVE_PATH));
  assert.equal(resolveModelDir('/models/yofo/', '/ext', '/ws'), '/models/yofo/');
  assert.equal(resolveModelDir('models/yofo', '/ext', '/ws'), '/ws/models/yofo');
  assert.throws(() => resolveModelDir('models/yofo', '/ext', undefined), /relative but no workspace folder/);
});

test('values are read, trimmed and clamped; wrong types fall back', () => {
  const c = parseConfig(
    section({
      datasetPath: ' /data/ryvos ',
      'overlay.opacity': 3,
      'overlay.mode': 'outline',
      'overlay.showGroundTruth': false,
      'overlay.predictionColor': '#f00',
      'viewer.fps': 'fast',
      'viewer.prefetchFrames': 7.6,
      annotationsFile: ' notes/rvos.json ',
    }),
  );
  assert.equal(c.annotationsFile, 'notes/rvos.json');
  assert.equal(parseConfig(section({ annotationsFile: ['x'] })).annotationsFile, '');
  assert.equal(c.datasetPath, '/data/ryvos');
  assert.equal(c.overlay.opacity, 1);
  assert.equal(c.overlay.mode, 'outline');
  assert.equal(c.overlay.showGt, false);
  assert.equal(c.overlay.showPred, true);
  assert.equal(c.overlay.predColor, '#f00');
  assert.equal(c.fps, 6);
  assert.equal(c.prefetchFrames, 8);
  assert.equal(parseConfig(section({ 'overlay.mode': 'glow', 'overlay.opacity': -1 })).overlay.mode, 'fill');
  assert.equal(parseConfig(section({ 'overlay.opacity': -1 })).overlay.opacity, 0);
});
