// Pure parts of the clip viewer's "see" features: zoom/pan maths, theme colours, pane overlays, the J/F chart,
// comparing two predictions, the shortcut table, and the new protocol fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExpressionScore, Mask } from '../../src/core/types';
import {
  isHostMessage,
  isViewerState,
  isWebviewMessage,
  type OverlaySettings,
  type ViewerState,
} from '../../src/shared/clipViewer/protocol';
import {
  chartKeyFrame,
  linePath,
  nearestFrame,
  scoredFrames,
  xOf,
  yOf,
  type ChartBox,
} from '../../src/webview/clipViewer/chart';
import {
  compareOptions,
  compareScores,
  frameSeries,
  jfOf,
  largestRegressions,
  sameTarget,
  signedPoints,
  streamedScore,
  targetValue,
} from '../../src/webview/clipViewer/comparison';
import { paneOverlay, paneSpecs, type OverlayColours } from '../../src/webview/clipViewer/paneOverlay';
import { keyAction } from '../../src/webview/clipViewer/playback';
import { RunScoreCache } from '../../src/webview/clipViewer/runScoreCache';
import { SHORTCUTS, viewerKeyAction } from '../../src/webview/clipViewer/shortcuts';
import { OVERLAY_PALETTE, overlayColours, resolveColour } from '../../src/webview/clipViewer/themeColours';
import { isWeightMapKey } from '../../src/webview/clipViewer/yofoInsight';
import {
  clampView,
  fitView,
  imagePoint,
  MAX_ZOOM,
  panBy,
  screenTransform,
  wheelFactor,
  zoomAt,
  zoomCentre,
} from '../../src/webview/clipViewer/zoom';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);

test('zoom: fit centres the image; zooming at the cursor keeps the pixel under it; pan and clamp', () => {
  const image = { width: 200, height: 100 };
  const viewport = { width: 400, height: 400 };
  const fit = fitView(image);
  const t = screenTransform(fit, image, viewport);
  assert.equal(t.scale, 2);
  assert.deepEqual([t.tx, t.ty], [0, 100]); // letterboxed vertically
  const before = imagePoint(fit, image, viewport, 300, 150);
  assert.deepEqual(before, { x: 150, y: 25 });
  const zoomed = zoomAt(fit, 4, image, viewport, 300, 150);
  assert.equal(zoomed.zoom, 4);
  const after = imagePoint(zoomed, image, viewport, 300, 150);
  close(after.x, 150);
  close(after.y, 25);
  // Drag right by 80 screen px at scale 8: the centre moves 10 image px left.
  const panned = panBy(zoomed, 80, 0, image, viewport);
  close(panned.cx, zoomed.cx - 10);
  // Never out of the image, never below fit or above the maximum.
  assert.deepEqual(clampView({ zoom: 2, cx: -5, cy: 500 }, image), { zoom: 2, cx: 0, cy: 100 });
  assert.deepEqual(clampView({ zoom: 0.1, cx: -5, cy: 500 }, image), { zoom: 1, cx: 100, cy: 50 }); // fit: centred
  assert.deepEqual(panBy(fit, 50, 50, image, viewport), fit);
  assert.equal(zoomCentre({ zoom: MAX_ZOOM, cx: 1, cy: 1 }, 2, image).zoom, MAX_ZOOM);
  assert.ok(wheelFactor(-100) > 1 && wheelFactor(100) < 1);
  close(wheelFactor(-100) * wheelFactor(100), 1);
  assert.equal(wheelFactor(-1e6), wheelFactor(-400)); // a huge delta is bounded
});

