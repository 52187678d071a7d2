// End-to-end: the packaged extension in a real VS Code (code-server) driven through headless Chromium.
// Run with `npm run test:e2e` (installs code-server once per machine via scripts/setup-code-server.sh).
//
// What the tests rely on from the extension (stable hooks, not styling):
//   view container "RVOS" with the tree view "Clips" (one row per clip, its aria-label contains the video id);
//   commands "RVOS: Import Predictions…" and "RVOS: Open Dataset…" asking for a folder;
//   in the clip viewer webview:
//     [data-testid=viewer]            data-frame-index = shown frame (0-based)
//     [data-testid=expression]        one per expression, data-exp-id; click selects it
//     [data-testid=frame-canvas]      the canvas with the frame and the overlays
//     [data-testid=frame-score]       data-j, data-f: J and F of the shown frame (0..1) when known
//     [data-testid=expression-score]  inside an expression: data-jf, its mean J&F (0..1) when known
//     [data-testid=expression-input]  text field: Enter runs YOFO on the typed expression
//     [data-testid=diff-legend]       difference overlay legend (key d toggles it): data-tp/fp/fn pixel counts, and a
//                                     .swatch per class coloured like its pixels
//     [data-testid=frame-canvas-b]    the second pane's canvas (side by side, key s)
//     [data-testid=w-layer]           YOFO's W map over a pane (key w shows it), [data-testid=memory-strip] with one
//                                     .memory-chip per memory frame the fit used (label "<frame> · <share>")
//     [data-testid=w-legend]          the W colour bar (.w-tick labels: real W at its ends) or, data-flat=true, the
//                                     note that W is flat on this frame
//     [data-testid=gt-swatch|pred-swatch]  swatches beside the overlay toggles, in the overlay colours
//     [data-testid=prediction-source] the prediction shown (one option when the run is YOFO's own split run)
//     [data-testid=yofo-status]       YOFO's status line for the selected expression (data-status)
//     [data-testid=probe-button]      probes the selected expression; [data-testid=probe-table] gets a row per text
//                                     (original first, class probe-original), data-jf once scored
//   in the Failures panel webview ([data-testid=failures]):
//     [data-testid=failure-row]       one per listed expression, data-index (0-based rank) and data-key "<video>/<expId>"
//     [data-testid=failure-list]      the list; Enter opens the selected row in a viewer at its worst frame
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { openDataset, type Dataset } from '../../src/core/dataset';
import { probeVariants } from '../../src/core/analysis/probe';
import { DEFAULT_MODEL_RELATIVE_PATH } from '../../src/inference/defaultModel';
import { REPO_ROOT, runCaptured } from '../../scripts/lib/run';
import { writeShiftedPredictions, type FrameScores } from './predictions';
import { E2eSession, OVERLAY_COLORS } from './session';
import {
  clipRowLabels,
  colourPixels,
  notificationTexts,
  pickFolder,
  runCommand,
  shownNotifications,
  showView,
  treeRow,
  until as untilOn,
  webview,
  webviewWith,
} from './workbench';

const STEP_TIMEOUT = 90_000;

let session: E2eSession;
let page: Page;
let ds: Dataset;

before(
  async () => {
    session = await E2eSession.started();
    page = session.page!;
    ds = await openDataset(session.dataset);
  },
  { timeout: 10 * 60_000 },
);

after(async () => {
  await session?.close();
});

/** Why YOFO steps cannot run yet, read from the built code; undefined when they can. */
function yofoMissing(): string | undefined {
  const cli = join(REPO_ROOT, 'dist', 'cli.js');
  const evalHelp = spawnSync(process.execPath, [cli, 'eval', '--help'], { stdio: 'ignore' });
  if (evalHelp.status !== 0) return `\`rvos eval --help\` exits with ${evalHelp.status}: rvos eval is not there yet`;
  const model = join(REPO_ROOT, DEFAULT_MODEL_RELATIVE_PATH, 'model.json');
  if (!existsSync(model)) return `no bundled YOFO model (${model} is missing)`;
  const bundle = join(REPO_ROOT, 'dist', 'webview.js');
  if (!existsSync(bundle) || !readFileSync(bundle, 'utf8').includes('expression-input')) {
    return 'the viewer has no YOFO input yet (dist/webview.js has no data-testid "expression-input")';
  }
  return undefined;
}

const step = <T>(name: string, fn: () => Promise<T>) => session.step(name, fn);

