// End-to-end: a MeViS-layout dataset (issue 14) in code-server: the workspace is detected as MeViS, a run in MeViS's
// own layout (<video>/<exp_id>/<frame>.png, no Annotations/ folder) imports, and a multi-object expression shows each
// referred object in its own colour with the J and F that `rvos score` gives. Screenshots in .artifacts/e2e/mevis/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBenchmarkDataset } from '../../src/core/benchmarks';
import type { Dataset } from '../../src/core/dataset';
import { scoreSplit } from '../../src/core/evaluate';
import { openPredictionRun } from '../../src/core/predictions';
import type { Expression, SplitScore } from '../../src/core/types';
import { OBJECT_COLOURS } from '../../src/webview/clipViewer/paneOverlay';
import { writeMevisSplit } from '../helpers/mevisSplit';
import { e2eSuite, OVERLAY_COLORS } from './session';
import { clipRowLabels, colourPixels, pickFolder, runCommand, showView, treeRow, webview } from './workbench';

const STEP_TIMEOUT = 90_000;
const SPLIT = 'valid_u';

let ds: Dataset;
let predDir: string;
let score: SplitScore;

const suite = e2eSuite(
  'mevis',
  {
    name: 'mevis',
    async write(dir, root) {
      predDir = join(root, 'mevis-predictions');
      await writeMevisSplit(dir, SPLIT, {
        seed: 'e2e',
        videos: 3,
        frames: 6,
        objects: [2, 3],
        width: 320,
        height: 180,
        absent: 0.1,
        noise: 0,
        predictions: predDir,
        frameImages: true,
      });
    },
  },
  async (session) => {
    ds = await openBenchmarkDataset(session.dataset);
    score = await scoreSplit(ds, await openPredictionRun(predDir, undefined, { videoFolders: true }));
  },
);
const { step, until } = suite;

/**
 * A multi-object expression whose first frame shows at least two of its objects and whose prediction is neither
 * empty nor perfect there (so the J and F shown say something), with its video.
 */
async function multiObjectExpression(): Promise<{ videoId: string; expression: Expression }> {
  const maskDict = JSON.parse(await readFile(join(suite.session.dataset, SPLIT, 'mask_dict.json'), 'utf8')) as Record<
    string,
    unknown[]
  >;
  for (const video of ds.videos) {
    for (const expression of video.expressions) {
      const present = (expression.annoIds ?? []).filter((id) => maskDict[id][0] !== null);
      const scored = score.expressions.find((e) => e.video === video.id && e.expId === expression.expId)!;
      if (present.length >= 2 && scored.frames[0].J > 0.2 && scored.frames[0].J < 0.98)
        return { videoId: video.id, expression };
    }
  }
  throw new Error('the generated MeViS split has no multi-object expression with two objects in its first frame');
}

test('1. the MeViS workspace is detected: the Clips view lists its videos', { timeout: STEP_TIMEOUT }, () =>
  step('1-clips', async () => {
    const labels = await clipRowLabels(
      suite.page,
      ds.videos.map((v) => v.id),
      60_000,
    );
    for (const v of ds.videos)
      assert.ok(
        labels.some((l) => l.includes(v.id)),
        `no Clips row for ${v.id}; rows: ${labels.join(' | ')}`,
      );
  }),
);

test(
  '2. a multi-object expression with an imported MeViS run: each object in its own colour, J and F as rvos score',
  { timeout: 3 * 60_000 },
  () =>
    step('2-multi-object-expression', async () => {
      const { videoId, expression } = await multiObjectExpression();
      await runCommand(suite.page, 'RVOS: Import Predictions');
      await pickFolder(suite.page, predDir); // the folder of the <video> folders, as MeViS's script takes it
      await showView(suite.page, 'RVOS', 'Clips');
      await treeRow(suite.page, 'Clips', videoId).click();
      const view = webview(suite.page);
      const item = view.locator(`[data-testid=expression][data-exp-id="${expression.expId}"]`);
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      await item.click();

      const expected = score.expressions.find((e) => e.video === videoId && e.expId === expression.expId)!;
      const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;
      const frameScore = view.locator('[data-testid=frame-score]');
      const shown = await until(
        async () => ({
          J: Number(await frameScore.getAttribute('data-j').catch(() => NaN)),
          F: Number(await frameScore.getAttribute('data-f').catch(() => NaN)),
        }),
        (s) => close(s.J, expected.frames[0].J),
      );
      assert.ok(
        close(shown.J, expected.frames[0].J) && close(shown.F, expected.frames[0].F),
        `frame 0: shown J ${shown.J} F ${shown.F}, rvos score ${JSON.stringify(expected.frames[0])}`,
      );
      const jf = await until(
        async () => Number(await item.locator('[data-testid=expression-score]').getAttribute('data-jf')),
        (v) => close(v, expected.JF),
      );
      assert.ok(close(jf, expected.JF), `expression J&F shown ${jf}, rvos score ${expected.JF}`);

      // The first referred object takes the ground-truth colour, the second the first of the object colours; the
      // legend beside the Ground truth toggle names each object with its colour.
      const pixels = await until(
        async () => [
          await colourPixels(view, 'frame-canvas', OVERLAY_COLORS.gt),
          await colourPixels(view, 'frame-canvas', OBJECT_COLOURS[0]),
        ],
        ([first, second]) => first > 0 && second > 0,
      );
      assert.ok(pixels[0] > 0 && pixels[1] > 0, `object outlines drawn: ${pixels.join(', ')} pixels`);
      const legend = view.locator('[data-testid=gt-objects] .legend-item');
      assert.deepEqual(
        await legend.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.objId)),
        expression.objIds,
      );
      assert.deepEqual(
        await legend.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).borderTopColor)),
        expression.objIds!.map((_, k) => `rgb(${(k === 0 ? OVERLAY_COLORS.gt : OBJECT_COLOURS[k - 1]).join(', ')})`),
      );

      // Picking the expression ran YOFO on the MeViS clip: it finishes with its own J&F beside the run's.
      const status = view.locator('[data-testid=yofo-status]');
      const done = await until(
        () => status.getAttribute('data-status'),
        (v) => v === 'done',
        2 * 60_000,
      );
      assert.equal(done, 'done', await status.innerText());
      await runCommand(suite.page, 'Notifications: Clear All Notifications'); // the import toast would hide the chart
    }),
);
