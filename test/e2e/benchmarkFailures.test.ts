// End-to-end: a ReVOS dataset in the extension and the Failures panel's benchmark tools (issue 15). Opens a generated
// ReVOS folder (nested video ids, type_id, mask_dict.json, mask_dict_foreground.json), imports and scores a run,
// filters the Failures list by a ReVOS subset (its type_id, offered as the expression category) and opens the variant
// table ("why is my number different?"), whose official row must be eval_revos.py's overall number. Screenshots in
// .artifacts/e2e/benchmark-failures/.
//
// Hooks beyond those listed in vscode.test.ts:
//   Failures panel: #category (the expression category select), [data-testid=variants] (a <details> whose opening
//                   asks the host for the table), [data-testid=variants-table] (one <tr> per row, first cell its name)
import assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBenchmarkDataset } from '../../src/core/benchmarks';
import { summarizeRevosScores } from '../../src/core/benchmarks/revos/metrics';
import { scoreSplit } from '../../src/core/evaluate';
import { openPredictionRun } from '../../src/core/predictions';
import { formatPercent } from '../../src/shared/scoreFormat';
import { writeRevosFixture, type RevosFixture } from '../helpers/revosSplit';
import { e2eSuite } from './session';
import { pickFolder, runCommand, showView, shownNotifications, treeRow, treeRows, webviewWith } from './workbench';

const suite = e2eSuite('benchmark-failures');
const { step, until } = suite;

test('ReVOS in the Failures panel: subset filter and the variant table', { timeout: 5 * 60_000 }, async () => {
  const { page, session } = suite;
  let fx: RevosFixture;
  let runDir: string;
  await step('01-revos-scored', async () => {
    fx = await writeRevosFixture(await session.tempDir('revos'));
    runDir = await session.tempDir('revos-run');
    await rename(fx.pred, join(runDir, 'Annotations')); // the run layout the import takes
    // The extension is active once the Clips tree lists the workspace's sample dataset.
    await showView(page, 'RVOS', 'Clips');
    await treeRows(page, 'Clips').first().waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'RVOS: Open Dataset');
    await pickFolder(page, fx.root);
    // Nested video ids are clips of the tree like any other.
    await treeRow(page, 'Clips', 'UVO/all/-fbscFfkh4M').waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'RVOS: Import Predictions');
    await pickFolder(page, runDir);
    await runCommand(page, 'RVOS: Score Prediction Run');
    const scored = (l: string[]) => l.some((m) => m.includes('"revos-run"') && m.includes('over 16 expressions'));
    const messages = await until(() => shownNotifications(page), scored, 60_000);
    assert.ok(scored(messages), `the run was not scored: ${messages.join(' | ')}`);
  });
  await step('02-revos-failures-subset', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'RVOS: Show Failures');
    const failures = await webviewWith(page, 'failures');
    const count = failures.locator('[data-testid=row-count]');
    // The list holds the expressions the run has masks for: TAO/nopred's 4 have none (they count 0 in the official
    // number and in exports, as every benchmark here).
    const all = await until(
      () => count.innerText(),
      (t) => t === '12 expressions',
    );
    assert.equal(all, '12 expressions');
    const categories = await failures.locator('#category option').allInnerTexts();
    assert.deepEqual(categories, ['any', 'referring', 'reasoning', 'no-target']);
    await failures.locator('#category').selectOption('reasoning');
    const shown = await until(
      () => count.innerText(),
      (t) => t === '6 of 12 expressions',
    );
    assert.equal(shown, '6 of 12 expressions', 'the reasoning subset: 2 of each listed video');
  });
  await step('03-revos-variants', async () => {
    const failures = await webviewWith(page, 'failures');
    await failures.locator('[data-testid=variants] > summary').click();
    const table = failures.locator('[data-testid=variants-table]');
    await table.waitFor({ state: 'visible', timeout: 60_000 });
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const names = rows.map((r) => r[0]);
    for (const name of ['official', 'all frames', 'target frames only', 'referring', 'reasoning', 'no-target'])
      assert.ok(names.includes(name), `no "${name}" row: ${names.join(', ')}`);
    // The official row is eval_revos.py's overall number, as `rvos score --variants` prints it.
    const ds = await openBenchmarkDataset(fx.root);
    const score = await scoreSplit(ds, await openPredictionRun(runDir), { workers: 0 });
    const overall = summarizeRevosScores(score.expressions).overall;
    const official = rows.find((r) => r[0] === 'official')!;
    assert.deepEqual(
      official.slice(2, 5),
      [overall.J, overall.F, overall.JF].map((v) => formatPercent(v / 100)),
    );
    // Readable: the table is not cut off at the right edge of the panel.
    const fits = await table.evaluate((t) => t.getBoundingClientRect().right <= document.documentElement.clientWidth);
    assert.ok(fits, 'the variant table is wider than the panel');
  });
});