/** Pixels of the overlay colours on the viewer canvas (±40 per channel, so scaled edges still count). */
async function overlayPixels(view: FrameLocator): Promise<{ gt: number; pred: number; total: number }> {
  // No named inner functions here: tsx would wrap them in a `__name` helper that does not exist in the page.
  return view.locator('[data-testid=frame-canvas]').evaluate((el, colors) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const counts = { gt: 0, pred: 0, total: canvas.width * canvas.height };
    for (let i = 0; i < data.length; i += 4) {
      for (const key of ['gt', 'pred'] as const) {
        const c = colors[key];
        if (
          Math.abs(data[i] - c[0]) <= 40 &&
          Math.abs(data[i + 1] - c[1]) <= 40 &&
          Math.abs(data[i + 2] - c[2]) <= 40
        ) {
          counts[key]++;
          break;
        }
      }
    }
    return counts;
  }, OVERLAY_COLORS);
}

const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs?: number) =>
  untilOn(page, read, ok, timeoutMs);

/**
 * Starts recording where the frame canvas's pane sits (its viewport's top, every 20 ms, in the page); the returned
 * function stops and gives the distinct positions seen. One position = nothing above the frame moved it.
 */
async function watchFrameTop(view: FrameLocator): Promise<() => Promise<number[]>> {
  const viewport = view.locator('[data-testid=frame-canvas]');
  await viewport.evaluate((el) => {
    const w = window as unknown as { __tops: number[]; __topTimer: number };
    w.__tops = [];
    w.__topTimer = window.setInterval(() => {
      const top = Math.round(el.parentElement!.getBoundingClientRect().top);
      if (!w.__tops.includes(top)) w.__tops.push(top);
    }, 20);
  });
  return () =>
    viewport.evaluate(() => {
      const w = window as unknown as { __tops: number[]; __topTimer: number };
      window.clearInterval(w.__topTimer);
      return w.__tops;
    });
}

/** Clips a step opened in a viewer (their frames may be cached there). */
const openedClips = new Set<string>();

async function openClip(videoId: string): Promise<FrameLocator> {
  openedClips.add(videoId);
  await showView(page, 'RVOS', 'Clips');
  await treeRow(page, 'Clips', videoId).click();
  const view = webview(page);
  await view.locator('[data-testid=expression]').first().waitFor({ state: 'visible', timeout: 30_000 });
  return view;
}

async function selectExpression(view: FrameLocator, expId: string): Promise<void> {
  await view.locator(`[data-testid=expression][data-exp-id="${expId}"]`).click();
}

async function frameState(view: FrameLocator): Promise<{ index: number; J: number; F: number }> {
  const index = Number(await view.locator('[data-testid=viewer]').getAttribute('data-frame-index'));
  const score = view.locator('[data-testid=frame-score]');
  const attr = async (n: string) => ((await score.count()) ? Number(await score.getAttribute(n)) : NaN);
  return { index, J: await attr('data-j'), F: await attr('data-f') };
}

test('1. the Clips view lists the sample clips', { timeout: STEP_TIMEOUT }, () =>
  step('1-clips', async () => {
    const labels = await clipRowLabels(
      page,
      ds.videos.map((v) => v.id),
    );
    for (const v of ds.videos)
      assert.ok(
        labels.some((l) => l.includes(v.id)),
        `no Clips row for ${v.id}; rows: ${labels.join(' | ')}`,
      );
  }),
);

test('2. clicking a clip opens the viewer with its expressions', { timeout: STEP_TIMEOUT }, () =>
  step('2-viewer', async () => {
    const video = ds.videos[0];
    const view = await openClip(video.id);
    const items = view.locator('[data-testid=expression]');
    const ids = await until(
      () => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-exp-id'))),
      (l) => l.length === video.expressions.length,
    );
    assert.deepEqual([...ids].sort(), video.expressions.map((e) => e.expId).sort());
    const texts = await items.allInnerTexts();
    for (const e of video.expressions)
      assert.ok(
        texts.some((t) => t.includes(e.text)),
        `expression "${e.text}" not shown`,
      );
    // The shared media/webview.css, @imported by the page's stylesheet, passed the CSP: its .select rule applies.
    assert.deepEqual(
      await view.locator('[data-testid=prediction-source]').evaluate(sharedSelectStyle),
      SHARED_SELECT_STYLE,
    );
  }),
);

/** What media/webview.css's `.select` rule gives a select (Chromium's own default is no padding). */
const SHARED_SELECT_STYLE = { padding: '2px 4px' };
function sharedSelectStyle(el: Element): typeof SHARED_SELECT_STYLE {
  return { padding: getComputedStyle(el).padding };
}

/** The expression of the first clip that step 3 ran YOFO on, with the J&F `rvos eval` reported for it. */
let yofoEvaluated: { expId: string; text: string; JF: number } | undefined;