test("overlay colours: colour-blind-safe defaults, the settings' colours win, the difference classes follow them", () => {
  const computed: Record<string, string> = { '#ff00ff': 'rgb(255, 0, 255)', 'var(--vscode-charts-orange)': '#d18616' };
  const resolve = (css: string) => computed[css] ?? '';
  assert.deepEqual(overlayColours(resolve, { gtColor: '', predColor: '' }), {
    gt: OVERLAY_PALETTE.groundTruth,
    pred: OVERLAY_PALETTE.prediction,
    diff: { tp: OVERLAY_PALETTE.agreement, fp: OVERLAY_PALETTE.prediction, fn: OVERLAY_PALETTE.groundTruth },
  });
  const custom = overlayColours(resolve, { gtColor: 'not a colour', predColor: '#ff00ff' });
  assert.deepEqual(custom.gt, OVERLAY_PALETTE.groundTruth);
  assert.deepEqual(custom.pred, [255, 0, 255]);
  assert.deepEqual(custom.diff.fp, [255, 0, 255], 'prediction-only pixels in the prediction colour');
  // A user colour equal to the agreement colour: true positives take another palette colour, never one of theirs.
  const clash = overlayColours(resolve, { gtColor: '', predColor: 'rgb(0, 114, 178)' });
  assert.notDeepEqual(clash.diff.tp, clash.pred);
  assert.notDeepEqual(clash.diff.tp, clash.gt);
  assert.deepEqual(resolveColour(resolve, '#ff00ff', '--vscode-charts-orange', [0, 0, 0]), [255, 0, 255]);
  assert.deepEqual(resolveColour(resolve, '', '--vscode-charts-orange', [0, 0, 0]), [0xd1, 0x86, 0x16]);
  assert.deepEqual(resolveColour(resolve, '', '--vscode-missing', [1, 2, 3]), [1, 2, 3]);
});

const mask = (rows: string[]): Mask => ({
  width: rows[0].length,
  height: rows.length,
  data: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
});
const colours: OverlayColours = {
  gt: [0, 255, 0],
  pred: [255, 0, 255],
  diff: { tp: [0, 200, 0], fp: [200, 0, 0], fn: [0, 0, 200] },
};
const settings: OverlaySettings = {
  showGt: true,
  showPred: true,
  opacity: 1,
  mode: 'fill',
  gtColor: '',
  predColor: '',
};
const rgba = (o: { buffer: { width: number; data: Uint8ClampedArray } }, x: number, y: number) => [
  ...o.buffer.data.slice((y * o.buffer.width + x) * 4, (y * o.buffer.width + x) * 4 + 4),
];

test('panes: single, ground truth | prediction, A | B; each pane draws what it should', () => {
  assert.deepEqual(
    paneSpecs('single', false).map((p) => p.role),
    ['frame'],
  );
  assert.deepEqual(
    paneSpecs('sideBySide', false).map((p) => [p.role, p.showGt, p.pred]),
    [
      ['groundTruth', true, undefined],
      ['prediction', false, 'a'],
    ],
  );
  assert.deepEqual(
    paneSpecs('sideBySide', true).map((p) => p.pred),
    ['a', 'b'],
  ); // comparing wins over the layout
  const gt = mask(['##..', '##..']);
  const pred = mask(['.##.', '.##.']);
  const [gtPane, predPane] = paneSpecs('sideBySide', false);
  const left = paneOverlay(gtPane, gt, pred, settings, false, colours)!;
  assert.deepEqual(rgba(left, 0, 0), [0, 255, 0, 255]);
  assert.deepEqual(rgba(left, 2, 0), [0, 0, 0, 191]); // the dark ring outside the ground truth, no prediction
  assert.deepEqual(rgba(left, 3, 0), [0, 0, 0, 0]);
  const right = paneOverlay(predPane, gt, pred, settings, false, colours)!;
  assert.deepEqual(rgba(right, 0, 0), [0, 0, 0, 0]); // and no ground truth in the prediction pane
  assert.deepEqual(rgba(right, 2, 0), [255, 0, 255, 255]);
});

