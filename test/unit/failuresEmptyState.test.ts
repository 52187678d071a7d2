import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userFacingPath } from '../../src/host/common/displayPath';
import { failuresEmptyState, type EmptyStateInput } from '../../src/host/failures/failuresEmptyState';
import { PANEL_COMMANDS } from '../../src/shared/failures/protocol';
import pkg from '../../package.json' with { type: 'json' };

const base: EmptyStateInput = { split: 'train', hasGroundTruth: true, runNames: [], activeScored: 0 };
const contributed = new Set(pkg.contributes.commands.map((c) => c.command));

test('no run at all: the panel offers Run YOFO on Split (primary) and Import Predictions, and says where viewer results go', () => {
  const s = failuresEmptyState(base)!;
  assert.deepEqual(
    s.actions.map((a) => a.command),
    ['rvos.runYofoOnSplit', 'rvos.importPredictions'],
  );
  assert.deepEqual(
    s.actions.map((a) => Boolean(a.primary)),
    [true, false],
  );
  assert.match(s.text, /clip viewer are taken from the cache/);
  // Never a hint towards Select Prediction Run while there is nothing to select.
  assert.doesNotMatch(s.text, /Select Prediction Run/);
});

test('runs loaded but none active: Select Prediction Run first, the ways to add one after', () => {
  const s = failuresEmptyState({ ...base, runNames: ['YOFO a', 'b'] })!;
  assert.deepEqual(
    s.actions.map((a) => a.command),
    ['rvos.selectRun', 'rvos.runYofoOnSplit', 'rvos.importPredictions'],
  );
  assert.deepEqual(
    s.actions.map((a) => Boolean(a.primary)),
    [true, false, false],
  );
  assert.match(s.text, /2 loaded: YOFO a, b/);
});

test('no dataset, no ground truth, active run not scored; a scored active run lists', () => {
  assert.equal(failuresEmptyState({ ...base, split: undefined })!.actions[0].command, 'rvos.openDataset');
  const noGt = failuresEmptyState({ ...base, hasGroundTruth: false, split: 'valid' })!;
  assert.match(noGt.text, /"valid" has no ground truth/);
  assert.equal(noGt.actions[0].command, 'rvos.chooseSplit');
  const unscored = failuresEmptyState({ ...base, runNames: ['r'], activeRun: 'r' })!;
  assert.deepEqual(unscored.actions, [{ label: 'Score Run', command: 'rvos.scoreRun', args: ['r'], primary: true }]);
  assert.equal(failuresEmptyState({ ...base, runNames: ['r'], activeRun: 'r', activeScored: 3 }), undefined);
});

test('every button of the panel runs a contributed command the panel may run', () => {
  for (const c of PANEL_COMMANDS) assert.ok(contributed.has(c), `${c} is not in package.json contributes.commands`);
  const inputs: EmptyStateInput[] = [
    base,
    { ...base, split: undefined },
    { ...base, hasGroundTruth: false },
    { ...base, runNames: ['r'] },
    { ...base, runNames: ['r'], activeRun: 'r' },
  ];
  for (const input of inputs)
    for (const a of failuresEmptyState(input)!.actions)
      assert.ok((PANEL_COMMANDS as readonly string[]).includes(a.command), a.command);
});

test('userFacingPath: storage files by what they are, workspace files relative, others as they are', () => {
  const places = { workspaceDir: '/ws', storageDir: '/home/u/.config/Code/User/workspaceStorage/abc/rvos' };
  assert.equal(
    userFacingPath('/home/u/.config/Code/User/workspaceStorage/abc/rvos/annotations.json', places),
    "the extension's storage (annotations.json)",
  );
  assert.equal(userFacingPath('/ws/.rvos/annotations.json', places), '.rvos/annotations.json');
  assert.equal(userFacingPath('/elsewhere/notes.json', places), '/elsewhere/notes.json');
  assert.equal(userFacingPath('/ws2/notes.json', places), '/ws2/notes.json');
  assert.equal(userFacingPath('/ws/a.json', {}), '/ws/a.json');
});