test('3. picking an expression runs YOFO: overlays drawn, J&F equals rvos eval', { timeout: 5 * 60_000 }, async (t) => {
  const missing = yofoMissing();
  if (missing) return t.skip(missing);
  await step('3-yofo', async () => {
    const video = ds.videos[0];
    const exp = video.expressions.find((e) => e.objId !== undefined)!;
    const out = join(session.root, 'eval-out');
    const json = await runCaptured('rvos eval', process.execPath, [
      join(REPO_ROOT, 'dist', 'cli.js'),
      'eval',
      session.dataset,
      '--videos',
      video.id,
      '--out',
      out,
      '--json',
    ]);
    const report = JSON.parse(json.slice(json.indexOf('{'))) as {
      expressions: { video: string; expId: string; JF: number }[];
    };
    const expected = report.expressions.find((e) => e.video === video.id && e.expId === exp.expId);
    assert.ok(expected, `rvos eval reported no score for ${video.id}/${exp.expId}`);
    yofoEvaluated = { expId: exp.expId, text: exp.text, JF: expected.JF };
    const view = await openClip(video.id);
    // Another expression first (YOFO runs on it), so the header has its lines when the watched run starts.
    await view.locator(`[data-testid=expression]:not([data-exp-id="${exp.expId}"])`).first().click();
    await view
      .locator('[data-testid=yofo-status][data-status=done]')
      .waitFor({ state: 'attached', timeout: 4 * 60_000 });
    const tops = await watchFrameTop(view);
    await selectExpression(view, exp.expId);
    const score = view.locator(
      `[data-testid=expression][data-exp-id="${exp.expId}"] [data-testid=expression-score][data-jf]`,
    );
    await score.waitFor({ state: 'attached', timeout: 4 * 60_000 });
    await view.locator('[data-testid=yofo-status][data-status=done]').waitFor({ state: 'attached', timeout: 60_000 });
    const px = await until(
      () => overlayPixels(view),
      (p) => p.gt > 0 && p.pred > 0,
    );
    assert.ok(px.gt > 0 && px.pred > 0, `overlays not drawn: ${JSON.stringify(px)}`);
    const seen = await tops();
    assert.equal(seen.length, 1, `the frame moved while YOFO ran and finished (its top at ${seen.join(', ')} px)`);
    // Swatches beside the toggles, in the overlay colours (the settings' here): ground truth outlined, prediction filled.
    const swatch = (id: string, prop: 'borderTopColor' | 'backgroundColor') =>
      view.locator(`[data-testid=${id}]`).evaluate((el, p) => getComputedStyle(el)[p], prop);
    const rgb = (c: readonly number[]) => `rgb(${c.join(', ')})`;
    assert.equal(await swatch('gt-swatch', 'borderTopColor'), rgb(OVERLAY_COLORS.gt));
    assert.equal(await swatch('pred-swatch', 'borderTopColor'), rgb(OVERLAY_COLORS.pred));
    const shown = Number(await score.getAttribute('data-jf'));
    assert.equal((shown * 100).toFixed(2), (expected.JF * 100).toFixed(2), 'viewer J&F differs from rvos eval');
  });
});

test('4. typing a new expression and pressing Enter produces a mask', { timeout: 5 * 60_000 }, async (t) => {
  const missing = yofoMissing();
  if (missing) return t.skip(missing);
  await step('4-typed-expression', async () => {
    const view = await openClip(ds.videos[0].id);
    const input = view.locator('[data-testid=expression-input]');
    const tops = await watchFrameTop(view);
    await input.fill('the shape on the left');
    await input.press('Enter');
    const px = await until(
      () => overlayPixels(view),
      (p) => p.pred > 0,
      4 * 60_000,
    );
    assert.ok(px.pred > 0, `no predicted mask drawn: ${JSON.stringify(px)}`);
    await view.locator('[data-testid=link-object]').waitFor({ state: 'visible', timeout: 10_000 }); // its Ground truth row
    await view.locator('[data-testid=yofo-status][data-status=done]').waitFor({ state: 'attached', timeout: 60_000 });
    const seen = await tops();
    assert.equal(
      seen.length,
      1,
      `the frame moved when the typed expression and its Ground truth row came (top at ${seen.join(', ')} px)`,
    );
  });
});

test(
  '5. arrow keys step frames and the per-frame scores follow (imported predictions)',
  { timeout: STEP_TIMEOUT },
  () =>
    step('5-frames', async () => {
      const runDir = await session.tempDir('predictions-shifted');
      const scores: FrameScores = await writeShiftedPredictions(session.dataset, ds.split, runDir, 6);
      shifted = scores;
      // An expression whose first two frames score differently, so a frame step must change the numbers.
      const [key, perFrame] = [...scores].find(
        ([, s]) => s.length > 2 && s[0].J !== s[1].J && s[0].J > 0 && s[0].J < 1,
      )!;
      const [videoId, expId] = key.split('/');
      await runCommand(page, 'RVOS: Import Predictions');
      await pickFolder(page, runDir);
      const view = await openClip(videoId);
      await selectExpression(view, expId);
      const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;
      const check = async (index: number) => {
        const s = await until(
          () => frameState(view),
          (f) => f.index === index && close(f.J, perFrame[index].J),
        );
        assert.equal(s.index, index);
        assert.ok(
          close(s.J, perFrame[index].J) && close(s.F, perFrame[index].F),
          `frame ${index}: shown J ${s.J} F ${s.F}, expected ${JSON.stringify(perFrame[index])}`,
        );
      };
      await check(0);
      const px = await until(
        () => overlayPixels(view),
        (p) => p.gt > 0 && p.pred > 0,
      );
      assert.ok(px.gt > 0 && px.pred > 0, `overlays not drawn: ${JSON.stringify(px)}`);
      await view.locator('[data-testid=frame-canvas]').click();
      await page.keyboard.press('ArrowRight');
      await check(1);
      await page.keyboard.press('ArrowRight');
      await check(2);
      await page.keyboard.press('ArrowLeft');
      await check(1);
    }),
);

