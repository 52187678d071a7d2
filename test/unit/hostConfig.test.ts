import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OVERLAY, parseConfig } from '../../src/host/config';

const section = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

test('defaults when nothing is set', () => {
  const c = parseConfig(section({}));
  assert.deepEqual(c, { datasetPath: '', overlay: DEFAULT_OVERLAY, prefetchFrames: 4, fps: 6 });
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
    }),
  );
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