test('panes: the difference overlay colours TP/FP/FN with counts; it says why when it cannot be drawn', () => {
  const [single] = paneSpecs('single', false);
  const gt = mask(['##..', '##..']);
  const pred = mask(['.##.', '.##.']);
  const d = paneOverlay(single, gt, pred, { ...settings, opacity: 0.5 }, true, colours)!;
  assert.deepEqual(d.counts, { tp: 2, fp: 2, fn: 2 });
  // Fills never fainter than DIFF_MIN_OPACITY (0.8), whatever the overlay opacity.
  assert.deepEqual(rgba(d, 0, 0), [0, 0, 200, 204]); // false negative
  assert.deepEqual(rgba(d, 1, 0), [0, 200, 0, 204]); // true positive
  assert.deepEqual(rgba(d, 2, 0), [200, 0, 0, 204]); // false positive
  assert.deepEqual(rgba(d, 3, 0), [0, 0, 0, 0]);
  const outline = paneOverlay(
    single,
    mask(['###', '###', '###']),
    mask(['###', '###', '###']),
    { ...settings, opacity: 0.2, mode: 'outline' },
    true,
    colours,
  )!;
  assert.deepEqual(rgba(outline, 0, 0), [0, 200, 0, 255]); // outlines at full strength
  assert.deepEqual(rgba(outline, 1, 1), [0, 0, 0, 0]);
  const noPred = paneOverlay(single, gt, undefined, settings, true, colours)!;
  assert.equal(noPred.diffUnavailable, 'no prediction for this frame');
  assert.equal(noPred.counts, undefined);
  assert.deepEqual(rgba(noPred, 0, 0), [0, 255, 0, 255]); // falls back to the ground truth
  assert.equal(
    paneOverlay(single, undefined, pred, settings, true, colours)!.diffUnavailable,
    'no ground truth for this frame',
  );
  assert.equal(paneOverlay(single, undefined, undefined, settings, false, colours), undefined);
});

test('single pane: prediction filled, ground truth as an outline with a dark ring outside, on top', () => {
  const [single] = paneSpecs('single', false);
  const gt = mask(['......', '.###..', '.###..', '.###..', '......']);
  const pred = mask(['......', '..###.', '..###.', '..###.', '......']);
  const o = paneOverlay(single, gt, pred, { ...settings, opacity: 0.5 }, false, colours)!;
  assert.deepEqual(rgba(o, 1, 1), [0, 255, 0, 255], 'ground-truth outline at full strength');
  assert.deepEqual(rgba(o, 0, 1), [0, 0, 0, 191], 'dark ring just outside it');
  assert.deepEqual(rgba(o, 2, 2), [255, 0, 255, 128], 'inside both: the prediction fill shows through the outline');
  assert.deepEqual(rgba(o, 5, 0), [0, 0, 0, 0]);
  const outline = paneOverlay(single, gt, pred, { ...settings, opacity: 0.5, mode: 'outline' }, false, colours)!;
  assert.deepEqual(rgba(outline, 4, 2), [255, 0, 255, 255], 'outline mode: the prediction outline on top');
  assert.deepEqual(rgba(outline, 3, 2), [0, 255, 0, 255], 'the ground-truth outline where the prediction has none');
});

test('chart: geometry, gaps in the line, nearest scored frame to a click, arrow keys between scored frames', () => {
  const box: ChartBox = { width: 120, height: 60, left: 10, right: 10, top: 5, bottom: 5, count: 11 };
  assert.equal(xOf(box, 0), 10);
  assert.equal(xOf(box, 10), 110);
  assert.equal(yOf(box, 1), 5);
  assert.equal(yOf(box, 0), 55);
  assert.equal(yOf(box, 2), 5);
  const values = [0.5, 1, undefined, 0, undefined, undefined, undefined, undefined, undefined, undefined, 0.5];
  assert.equal(linePath(box, values), 'M10.0 30.0 L20.0 5.0 M40.0 55.0 M110.0 30.0');
  const scored = scoredFrames([values, [undefined, undefined, 0.3]]);
  assert.deepEqual(scored, [0, 1, 2, 3, 10]);
  assert.equal(nearestFrame(box, 34, scored), 2);
  assert.equal(nearestFrame(box, 80, scored), 10);
  assert.equal(nearestFrame(box, 80, []), undefined);
  assert.equal(chartKeyFrame('ArrowRight', 3, scored), 10);
  assert.equal(chartKeyFrame('ArrowLeft', 10, scored), 3);
  assert.equal(chartKeyFrame('ArrowLeft', 0, scored), 0);
  assert.equal(chartKeyFrame('ArrowRight', 5, scored), 10); // from an unscored frame
  assert.equal(chartKeyFrame('End', 0, scored), 10);
  assert.equal(chartKeyFrame('x', 0, scored), undefined);
  assert.equal(xOf({ ...box, count: 1 }, 0), 60);
});