/** Per-frame scores of the run imported in step 5 ("predictions-shifted", masks shifted by 6 px). */
let shifted: FrameScores | undefined;
/** Per-frame scores of the run imported in step 7 ("predictions-near", shifted 2 px), the active run from then on. */
let nearScores: FrameScores | undefined;

/** An expression's J&F as the scorer computes it: (mean J + mean F) / 2 over its frames. */
function expressionJF(perFrame: { J: number; F: number }[]): number {
  const mean = (k: 'J' | 'F') => perFrame.reduce((a, f) => a + f[k], 0) / perFrame.length;
  return (mean('J') + mean('F')) / 2;
}

test(
  '6. the difference overlay (key d) draws true positives in the theme colour; s shows two panes',
  { timeout: STEP_TIMEOUT },
  () =>
    step('6-difference', async () => {
      const view = webview(page); // the viewer of step 5, on an expression whose first frame overlaps its ground truth
      await view.locator('[data-testid=frame-canvas]').click();
      await page.keyboard.press('Home');
      await until(
        () => frameState(view),
        (f) => f.index === 0 && f.J > 0,
      );
      const legend = view.locator('[data-testid=diff-legend]');
      assert.equal(await legend.isVisible(), false, 'the difference legend shows before the overlay is on');
      await page.keyboard.press('d');
      await legend.waitFor({ state: 'visible', timeout: 10_000 });
      const tp = await until(
        async () => Number((await legend.getAttribute('data-tp')) ?? 0),
        (n) => n > 0,
      );
      assert.ok(tp > 0, 'no true-positive pixels counted on a frame with J > 0');
      const css = await legend
        .locator('.swatch')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      const rgb = (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
      assert.equal(rgb.length, 3, `swatch colour ${css}`);
      const on = await until(
        () => colourPixels(view, 'frame-canvas', rgb),
        (n) => n > 0,
      );
      await page.keyboard.press('d');
      await legend.waitFor({ state: 'hidden', timeout: 10_000 });
      const off = await until(
        () => colourPixels(view, 'frame-canvas', rgb),
        (n) => n < on,
      );
      assert.ok(on > off, `true-positive colour ${css}: ${on} pixels with the difference overlay, ${off} without`);
      await page.keyboard.press('s');
      const second = view.locator('[data-testid=frame-canvas-b]');
      await second.waitFor({ state: 'visible', timeout: 10_000 });
      const px = await until(
        () => second.evaluate((el) => (el as HTMLCanvasElement).width),
        (w) => w > 0,
      );
      assert.ok(px > 0, 'the prediction pane has no frame');
      await page.keyboard.press('s');
      // Zoom: the frame fits its pane, + magnifies it around the centre, 0 fits it again.
      const canvas = view.locator('[data-testid=frame-canvas]');
      const fill = () =>
        canvas.evaluate((el) => {
          const c = el.getBoundingClientRect();
          const v = el.parentElement!.getBoundingClientRect();
          return Math.max(c.width / v.width, c.height / v.height);
        });
      const fitted = await until(fill, (r) => Math.abs(r - 1) < 0.01);
      assert.ok(Math.abs(fitted - 1) < 0.01, `the fitted frame fills ${fitted} of its pane`);
      await page.keyboard.press('+');
      const zoomed = await until(fill, (r) => r > 1.2);
      assert.ok(Math.abs(zoomed - 1.25) < 0.01, `one + zooms to ${zoomed}, expected 1.25`);
      await page.keyboard.press('0');
      assert.ok(
        Math.abs((await until(fill, (r) => Math.abs(r - 1) < 0.01)) - 1) < 0.01,
        '0 did not fit the frame again',
      );
    }),
);

test(
  '7. compare with another run: A | B on the same frames, ΔJ&F of the expression means',
  { timeout: STEP_TIMEOUT },
  async (t) => {
    if (!shifted) return t.skip('step 5 did not import its run');
    const far = shifted;
    await step('7-compare', async () => {
      const runDir = await session.tempDir('predictions-near');
      const near = await writeShiftedPredictions(session.dataset, ds.split, runDir, 2);
      nearScores = near;
      await runCommand(page, 'RVOS: Import Predictions');
      await pickFolder(page, runDir); // becomes the active run: A
      const [key] = [...near].find(([k, s]) => Math.abs(expressionJF(s) - expressionJF(far.get(k)!)) > 1e-3)!;
      const [videoId, expId] = key.split('/');
      const view = await openClip(videoId);
      await selectExpression(view, expId);
      const select = view.locator('[data-testid=compare-with]');
      const value = 'run:predictions-shifted';
      await until(
        () => select.locator(`option[value="${value}"]`).count(),
        (n) => n === 1,
      );
      await select.selectOption(value);
      const delta = view.locator('[data-testid=compare-delta]');
      await delta.waitFor({ state: 'attached', timeout: 60_000 });
      const expected = expressionJF(far.get(key)!) - expressionJF(near.get(key)!);
      const shown = Number(await delta.getAttribute('data-delta-jf'));
      assert.ok(
        Math.abs(shown - expected) < 1e-9,
        `ΔJ&F shown ${shown}, expected ${expected} (B shifted 6 px − A shifted 2 px)`,
      );
      const second = view.locator('[data-testid=frame-canvas-b]');
      await second.waitFor({ state: 'visible', timeout: 10_000 });
      const px = await until(
        () => colourPixels(view, 'frame-canvas-b', [...OVERLAY_COLORS.pred]),
        (n) => n > 0,
      );
      assert.ok(px > 0, 'no prediction drawn in pane B');
      await select.selectOption('');
      await second.waitFor({ state: 'hidden', timeout: 10_000 });
    });
  },
);

/** Pixels of a canvas whose alpha is above 0, and its size. */
async function paintedPixels(canvas: Locator): Promise<{ painted: number; total: number }> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    if (c.width === 0 || c.height === 0) return { painted: 0, total: 0 };
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return { painted, total: c.width * c.height };
  });
}

