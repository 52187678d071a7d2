import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExpressionScore, Video } from '../../src/core/types';
import { RunScores } from '../../src/host/session/runScores';
import {
  categoryIcon,
  clipDescription,
  expressionDescription,
  filterMessage,
  runDescription,
  runPlace,
} from '../../src/host/clips/treeLabels';
import { formatPercent } from '../../src/shared/scoreFormat';

const score = (video: string, expId: string, J: number, F: number): ExpressionScore => ({
  video,
  expId,
  expression: `e${expId}`,
  J,
  F,
  JF: (J + F) / 2,
  frames: [],
});
const video: Video = {
  id: 'v1',
  frames: ['00000', '00005', '00010'],
  expressions: [{ expId: '0', text: 'a cat' }],
  objects: {},
};

test('formatPercent: one decimal of a percentage', () => {
  assert.equal(formatPercent(0.8125), '81.3');
  assert.equal(formatPercent(1), '100.0');
  assert.equal(formatPercent(0), '0.0');
});

test('clip description: the J&F range of the active run first (a narrow view cuts the counts, not the scores), then counts', () => {
  assert.equal(clipDescription(video), '3 frames · 1 expression');
  const scores = new RunScores([score('v1', '0', 0.6, 0.8), score('v1', '1', 0.9, 0.95), score('v2', '0', 0.1, 0.1)]);
  assert.equal(clipDescription(video, scores.clipRange('v1')), 'J&F 70.0–92.5 · 3 frames · 1 expression');
  assert.equal(clipDescription(video, scores.clipRange('v2')), 'J&F 10.0 · 3 frames · 1 expression');
  assert.equal(scores.clipRange('v3'), undefined);
});

test('run scores: replacing an expression score updates the range and the mean', () => {
  const scores = new RunScores([score('v1', '0', 0.6, 0.8), score('v1', '1', 0.9, 0.95)]);
  scores.add(score('v1', '1', 0.2, 0.2));
  const range = scores.clipRange('v1')!;
  assert.equal(range.best.expId, '0');
  assert.equal(range.worst.JF, 0.2);
  const mean = scores.mean()!;
  assert.equal(mean.count, 2);
  assert.equal(mean.J, 0.4);
  assert.equal(mean.JF, (0.4 + 0.5) / 2);
  assert.equal(new RunScores().mean(), undefined);
});

test('expression and run descriptions', () => {
  assert.equal(expressionDescription(undefined, false), 'no ground truth');
  assert.equal(expressionDescription(score('v', '0', 0.5, 0.7), false), 'no ground truth');
  assert.equal(expressionDescription(undefined, true), '');
  assert.equal(expressionDescription(score('v', '0', 0.5, 0.7), true), 'J&F 60.0 (J 50.0, F 70.0)');
  assert.equal(runDescription(undefined), 'not scored');
  assert.equal(
    runDescription({ J: 0.5, F: 0.7, JF: 0.6, count: 1, unpredicted: 0 }),
    'J&F 60.0 · J 50.0 · F 70.0 · 1 expression',
  );
  assert.equal(
    runDescription({ J: 0.5, F: 0.7, JF: 0.6, count: 1, unpredicted: 8 }),
    'J&F 60.0 · J 50.0 · F 70.0 · 1 expression · 8 without prediction',
  );
  assert.equal(expressionDescription(undefined, true, true), 'no prediction');
  assert.equal(filterMessage('car', 2, 1), 'Filter "car": 2 of 1 clip');
  assert.equal(filterMessage('car', 2, 507), 'Filter "car": 2 of 507 clips');
});

test('category icons: one per Ref-Shapes category, a default otherwise', () => {
  const icons = ['appearance', 'position', 'relation', 'motion'].map(categoryIcon);
  assert.equal(new Set(icons).size, 4);
  assert.ok(!icons.includes(categoryIcon(undefined)));
  assert.equal(categoryIcon('other'), categoryIcon(undefined));
});

test('an expression the run has no mask for is "no prediction", never a 0.0 in the clip range, the mean or a list', () => {
  const missing = (video: string, expId: string): ExpressionScore => ({
    ...score(video, expId, 0, 0),
    frames: [
      { frame: '00000', J: 0, F: 0, missing: true },
      { frame: '00005', J: 0, F: 0, missing: true },
    ],
  });
  const scores = new RunScores([score('v1', '0', 0.6, 0.8), missing('v1', '1'), missing('v2', '0')]);
  assert.equal(scores.expression('v1', '1'), undefined);
  assert.equal(scores.hasNoPrediction('v1', '1'), true);
  assert.equal(scores.official('v1', '1')?.JF, 0, 'the benchmark (exports) still counts it as 0.0');
  assert.equal(clipDescription(video, scores.clipRange('v1')), 'J&F 70.0 · 3 frames · 1 expression');
  assert.equal(scores.clipRange('v2'), undefined);
  assert.equal(scores.hasClip('v2'), true, 'scored: not asked again');
  assert.deepEqual(scores.mean(), { J: 0.6, F: 0.8, JF: 0.7, count: 1, unpredicted: 2 });
  // A prediction arriving later replaces the "no prediction".
  scores.add(score('v1', '1', 0.2, 0.4));
  assert.equal(scores.hasNoPrediction('v1', '1'), false);
  assert.equal(scores.mean()?.count, 2);
});

test('runPlace: an imported run shows its folder; a Run YOFO on Split run never its internal storage folder', () => {
  assert.equal(runPlace({ run: { dir: '/data/preds/model-a' } }), '/data/preds/model-a');
  const owned = runPlace({
    run: { dir: '/home/u/.vscode/data/User/workspaceStorage/0123abcd/rvos-inspector.rvos-inspector/yofo-runs/x' },
    owned: true,
  });
  assert.doesNotMatch(owned, /workspaceStorage|\//);
  assert.match(owned, /Run YOFO on Split/);
});
