// Integration suite, run inside the VS Code extension host (see ../runTest.ts). A minimal sequential harness instead
// of mocha: each test is an async function; the first failure fails the run with its name.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RvosApi } from '../../../src/extension';
import { parseFilter } from '../../../src/host/clips/clipFilter';
import type { ClipNode } from '../../../src/host/clips/clipsTree';

const tests: [string, (api: RvosApi) => Promise<void>][] = [];
const it = (name: string, body: (api: RvosApi) => Promise<void>) => tests.push([name, body]);

const dataset = () => process.env.RVOS_TEST_DATASET ?? assert.fail('RVOS_TEST_DATASET not set');
const runDir = () => process.env.RVOS_TEST_RUN ?? assert.fail('RVOS_TEST_RUN not set');

function clipIds(api: RvosApi): string[] {
  const [root] = api.tree.getChildren();
  return api.tree
    .getChildren(root)
    .map((n: ClipNode) => (n.kind === 'clip' ? n.video.id : assert.fail(`unexpected ${n.kind}`)));
}

it('opens the workspace dataset on activation', async (api) => {
  assert.equal(api.session.dataset?.root, path.resolve(dataset()));
  assert.equal(api.session.dataset?.split, 'train');
});

it('lists the clips with their counts, and expressions under them', async (api) => {
  assert.deepEqual(clipIds(api), ['vidA', 'vidB']);
  const [root] = api.tree.getChildren();
  const [vidA] = api.tree.getChildren(root);
  assert.equal(api.tree.getTreeItem(vidA).description, '2 frames · 2 expressions');
  const exps = api.tree.getChildren(vidA).map((n) => api.tree.getTreeItem(n).label);
  assert.deepEqual(exps, ['the red square on the left', 'the tall bar on the right']);
});

it('filters clips by expression text and clears the filter', async (api) => {
  api.session.setFilter(parseFilter('rectangle'));
  assert.deepEqual(clipIds(api), ['vidB']);
  await vscode.commands.executeCommand('rvos.clearFilter');
  assert.deepEqual(clipIds(api), ['vidA', 'vidB']);
});

it('a bad prediction folder is reported and changes nothing', async (api) => {
  await vscode.commands.executeCommand('rvos.importPredictions', dataset(), 'bad');
  assert.equal(api.session.runs.size, 0);
});

it('imports and scores a run (perfect predictions: J&F 100)', async (api) => {
  await vscode.commands.executeCommand('rvos.importPredictions', runDir(), 'perfect');
  assert.equal(api.session.activeRunName, 'perfect');
  await vscode.commands.executeCommand('rvos.scoreRun', 'perfect');
  const mean = api.session.runs.get('perfect')?.scores.mean();
  assert.deepEqual(mean && { JF: mean.JF, count: mean.count }, { JF: 1, count: 3 });
  const [root] = api.tree.getChildren();
  const [vidA] = api.tree.getChildren(root);
  assert.equal(api.tree.getTreeItem(vidA).description, '2 frames · 2 expressions · J&F 100.0');
});

it('showClip opens one viewer panel per clip', async (api) => {
  await vscode.commands.executeCommand('rvos.showClip', 'vidA', '1');
  await vscode.commands.executeCommand('rvos.showClip', 'vidA', '0');
  assert.equal(api.panels.openPanels.length, 1);
  assert.equal(api.panels.openPanels[0].viewerState.expId, '0');
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  assert.ok(
    tab?.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('rvos.clipViewer'),
    'active tab is the clip viewer',
  );
  assert.equal(tab?.label, 'vidA');
  await vscode.commands.executeCommand('rvos.showClip', 'vidB');
  assert.equal(api.panels.openPanels.length, 2);
});

export async function run(): Promise<void> {
  const ext =
    vscode.extensions.all.find((e) => e.packageJSON?.name === 'rvos-inspector') ?? assert.fail('extension not loaded');
  const api = (await ext.activate()) as RvosApi;
  let failed = 0;
  for (const [name, body] of tests) {
    try {
      await body(api);
      console.log(`ok - ${name}`);
    } catch (err) {
      failed++;
      console.error(`not ok - ${name}\n${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  if (failed > 0) throw new Error(`${failed} of ${tests.length} integration tests failed`);
}