test(
  '8. the W map (key w) paints a heat layer over the frame; the memory strip lists earlier frames',
  { timeout: 3 * 60_000 },
  async (t) => {
    const missing = yofoMissing();
    if (missing) return t.skip(missing);
    if (!yofoEvaluated) return t.skip('step 3 did not run YOFO');
    const { expId } = yofoEvaluated;
    await step('8-w-map', async () => {
      const video = ds.videos[0];
      const view = await openClip(video.id);
      await selectExpression(view, expId); // YOFO's result of step 3 comes back from the cache
      const canvas = view.locator('[data-testid=frame-canvas]');
      await canvas.click();
      await page.keyboard.press('Home');
      const memory = view.locator('[data-testid=memory-strip]');
      // The summary names the frame's own share once YOFO's result for this frame is there.
      await until(
        () => memory.innerText(),
        (text) => text.includes('this frame: mean W'),
        4 * 60_000,
      );
      const layer = view.locator('[data-testid=w-layer]').first();
      assert.equal(await layer.isVisible(), false, 'the W layer shows before w was pressed');
      await page.keyboard.press('w');
      const legend = view.locator('[data-testid=w-legend]');
      await until(
        () => legend.evaluate((el) => getComputedStyle(el).visibility),
        (v) => v === 'visible',
      );
      if ((await legend.getAttribute('data-flat')) === 'true') {
        assert.match(await legend.innerText(), /W is flat on this frame/);
      } else {
        await layer.waitFor({ state: 'visible', timeout: 10_000 });
        // Every W value is drawn with some opacity (a quarter of the layer's at the low end), so the whole map is painted.
        const px = await until(
          () => paintedPixels(layer),
          (p) => p.total > 0 && p.painted === p.total,
        );
        assert.ok(px.total > 0 && px.painted === px.total, `W layer: ${px.painted} of ${px.total} pixels painted`);
        // The colour bar spans this frame's own W: its ends are real values, low below high.
        const ticks = (await legend.locator('.w-tick').allInnerTexts()).map(Number);
        assert.ok(
          ticks.length === 3 && ticks.every((t) => t >= 0 && t <= 1) && ticks[0] < ticks[2],
          `W colour bar labels ${ticks.join(' / ')}`,
        );
      }
      await page.keyboard.press('ArrowRight');
      await until(
        () => frameState(view),
        (f) => f.index === 1,
      );
      const chips = memory.locator('.memory-chip');
      const labels = await until(
        () => chips.allInnerTexts(),
        (l) => l.length > 0,
      );
      assert.ok(labels.length > 0, `no memory frames listed for frame 1: "${await memory.innerText()}"`);
      const earlier = new Set(video.frames.slice(0, 1));
      for (const l of labels)
        assert.ok(
          earlier.has(l.split(' · ')[0]),
          `memory chip "${l}" is not a frame before frame 1 (${[...earlier].join(', ')})`,
        );
      assert.ok(
        (await legend.getAttribute('data-flat')) === 'true' || (await paintedPixels(layer)).painted > 0,
        'the W layer is empty on frame 1',
      );
      await session.screenshot('8-w-map-shown'); // W over frame 1 and its memory strip, for a person to look at
      await chips.first().click(); // seeks to that memory frame
      await until(
        () => frameState(view),
        (f) => f.index === 0,
      );
      assert.equal((await frameState(view)).index, 0, 'clicking the memory chip did not seek to its frame');
      await canvas.click();
      await page.keyboard.press('w');
      await layer.waitFor({ state: 'hidden', timeout: 10_000 });
    });
  },
);