const score = (frames: [string, number, number][], extra: Partial<ExpressionScore> = {}): ExpressionScore => {
  const J = frames.reduce((a, f) => a + f[1], 0) / frames.length;
  const F = frames.reduce((a, f) => a + f[2], 0) / frames.length;
  return {
    video: 'v',
    expId: '0',
    expression: 'a cat',
    J,
    F,
    JF: (J + F) / 2,
    frames: frames.map(([frame, j, f]) => ({ frame, J: j, F: f, missing: false })),
    ...extra,
  };
};

test('comparison: per-frame J&F of A and B with B − A, means with ΔJ&F, worst regressions first', () => {
  const names = ['00000', '00005', '00010', '00015'];
  const a = score([
    ['00000', 0.8, 0.6],
    ['00005', 0.5, 0.5],
    ['00015', 1, 1],
  ]);
  const b = score([
    ['00000', 0.4, 0.4],
    ['00005', 0.7, 0.5],
    ['00015', 0.5, 0.7],
  ]);
  const c = compareScores(a, b, names);
  assert.deepEqual(
    c.frames.map((f) => f.frameIndex),
    [0, 1, 3],
  );
  close(c.frames[0].a!, 0.7);
  close(c.frames[0].delta!, -0.3);
  close(c.frames[1].delta!, 0.1);
  close(c.deltaJF, b.JF - a.JF);
  assert.deepEqual(
    largestRegressions(c.frames, 5).map((f) => f.frameIndex),
    [3, 0],
  );
  assert.deepEqual(
    largestRegressions(c.frames, 1).map((f) => f.frameIndex),
    [3],
  );
  assert.deepEqual(
    frameSeries(a, names, jfOf).map((v) => v && Math.round(v * 100)),
    [70, 50, undefined, 100],
  );
  assert.equal(signedPoints(0.0321), '+3.2');
  assert.equal(signedPoints(-0.01), '−1.0');
  assert.equal(signedPoints(-0.00001), '±0.0');
});

test('comparison: YOFO streamed frames become an expression score; its means follow the stream until done', () => {
  const names = ['00000', '00005', '00010'];
  const partial = streamedScore(
    'v',
    '0',
    'a cat',
    names,
    new Map([
      [2, { J: 0.2, F: 0.4 }],
      [0, { J: 0.6, F: 0.8 }],
    ]),
  );
  assert.deepEqual(
    partial.frames.map((f) => f.frame),
    ['00000', '00010'],
  );
  close(partial.J, 0.4);
  close(partial.JF, 0.5);
  const done = streamedScore('v', '0', 'a cat', names, new Map([[0, { J: 1, F: 1 }]]), { J: 0.1, F: 0.2, JF: 0.15 });
  assert.equal(done.JF, 0.15);
  assert.equal(streamedScore('v', '0', '', names, new Map()).JF, 0);
});

test('shortcuts: every key the help lists does what it says, and every key any handler takes is listed', () => {
  // Every handler of the viewer's document keys: frame stepping, the viewer's own keys, the W map (yofoInsightView).
  const handled = (k: string) =>
    keyAction(k) ?? viewerKeyAction(k) ?? (isWeightMapKey(k) ? 'toggleWeightMap' : undefined);
  for (const s of SHORTCUTS) for (const k of s.keys) assert.ok(handled(k), `help lists "${k}" but no action has it`);
  const listedActions = new Set(SHORTCUTS.flatMap((s) => s.keys.map(handled)));
  const named = [
    'ArrowLeft',
    'ArrowRight',
    'ArrowUp',
    'ArrowDown',
    'Home',
    'End',
    'PageUp',
    'PageDown',
    'Escape',
    'Enter',
    'Spacebar',
    'Delete',
    'Backspace',
  ];
  const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
  for (const k of [...named, ...printable]) {
    const action = handled(k);
    if (action !== undefined) assert.ok(listedActions.has(action), `key "${k}" (${action}) is not in the help`);
  }
  for (const k of ['+', '-', '0', 's', 'd', 'w', '?', 'ArrowLeft', 'ArrowRight', 'Home', 'End', ' '])
    assert.ok(handled(k), `"${k}" does nothing`);
  assert.equal(viewerKeyAction('='), 'zoomIn');
  assert.equal(viewerKeyAction('S'), 'toggleSideBySide');
  assert.equal(viewerKeyAction('x'), undefined);
});

