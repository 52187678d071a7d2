// Issue 16 item 2: a run belongs to the dataset and split it was made for; opening another one sets it aside.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { viewerTitle } from '../../src/host/clipViewer/viewerTitle';
import type { ImportedRun } from '../../src/host/session/importedRun';
import { homeOf, sameHome, sortRunsFor } from '../../src/host/session/runHome';
import { RunScores } from '../../src/host/session/runScores';

const run = (name: string, home?: { root: string; split: string }): [string, ImportedRun] => [
  name,
  { run: { name, dir: `/runs/${name}` }, scores: new RunScores(), complete: false, home },
];

test('opening another dataset sets its runs aside and picks an active run of the new one (or none)', () => {
  const a = homeOf({ root: '/data/ytvos', split: 'valid' });
  const b = homeOf({ root: '/data/shapes', split: 'valid' });
  const all = [run('yofo on ytvos', a), run('imported', b), run('yofo on shapes', b)];
  const onB = sortRunsFor(b, all, 'yofo on ytvos');
  assert.deepEqual([...onB.current.keys()], ['imported', 'yofo on shapes']);
  assert.deepEqual([...onB.setAside.keys()], ['yofo on ytvos']);
  assert.equal(onB.active, 'yofo on shapes', 'the active run of the old dataset is not active on the new one');
  // Back on the first dataset: its run comes back; the chosen active run is kept when it belongs there.
  const onA = sortRunsFor(a, [...onB.current, ...onB.setAside], 'yofo on ytvos');
  assert.deepEqual([...onA.current.keys()], ['yofo on ytvos']);
  assert.equal(onA.active, 'yofo on ytvos');
  // Another split of the same root is another dataset; with no run of its own nothing is active.
  const other = sortRunsFor(homeOf({ root: '/data/ytvos', split: 'train' }), all, 'yofo on ytvos');
  assert.equal(other.current.size, 0);
  assert.equal(other.active, undefined);
});

test('a run imported before any dataset was open belongs to the first one opened', () => {
  const home = homeOf({ root: '/data/ytvos/', split: 'valid' });
  const loose = run('loose');
  const sorted = sortRunsFor(home, [loose], undefined);
  assert.equal(sorted.active, 'loose');
  assert.ok(loose[1].home && sameHome(loose[1].home, { root: '/data/ytvos', split: 'valid' }));
  assert.equal(sortRunsFor(homeOf({ root: '/data/other', split: 'valid' }), [loose], 'loose').setAside.size, 1);
});

test('a viewer of a dataset that is not the open one says which dataset it shows in its tab title', () => {
  const shown = { root: path.resolve('/data/ytvos'), split: 'valid' };
  assert.equal(viewerTitle('0a1b2c', shown, homeOf({ root: '/data/ytvos', split: 'valid' })), '0a1b2c');
  assert.equal(
    viewerTitle('0a1b2c', shown, homeOf({ root: '/data/shapes', split: 'valid' })),
    '0a1b2c (valid of ytvos)',
  );
  assert.equal(viewerTitle('0a1b2c', shown, undefined), '0a1b2c (valid of ytvos)');
});