test(
  '9. Probe expression: one row per variant with its J&F; the original scores as rvos eval',
  { timeout: 5 * 60_000 },
  async (t) => {
    const missing = yofoMissing();
    if (missing) return t.skip(missing);
    if (!yofoEvaluated) return t.skip('step 3 did not run YOFO');
    const { expId, text, JF } = yofoEvaluated;
    await step('9-probe', async () => {
      const view = await openClip(ds.videos[0].id);
      await selectExpression(view, expId);
      const variants = probeVariants(text);
      assert.ok(variants.length > 0, `"${text}" has no variants to probe`);
      await view.locator('[data-testid=probe-button]').click();
      const scored = view.locator('[data-testid=probe-table] tbody tr[data-jf]');
      const n = await until(
        () => scored.count(),
        (k) => k === variants.length + 1,
        4 * 60_000,
      );
      assert.equal(
        n,
        variants.length + 1,
        `probe table: ${n} scored rows, expected the original and ${variants.length} variants`,
      );
      const rows = await view.locator('[data-testid=probe-table] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          original: tr.classList.contains('probe-original'),
          text: tr.querySelector('td')?.textContent ?? '',
          jf: Number((tr as HTMLElement).dataset.jf),
        })),
      );
      assert.equal(rows.length, variants.length + 1, 'the probe table has rows beyond the texts probed');
      assert.deepEqual(rows.map((r) => r.text).sort(), [text, ...variants.map((v) => v.text)].sort());
      for (const r of rows) assert.ok(r.jf >= 0 && r.jf <= 1, `probe row "${r.text}": J&F ${r.jf}`);
      assert.ok(
        rows[0].original && rows[0].text === text,
        `the first probe row is not the original text: ${JSON.stringify(rows[0])}`,
      );
      assert.equal(
        (rows[0].jf * 100).toFixed(2),
        (JF * 100).toFixed(2),
        'the probe scores the original text unlike rvos eval',
      );
    });
  },
);

test(
  '9b. holding → on a clip not shown before: the picture follows the keys, it never freezes until they stop',
  { timeout: STEP_TIMEOUT },
  () =>
    step('9b-cold-scrub', async () => {
      // The longest clip that no step opened yet: none of its frames is decoded or fetched.
      const video = ds.videos
        .filter((v) => !openedClips.has(v.id))
        .sort((a, b) => b.frames.length - a.frames.length)[0];
      openedClips.add(video.id);
      const view = await openClip(video.id);
      await view.locator('[data-testid=frame-canvas]').click();
      await page.keyboard.press('Home');
      await until(
        () => frameState(view),
        (f) => f.index === 0,
      );
      // Record every frame the picture shows (data-frame-index changes when a frame is drawn) while → is held.
      await view.locator('[data-testid=viewer]').evaluate((el) => {
        const w = window as unknown as { __drawn: string[] };
        w.__drawn = [];
        new MutationObserver(() => w.__drawn.push(el.getAttribute('data-frame-index') ?? '')).observe(el, {
          attributes: true,
          attributeFilter: ['data-frame-index'],
        });
      });
      const steps = video.frames.length - 1;
      for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight', { delay: 15 }); // about a key repeat's pace
      const end = await until(
        () => frameState(view),
        (f) => f.index === steps,
      );
      assert.equal(end.index, steps, 'the last frame was not shown after the keys stopped');
      const drawn = await view
        .locator('[data-testid=viewer]')
        .evaluate(() => (window as unknown as { __drawn: string[] }).__drawn.map(Number));
      const distinct = new Set(drawn);
      assert.ok(
        distinct.size >= Math.min(6, steps),
        `the picture showed ${distinct.size} of ${steps} frames while → was held: ${drawn.join(' ')}`,
      );
      for (let i = 1; i < drawn.length; i++)
        assert.ok(drawn[i] >= drawn[i - 1], `an older frame was drawn over a newer one: ${drawn.join(' ')}`);
    }),
);