const state: ViewerState = {
  datasetRoot: '/d',
  split: 'train',
  videoId: 'v',
  frameIndex: 0,
  overlay: settings,
};

test('protocol: the new viewer settings survive as state; bad ones are refused; compare and scores messages', () => {
  const full: ViewerState = {
    ...state,
    diff: true,
    layout: 'sideBySide',
    compareWith: { kind: 'run', name: 'b' },
    view: { zoom: 3, cx: 10, cy: 20 },
    help: false,
  };
  assert.ok(isViewerState(full));
  assert.ok(isViewerState({ ...state, compareWith: { kind: 'yofo' } }));
  for (const bad of [
    { ...state, diff: 'yes' },
    { ...state, layout: 'grid' },
    { ...state, compareWith: { kind: 'run' } },
    { ...state, compareWith: 'b' },
    { ...state, view: { zoom: 0, cx: 0, cy: 0 } },
    { ...state, view: { zoom: 2, cx: Number.NaN, cy: 0 } },
  ]) {
    assert.equal(isViewerState(bad), false, JSON.stringify(bad));
  }
  assert.ok(isWebviewMessage({ type: 'getFrame', requestId: 1, expId: '0', frameIndex: 2, run: 'b' }));
  assert.equal(isWebviewMessage({ type: 'getFrame', requestId: 1, frameIndex: 2, run: 3 }), false);
  assert.ok(isWebviewMessage({ type: 'getScores', requestId: 1, run: 'b' }));
  assert.equal(isWebviewMessage({ type: 'getScores', requestId: 1 }), false);
  assert.ok(isHostMessage({ type: 'scores', requestId: 1, run: 'b', expressions: [] }));
  assert.equal(isHostMessage({ type: 'scores', requestId: 1, run: 'b' }), false);
});

test('compare options: other runs and YOFO with results, never the shown one; none for runs on user expressions', () => {
  const yofo = 'YOFO · tiny';
  assert.deepEqual(
    compareOptions({ kind: 'run', name: 'a' }, ['a', 'b'], false, yofo).map((o) => o.value),
    ['run:b', 'yofo'],
  );
  assert.deepEqual(
    compareOptions({ kind: 'yofo' }, ['a', 'b'], false, yofo).map((o) => o.label),
    ['a', 'b'],
  );
  assert.deepEqual(compareOptions({ kind: 'run', name: 'a' }, ['a'], false, undefined), []);
  assert.deepEqual(compareOptions({ kind: 'yofo' }, ['a'], true, yofo), []);
  assert.ok(sameTarget({ kind: 'run', name: 'x' }, { kind: 'run', name: 'x' }));
  assert.equal(sameTarget({ kind: 'run', name: 'x' }, { kind: 'yofo' }), false);
  assert.equal(targetValue({ kind: 'run', name: 'x' }), 'run:x');
});

test('run score cache: one request per run, failures retried, cleared on demand', async () => {
  const asked: string[] = [];
  let fail = true;
  const cache = new RunScoreCache(async (run) => {
    asked.push(run);
    if (run === 'bad' && fail) throw new Error('scoring failed');
    return [score([['00000', 1, 1]], { expId: '3' })];
  });
  assert.equal((await cache.expression('a', '3'))?.JF, 1);
  assert.equal(await cache.expression('a', '4'), undefined);
  await assert.rejects(cache.expression('bad', '3'), /scoring failed/);
  fail = false;
  assert.equal((await cache.expression('bad', '3'))?.JF, 1);
  cache.clear();
  await cache.expression('a', '3');
  assert.deepEqual(asked, ['a', 'bad', 'bad', 'a']);
});