test(
  '10. Failures panel: worst-first rows of the scored run; Enter opens the viewer at the worst frame',
  { timeout: 3 * 60_000 },
  async (t) => {
    if (!nearScores) return t.skip('step 7 did not import its run');
    const near = nearScores;
    await step('10-failures', async () => {
      await runCommand(page, 'RVOS: Score Prediction Run'); // the active run, "predictions-near"
      const scored = (l: string[]) =>
        l.some((m) => m.includes('"predictions-near"') && m.includes(`over ${near.size} expressions`));
      const messages = await until(() => shownNotifications(page), scored, 60_000);
      assert.ok(scored(messages), `the run was not scored: ${messages.join(' | ')}`);
      await runCommand(page, 'View: Close All Editors'); // the panel alone in its group, so the viewer opens beside it
      await runCommand(page, 'RVOS: Show Failures');
      const failures = await webviewWith(page, 'failures');
      const rows = failures.locator('[data-testid=failure-row]');
      await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(
        await failures.locator('[data-testid=row-count]').innerText(),
        new RegExp(`^${near.size} expressions$`),
      );
      assert.deepEqual(await failures.locator('#measure').evaluate(sharedSelectStyle), SHARED_SELECT_STYLE); // media/webview.css
      const keys = await rows.evaluateAll((els) =>
        els
          .map((e) => ({ index: Number((e as HTMLElement).dataset.index), key: (e as HTMLElement).dataset.key ?? '' }))
          .sort((a, b) => a.index - b.index),
      );
      assert.equal(keys[0].index, 0, 'the first row is not rank 1');
      const jf = (key: string) => {
        const perFrame = near.get(key);
        assert.ok(perFrame, `row ${key} is not an expression of the run`);
        return expressionJF(perFrame);
      };
      const lowest = Math.min(...[...near.values()].map(expressionJF));
      assert.ok(
        Math.abs(jf(keys[0].key) - lowest) < 1e-9,
        `the first row ${keys[0].key} has J&F ${jf(keys[0].key)}, the lowest is ${lowest}`,
      );
      for (let i = 1; i < keys.length; i++) {
        assert.ok(
          jf(keys[i].key) >= jf(keys[i - 1].key) - 1e-9,
          `not worst-first: row ${i} ${keys[i].key} (${jf(keys[i].key)}) after ${keys[i - 1].key} (${jf(keys[i - 1].key)})`,
        );
      }
      const [videoId, expId] = keys[0].key.split('/');
      const perFrame = near.get(keys[0].key)!;
      const frameJF = perFrame.map((f) => (f.J + f.F) / 2);
      const worst = frameJF.indexOf(Math.min(...frameJF)); // the first of equally bad frames
      await failures.locator('[data-testid=failure-list]').press('Enter');
      const viewer = await webviewWith(page, 'viewer');
      const video = ds.videos.find((v) => v.id === videoId)!;
      const selected = viewer.locator('[data-testid=expression][aria-selected=true]');
      const shown = await until(
        async () => ({
          expId: await selected.getAttribute('data-exp-id').catch(() => null),
          frame: (await frameState(viewer)).index,
        }),
        (s) => s.expId === expId && s.frame === worst,
      );
      assert.deepEqual(
        shown,
        { expId, frame: worst },
        `the viewer shows expression ${shown.expId} at frame ${shown.frame}, expected ${expId} at its worst frame ${worst}`,
      );
      const ids = await viewer
        .locator('[data-testid=expression]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-exp-id')));
      assert.deepEqual(
        [...ids].sort(),
        video.expressions.map((e) => e.expId).sort(),
        `the viewer is not on clip ${videoId}`,
      );
      assert.equal(
        await viewer.locator('#frame-slider').inputValue(),
        String(worst),
        'the frame slider is not at the worst frame',
      );
      assert.equal(await viewer.locator('#frame-label').innerText(), `${worst + 1} / ${video.frames.length}`);
      // Half a window beside Failures: the frame takes the panel's width and shows whole above the fold, nothing sticks
      // over it, and the input's placeholder is not cut.
      const layout = await viewer.locator('[data-testid=frame-canvas]').evaluate((el) => {
        const pane = el.parentElement!.getBoundingClientRect();
        const input = document.querySelector('#expression-input') as HTMLElement & { placeholder: string };
        const inner = input.shadowRoot?.querySelector('input') ?? input;
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = getComputedStyle(inner).font;
        const header = document.querySelector('.stage-header')!;
        return {
          bodyWidth: document.body.clientWidth,
          bodyHeight: window.innerHeight,
          pane: { width: pane.width, top: pane.top, bottom: pane.bottom },
          placeholder: ctx.measureText(input.placeholder).width,
          inputWidth: inner.clientWidth,
          headerPosition: getComputedStyle(header).position,
        };
      });
      assert.ok(
        layout.bodyWidth < 760,
        `the viewer beside Failures is ${layout.bodyWidth} px wide: not the half-window case`,
      );
      assert.ok(
        layout.pane.width >= layout.bodyWidth - 40,
        `the frame is ${layout.pane.width} px wide in a ${layout.bodyWidth} px panel`,
      );
      assert.ok(
        layout.pane.bottom <= layout.bodyHeight,
        `the frame ends at ${layout.pane.bottom} px, below the panel's ${layout.bodyHeight} px`,
      );
      assert.notEqual(layout.headerPosition, 'sticky');
      assert.ok(
        layout.placeholder <= layout.inputWidth,
        `the placeholder needs ${layout.placeholder} px, the input has ${layout.inputWidth}`,
      );
    });
  },
);

test(
  "10b. Run YOFO on Split: its run and the viewer's YOFO result are one prediction; W map from it",
  { timeout: 5 * 60_000 },
  async (t) => {
    const missing = yofoMissing();
    if (missing) return t.skip(missing);
    await step('10b-split-run', async () => {
      // The clip step 10 revealed is selected in the Clips tree: the run covers that clip only (a whole split takes
      // minutes on a loaded CI machine).
      await runCommand(page, 'RVOS: Run YOFO on Split');
      for (const label of ['Default model', 'Selected clip']) {
        const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        await row.click();
      }
      // The run ends with its score (the scoring's message; the run's speed goes to the RVOS output, not a toast).
      const scored = /"(YOFO [^"]+)" on \w+: J&F/;
      const ready = (l: string[]) => l.some((m) => scored.test(m));
      const messages = await until(() => shownNotifications(page), ready, 3 * 60_000);
      assert.ok(ready(messages), `the split run did not finish: ${messages.join(' | ')}`);
      const runName = scored.exec(messages.find((m) => scored.test(m))!)![1];
      const viewer = await webviewWith(page, 'viewer'); // the viewer step 10 opened beside Failures
      const source = viewer.locator('[data-testid=prediction-source] option');
      await until(
        () => source.allInnerTexts(),
        (o) => o.length === 1 && o[0] === runName,
      );
      assert.deepEqual(
        await source.allInnerTexts(),
        [runName],
        'the split run and its YOFO result are offered as two predictions',
      );
      // Its per-expression result comes back from the cache by itself: the status names the same model, no Run button.
      const status = viewer.locator('[data-testid=yofo-status]');
      await until(
        () => status.getAttribute('data-status'),
        (v) => v === 'done',
        2 * 60_000,
      );
      assert.ok(
        (await viewer.locator('#yofo-text').innerText()).startsWith(runName),
        await viewer.locator('#yofo-text').innerText(),
      );
      assert.equal(
        await viewer.locator('#yofo-run').isVisible(),
        false,
        'Run YOFO is offered for a result that is there',
      );
      assert.ok((await viewer.locator('#expression-score').innerText()).includes(`(${runName})`));
      assert.equal(
        await viewer.locator('[data-testid=expression][aria-selected=true] .yofo-score').count(),
        0,
        'a second score line for the same prediction',
      );
      await viewer.locator('[data-testid=frame-canvas]').click();
      await page.keyboard.press('w');
      const legend = viewer.locator('[data-testid=w-legend]');
      const text = await until(
        () => legend.locator('.w-legend-text').innerText(),
        (l) => l.startsWith('W '),
      );
      assert.ok(text.startsWith('W '), `the W map of the split run's expression: "${text}"`);
    });
  },
);

test('11. a bad dataset folder shows a readable error and VS Code keeps working', { timeout: STEP_TIMEOUT }, () =>
  step('11-bad-dataset', async () => {
    const bad = await session.tempDir('bad-dataset');
    await mkdir(join(bad, 'meta_expressions', 'train'), { recursive: true });
    await writeFile(join(bad, 'meta_expressions', 'train', 'meta_expressions.json'), '{ "videos": { "v1": ');
    await runCommand(page, 'RVOS: Open Dataset');
    await pickFolder(page, bad);
    const texts = await until(
      () => notificationTexts(page),
      (l) => l.some((m) => m.includes('meta_expressions.json')),
    );
    assert.ok(
      texts.some((m) => m.includes('meta_expressions.json')),
      `no error naming meta_expressions.json; notifications: ${texts.join(' | ')}`,
    );
    // Still responsive: the palette runs commands and the server answers.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await showView(page, 'RVOS', 'Clips');
    assert.ok((await fetch(`${session.server!.url}healthz`)).ok, 'code-server stopped answering');
  }),
);

test('12. no notification says a command was not found', { timeout: STEP_TIMEOUT }, async () => {
  // E.g. "Actual command not found, wanted to execute rvos.showClip /3": a click on a tree row that a refresh replaced.
  const shown = await shownNotifications(page);
  // The recorder sees error toasts: step 11's error is among them (else this test could not fail).
  assert.ok(
    shown.some((m) => m.includes('meta_expressions.json')),
    `the bad dataset error of step 11 was not recorded: ${shown.join(' | ')}`,
  );
  const notFound = shown.filter((m) => /command/i.test(m) && /not found/i.test(m));
  assert.deepEqual(notFound, [], `notifications during the run: ${shown.join(' | ')}`);
});
