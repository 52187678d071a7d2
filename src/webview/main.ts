// The clip viewer webview: expression list, frame with ground-truth / prediction overlays (or the difference
// overlay), one pane or two side by side with synchronised zoom and pan, comparison with another prediction, the
// per-frame J/F chart, frame slider, playback, keyboard stepping and the keyboard help. Talks to the host only through
// the typed protocol; keeps its ViewerState with setState so the panel comes back where it was after a reload. Each
// feature's logic lives in its own module (stage, scoreChart, compareView, paneOverlay, comparison, themeColours…).

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ExpressionScore } from '../core/types';
import {
  isHostMessage,
  isHostResponse,
  isViewerState,
  REQUEST_ANSWERS,
  type ClipExpression,
  type ClipInfo,
  type CompareTarget,
  type FrameMasks,
  type HostNotification,
  type OverlayMode,
  type PlaybackSettings,
  type PredictionSource,
  type ViewerState,
  type WebviewMessage,
  type WebviewRequest,
} from '../shared/protocol';
import { CompareSummary } from './compareView';
import { compareOptions, compareScores, frameSeries, jfOf, sameTarget, signedPoints, streamedScore, targetValue, type CompareOption } from './comparison';
import { FrameStore } from './frameStore';
import { fillHelp } from './helpPanel';
import { maskFromMessage } from './masks';
import { paneOverlay, paneSpecs, type OverlayColours, type PaneSpec } from './paneOverlay';
import { keyAction, playNext, prefetchIndices, stepFrame } from './playback';
import { HostError, RpcChannel } from './rpc';
import { RunScoreCache } from './runScoreCache';
import { ScoreChart, type ChartSeries } from './scoreChart';
import { viewerKeyAction } from './shortcuts';
import { FrameStage, type Pane } from './stage';
import { onThemeChange, resolveCss } from './theme';
import { cssRgb, diffColours, resolveColour } from './themeColours';
import { mountYofoInsight } from './yofoInsightView';
import { statusText, YofoResults } from './yofoResults';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewerState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  list: $<HTMLUListElement>('expression-list'),
  run: $<HTMLParagraphElement>('run'),
  text: $<HTMLDivElement>('expression-text'),
  viewer: $<HTMLDivElement>('app'),
  info: $<HTMLSpanElement>('frame-info'),
  frameScore: $<HTMLSpanElement>('frame-score'),
  expressionScore: $<HTMLDivElement>('expression-score'),
  canvas: $<HTMLCanvasElement>('canvas'),
  notes: $<HTMLDivElement>('notes'),
  play: $<HTMLElement>('play'),
  slider: $<HTMLInputElement>('frame-slider'),
  frameLabel: $<HTMLSpanElement>('frame-label'),
  showGt: $<HTMLElement & { checked: boolean }>('show-gt'),
  showPred: $<HTMLElement & { checked: boolean }>('show-pred'),
  opacity: $<HTMLInputElement>('opacity'),
  mode: $<HTMLElement & { value: string }>('mode'),
  input: $<HTMLElement & { value: string }>('expression-input'),
  unknownWords: $<HTMLDivElement>('unknown-words'),
  userTools: $<HTMLDivElement>('user-tools'),
  linkObject: $<HTMLSelectElement>('link-object'),
  removeExpression: $<HTMLElement>('remove-expression'),
  yofoStatus: $<HTMLDivElement>('yofo-status'),
  yofoProgress: $<HTMLProgressElement>('yofo-progress'),
  yofoText: $<HTMLSpanElement>('yofo-text'),
  yofoCancel: $<HTMLElement>('yofo-cancel'),
  yofoRun: $<HTMLElement>('yofo-run'),
  source: $<HTMLSelectElement>('source'),
  strip: $<HTMLDivElement>('frame-strip'),
  panes: $<HTMLDivElement>('panes'),
  diff: $<HTMLElement & { checked: boolean }>('diff'),
  legend: $<HTMLDivElement>('diff-legend'),
  sideBySide: $<HTMLElement & { checked: boolean }>('side-by-side'),
  compareWith: $<HTMLSelectElement>('compare-with'),
  compareSummary: $<HTMLDivElement>('compare-summary'),
  zoomIn: $<HTMLElement>('zoom-in'),
  zoomOut: $<HTMLElement>('zoom-out'),
  zoomFit: $<HTMLElement>('zoom-fit'),
  zoomLabel: $<HTMLSpanElement>('zoom-label'),
  chart: document.getElementById('chart') as unknown as SVGSVGElement,
  chartLegend: $<HTMLElement>('chart-legend'),
  chartEmpty: $<HTMLDivElement>('chart-empty'),
  chartWrap: $<HTMLElement>('chart-wrap'),
  help: $<HTMLElement>('help'),
  helpRows: $<HTMLTableSectionElement>('help-rows'),
  helpToggle: $<HTMLElement>('help-toggle'),
  helpClose: $<HTMLElement>('help-close'),
};
const panes: Pane[] = (['a', 'b'] as const).map((k) => ({
  root: $<HTMLElement>(`pane-${k}`),
  caption: $<HTMLElement>(`caption-${k}`),
  viewport: $<HTMLDivElement>(`viewport-${k}`),
  canvas: k === 'a' ? ui.canvas : $<HTMLCanvasElement>('canvas-b'),
  score: $<HTMLDivElement>(`pane-score-${k}`),
}));

let state: ViewerState | undefined;
let clip: ClipInfo | undefined;
let playback: PlaybackSettings = { fps: 6, prefetch: 4 };
let playing = false;
/** Increases on every render so a slow frame never overwrites a newer one. */
let renderToken = 0;
let notice: string | undefined;

const rpc = new RpcChannel((m: WebviewRequest) => vscode.postMessage(m), onNotification, isHostResponse, REQUEST_ANSWERS);
const store = new FrameStore(async (expId, frameIndex) => (await rpc.request({ type: 'getFrame', expId, frameIndex })).frame);
const images = new Map<number, Promise<HTMLImageElement>>();
const yofo = new YofoResults();
const runScores = new RunScoreCache(async (run) => (await rpc.request({ type: 'getScores', run })).expressions);
const stage = new FrameStage(panes, (view, final) => {
  if (!state) return;
  state.view = view;
  showZoom();
  if (final) saveState();
});
const chart = new ScoreChart(ui.chart, ui.chartLegend, (i) => seek(i));
const compareSummary = new CompareSummary(ui.compareSummary, (i) => seek(i));
// YOFO insight: W map layer (key w), memory strip, expression probe (yofoInsightView.ts); below the controls and the
// chart, so a long probe table never pushes playback out of view.
const insight = mountYofoInsight({
  canvases: panes.map((p) => p.canvas),
  after: ui.chartWrap,
  context: () => clip && state && { frames: clip.frames, frameIndex: state.frameIndex, expId: state.expId, hasGroundTruth: selectedExpression()?.hasGroundTruth === true, result: yofo.get(state.expId) },
  seek: (i) => seek(i),
  post: (m) => vscode.postMessage(m),
});
/** Settles when the clip asked for by the last `show`/`invalidate` is loaded (a run request may come before that). */
let clipLoaded: Promise<void> = Promise.resolve();
/** A user expression whose ground-truth link changed: run (replay) YOFO once the clip is reloaded, to rescore it. */
let pendingRerun: string | undefined;

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostMessage(e.data)) rpc.receive(e.data);
});

function saveState(): void {
  if (!state) return;
  vscode.setState(state);
  vscode.postMessage({ type: 'stateChanged', state });
}

function onNotification(m: HostNotification): void {
  switch (m.type) {
    case 'show': {
      const sameClip = state && clip && m.state.videoId === state.videoId && m.state.datasetRoot === state.datasetRoot && m.state.split === state.split;
      state = m.state;
      playback = m.playback;
      syncControls();
      stage.setView(state.view);
      saveState();
      if (sameClip) renderAll();
      else {
        yofo.clear();
        clipLoaded = loadClip();
      }
      return;
    }
    case 'invalidate':
      store.clear();
      runScores.clear();
      clipLoaded = loadClip();
      return;
    case 'runSelected':
      void clipLoaded.then(() => state?.expId !== undefined && runYofo(state.expId));
      return;
    case 'yofoProgress':
    case 'yofoFrame':
    case 'yofoDone':
    case 'yofoError':
      onYofo(m);
      return;
    case 'probeSelected':
    case 'probeStarted':
    case 'probeRow':
    case 'probeDone':
    case 'probeError':
      insight.onProbe(m);
      return;
    case 'overlayDefaults':
      if (!state) return;
      state = { ...state, overlay: m.overlay };
      syncControls();
      saveState();
      void renderFrame();
      return;
    case 'notice':
      notice = m.message;
      void renderFrame();
      return;
    case 'reveal':
      // The Failures panel opened this expression at its worst frame; selecting it shows it without running YOFO.
      void clipLoaded.then(() => {
        if (clip?.expressions.some((e) => e.expId === m.expId)) selectExpression(m.expId);
        void setFrame(m.frameIndex);
      });
      return;
  }
}

async function loadClip(): Promise<void> {
  try {
    const answer = await rpc.request({ type: 'getClip' });
    clip = answer.clip;
    if (!state) return;
    if (state.expId !== undefined && !clip.expressions.some((e) => e.expId === state!.expId)) state.expId = clip.expressions[0]?.expId;
    state.frameIndex = Math.min(state.frameIndex, Math.max(0, clip.frames.length - 1));
    images.clear();
    renderAll();
    if (pendingRerun !== undefined && pendingRerun === state.expId) runYofo(pendingRerun);
    pendingRerun = undefined;
  } catch (err) {
    showNotes([err instanceof Error ? err.message : String(err)]);
  }
}

function renderAll(): void {
  renderExpressions();
  void renderFrame();
  void renderAnalysis();
}

function percent(x: number): string {
  return (x * 100).toFixed(1);
}

/** The prediction drawn for an expression: YOFO for user expressions and when no run is imported, else the choice. */
function sourceOf(e: ClipExpression | undefined): PredictionSource {
  if (!clip?.runName || e?.user) return 'yofo';
  return state?.source ?? 'run';
}

function yofoName(expId: string | undefined): string {
  const name = yofo.get(expId)?.modelName;
  return name ? `YOFO · ${name}` : 'YOFO';
}

/** The mean scores of `e` under `source`, with the name of what produced them. */
function scoreOf(e: ClipExpression, source: PredictionSource): { JF: number; J: number; F: number; by: string } | undefined {
  if (source === 'run') return e.score && { ...e.score, by: clip?.runName ?? '' };
  const s = yofo.get(e.expId)?.score;
  return s && { ...s, by: yofoName(e.expId) };
}

/** Short text for an expression's YOFO state in the list ('' when it was never run). */
function yofoBrief(expId: string): string {
  const r = yofo.get(expId);
  if (!r) return '';
  if (r.status === 'starting' || r.status === 'running') return `YOFO ${r.masks.size}/${r.total}`;
  if (r.status === 'cancelled') return 'YOFO cancelled';
  if (r.status === 'error') return 'YOFO failed';
  return r.score ? '' : 'YOFO done';
}

function expressionItem(e: ClipExpression): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'expression';
  li.dataset.testid = 'expression';
  li.dataset.expId = e.expId;
  li.setAttribute('role', 'option');
  li.setAttribute('aria-selected', String(e.expId === state!.expId));
  li.tabIndex = 0;
  const text = document.createElement('span');
  text.className = 'expression-item-text';
  text.textContent = e.text;
  li.append(text);
  if (e.user) li.append(Object.assign(document.createElement('span'), { className: 'badge', textContent: 'yours', title: 'Typed in this viewer (kept for this clip)' }));
  const source = sourceOf(e);
  const primary = scoreOf(e, source);
  const score = document.createElement('span');
  score.className = 'score';
  if (primary) {
    // The e2e tests read the exact value from data-jf; the text is rounded for people.
    score.textContent = `J&F ${percent(primary.JF)}${source === 'yofo' && clip?.runName ? ' (YOFO)' : ''}`;
    score.title = `J ${percent(primary.J)} · F ${percent(primary.F)} (${primary.by})`;
    score.dataset.testid = 'expression-score';
    score.dataset.jf = String(primary.JF);
  } else if (!e.hasGroundTruth) {
    score.textContent = 'no ground truth';
  } else if (source === 'run') {
    score.textContent = '…';
  }
  const brief = yofoBrief(e.expId);
  if (score.textContent) li.append(score);
  // YOFO alongside the imported run: its J&F (or its state) under the run's.
  const other = source === 'run' ? scoreOf(e, 'yofo') : undefined;
  if (other || brief) {
    li.append(Object.assign(document.createElement('span'), { className: 'yofo-score', textContent: other ? `${yofoName(e.expId)}: J&F ${percent(other.JF)}` : brief }));
  }
  const select = () => pickExpression(e.expId);
  li.addEventListener('click', select);
  li.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') select();
  });
  return li;
}

function renderExpressions(): void {
  if (!clip || !state) return;
  ui.run.textContent = clip.runName ? `Run: ${clip.runName}` : 'No imported prediction run; YOFO runs on the expression you pick';
  ui.list.replaceChildren(...clip.expressions.map(expressionItem));
  const selected = clip.expressions.find((e) => e.expId === state!.expId);
  ui.text.textContent = selected ? selected.text : 'No expression selected';
  const source = sourceOf(selected);
  const s = selected && scoreOf(selected, source);
  ui.expressionScore.textContent = s
    ? `J&F ${percent(s.JF)} · J ${percent(s.J)} · F ${percent(s.F)} (${s.by})`
    : selected && !selected.hasGroundTruth
      ? 'no ground truth'
      : '';
  ui.slider.max = String(Math.max(0, clip.frames.length - 1));
  renderSourceChoice(selected);
  renderCompareChoice(selected);
  renderUserTools(selected);
  renderYofoStatus();
}

function renderSourceChoice(selected: ClipExpression | undefined): void {
  const options: [PredictionSource, string][] = [];
  if (clip?.runName && !selected?.user) options.push(['run', clip.runName]);
  options.push(['yofo', yofoName(selected?.expId)]);
  ui.source.replaceChildren(...options.map(([value, label]) => Object.assign(document.createElement('option'), { value, textContent: label })));
  ui.source.value = sourceOf(selected);
  ui.source.disabled = options.length < 2;
}

function selectedExpression(): ClipExpression | undefined {
  return clip?.expressions.find((e) => e.expId === state?.expId);
}

/** The shown prediction as a comparison target. */
function shownTarget(e: ClipExpression | undefined): CompareTarget {
  return sourceOf(e) === 'run' && clip?.runName ? { kind: 'run', name: clip.runName } : { kind: 'yofo' };
}

function targetLabel(t: CompareTarget, expId: string | undefined): string {
  return t.kind === 'run' ? t.name : yofoName(expId);
}

function compareChoices(e: ClipExpression | undefined): CompareOption[] {
  if (!clip || !e) return [];
  const hasYofo = (yofo.get(e.expId)?.masks.size ?? 0) > 0;
  return compareOptions(shownTarget(e), clip.runs ?? [], e.user === true, hasYofo ? yofoName(e.expId) : undefined);
}

/** What the shown prediction is compared with now: the saved choice, while it is available for this expression. */
function compareTarget(e: ClipExpression | undefined): CompareTarget | undefined {
  const wanted = state?.compareWith;
  return wanted && compareChoices(e).some((o) => sameTarget(o.target, wanted)) ? wanted : undefined;
}

function renderCompareChoice(selected: ClipExpression | undefined): void {
  const choices = compareChoices(selected);
  const none = Object.assign(document.createElement('option'), { value: '', textContent: choices.length ? 'nothing' : 'no other prediction' });
  ui.compareWith.replaceChildren(none, ...choices.map((o) => Object.assign(document.createElement('option'), { value: o.value, textContent: o.label })));
  const current = compareTarget(selected);
  ui.compareWith.value = current ? targetValue(current) : '';
  ui.compareWith.disabled = choices.length === 0;
}

function renderUserTools(selected: ClipExpression | undefined): void {
  ui.userTools.hidden = !selected?.user;
  if (!selected?.user || !clip) return;
  const none = Object.assign(document.createElement('option'), { value: '', textContent: clip.objects.length ? 'none (not scored)' : 'none: this split has no ground truth' });
  const objects = clip.objects.map((o) => Object.assign(document.createElement('option'), { value: o.objId, textContent: `object ${o.objId}${o.category ? ` (${o.category})` : ''}` }));
  ui.linkObject.replaceChildren(none, ...objects);
  ui.linkObject.value = selected.objId ?? '';
  ui.linkObject.disabled = clip.objects.length === 0;
}

/** The progress line, the frames-with-results strip and the unknown words, for the selected expression. */
function renderYofoStatus(): void {
  if (!clip || !state) return;
  const r = yofo.get(state.expId);
  ui.yofoStatus.hidden = !r && state.expId === undefined;
  ui.yofoStatus.dataset.status = r?.status ?? 'none';
  ui.yofoProgress.hidden = !r || r.status === 'done';
  ui.yofoProgress.max = Math.max(1, r?.total ?? clip.frames.length);
  ui.yofoProgress.value = r?.masks.size ?? 0;
  ui.yofoText.textContent = r ? statusText(r) : 'YOFO has not run on this expression';
  ui.yofoCancel.hidden = !r || (r.status !== 'starting' && r.status !== 'running');
  ui.yofoRun.hidden = state.expId === undefined || !yofo.needsRun(state.expId) || yofo.active()?.expId === state.expId;
  ui.unknownWords.textContent = r?.unknownWords.length ? `unknown to the model: ${r.unknownWords.join(', ')}` : '';
  if (ui.strip.childElementCount !== clip.frames.length) {
    ui.strip.replaceChildren(...clip.frames.map(() => document.createElement('span')));
  }
  for (let i = 0; i < ui.strip.children.length; i++) {
    const cell = ui.strip.children[i] as HTMLElement;
    cell.classList.toggle('done', r?.masks.has(i) === true);
    cell.classList.toggle('current', i === state.frameIndex);
  }
}

/** A user pick (click, Enter, typed expression): select it and run YOFO unless its result is there or coming. */
function pickExpression(expId: string): void {
  selectExpression(expId);
  runYofo(expId);
}

function selectExpression(expId: string): void {
  if (!state) return;
  state.expId = expId;
  saveState();
  renderAll();
}

function runYofo(expId: string): void {
  if (!clip || !yofo.needsRun(expId) || !clip.expressions.some((e) => e.expId === expId)) return;
  const run = yofo.begin(expId, clip.frames.length); // the host cancels the panel's previous run
  vscode.postMessage({ type: 'runYofo', runId: run.runId, expId });
  renderExpressions();
}

function onYofo(m: Extract<HostNotification, { runId: number }>): void {
  const r = yofo.apply(m);
  if (!r || !state || !clip) return;
  const selected = r.expId === state.expId;
  if (selected) insight.update();
  if (m.type === 'yofoFrame') {
    if (!selected) return;
    ui.strip.children[m.frameIndex]?.classList.add('done');
    ui.yofoProgress.value = r.masks.size;
    ui.yofoText.textContent = statusText(r);
    // The shown frame updates as soon as its mask arrives.
    if (m.frameIndex === state.frameIndex && sourceOf(clip.expressions.find((e) => e.expId === r.expId)) === 'yofo') void renderFrame();
    if (r.masks.size % 5 === 0) renderExpressions(); // the list's "YOFO k/N", not on every frame
    void renderAnalysis();
    return;
  }
  renderExpressions();
  if (selected) {
    void renderFrame();
    void renderAnalysis();
  }
}

function loadImage(index: number): Promise<HTMLImageElement> {
  let p = images.get(index);
  if (!p && clip) {
    const img = new Image();
    img.src = clip.frameUris[index];
    p = img.decode().then(
      () => img,
      () => {
        images.delete(index);
        throw new Error(`cannot load frame image ${clip?.frames[index]}.jpg`);
      },
    );
    images.set(index, p);
    if (images.size > 3 * Math.max(8, playback.prefetch)) images.delete(images.keys().next().value as number);
  }
  return p ?? Promise.reject(new Error('no clip'));
}

/** Overlay colours now: the settings' colours or the theme's (read on every draw, so a theme switch shows at once). */
function overlayColours(): OverlayColours {
  const overlay = state!.overlay;
  return {
    gt: resolveColour(resolveCss, overlay.gtColor, '--vscode-charts-green', [0, 200, 0]),
    pred: resolveColour(resolveCss, overlay.predColor, '--vscode-charts-orange', [255, 140, 0]),
    diff: diffColours(resolveCss),
  };
}

async function renderFrame(): Promise<void> {
  if (!clip || !state || clip.frames.length === 0) return;
  const token = ++renderToken;
  const index = state.frameIndex;
  const expId = state.expId;
  ui.slider.value = String(index);
  ui.viewer.dataset.frameIndex = String(index);
  ui.frameLabel.textContent = `${index + 1} / ${clip.frames.length}`;
  chart.setCurrent(index);
  compareSummary.setCurrent(index);
  const exp = selectedExpression();
  const other = compareTarget(exp);
  const [image, masks] = await Promise.allSettled([loadImage(index), store.get(expId, index)]);
  const ahead = prefetchIndices(index, clip.frames.length, playback.prefetch);
  store.prefetch(expId, ahead);
  if (other?.kind === 'run' && other.name !== clip.runName) store.prefetch(expId, ahead, other.name);
  for (const i of ahead) loadImage(i).catch(() => undefined);
  const fetched = masks.status === 'fulfilled' ? masks.value : undefined;
  const [frameA, frameB] = await Promise.allSettled([
    targetFrame(shownTarget(exp), fetched, index, expId),
    other ? targetFrame(other, fetched, index, expId) : Promise.resolve(undefined),
  ]);
  if (token !== renderToken) return; // a newer frame was asked for meanwhile
  const notes = new Set<string>();
  if (image.status === 'rejected') notes.add(String((image.reason as Error).message));
  for (const r of [masks, frameB]) if (r.status === 'rejected') notes.add(r.reason instanceof HostError ? r.reason.message : String(r.reason));
  const a = frameA.status === 'fulfilled' ? frameA.value : undefined;
  const b = frameB.status === 'fulfilled' ? frameB.value : undefined;
  for (const n of [...(a?.notes ?? []), ...(b?.notes ?? [])]) notes.add(n);
  if (notice) notes.add(notice);
  drawPanes(image.status === 'fulfilled' ? image.value : undefined, a, other ? b : undefined, exp, other);
  showFrameInfo(a);
  showNotes([...notes]);
  insight.update();
  for (let i = 0; i < ui.strip.children.length; i++) ui.strip.children[i].classList.toggle('current', i === index);
}

/** The frame's masks with the prediction (and its J/F) of `target`: the active run's, another run's, or YOFO's. */
async function targetFrame(target: CompareTarget, base: FrameMasks | undefined, index: number, expId: string | undefined): Promise<FrameMasks | undefined> {
  if (target.kind === 'run') return target.name === clip?.runName ? base : store.get(expId, index, target.name);
  if (!base) return undefined;
  const r = yofo.get(expId);
  const note = r?.notes.get(index);
  // The run's notes (e.g. "has no mask for this frame") are about a prediction that is not shown.
  const notes = base.notes.filter((n) => base.pred !== undefined || !n.startsWith('run "'));
  return { frameIndex: base.frameIndex, expId: base.expId, gt: base.gt, pred: r?.masks.get(index), score: r?.scores.get(index), notes: note ? [...notes, note] : notes };
}

function paneCaption(spec: PaneSpec, exp: ClipExpression | undefined, other: CompareTarget | undefined): string {
  const shown = targetLabel(shownTarget(exp), exp?.expId);
  switch (spec.role) {
    case 'frame':
      return '';
    case 'groundTruth':
      return 'Ground truth';
    case 'prediction':
      return `Prediction · ${shown}`;
    case 'compareA':
      return `A · ${shown}`;
    case 'compareB':
      return `B · ${other ? targetLabel(other, exp?.expId) : ''}`;
  }
}

const countText = (n: number) => n.toLocaleString('en-US');

function drawPanes(image: HTMLImageElement | undefined, a: FrameMasks | undefined, b: FrameMasks | undefined, exp: ClipExpression | undefined, other: CompareTarget | undefined): void {
  if (!state) return;
  const specs = paneSpecs(state.layout ?? 'single', other !== undefined);
  // The grid first, so the stage measures the panes at their new width.
  ui.panes.dataset.layout = other ? 'compare' : (state.layout ?? 'single');
  stage.setPaneCount(specs.length);
  const colours = overlayColours();
  const gt = a?.gt ? maskFromMessage(a.gt) : b?.gt ? maskFromMessage(b.gt) : undefined;
  const gtObjects = (a?.gt ? a : b)?.gtObjects?.map((o) => maskFromMessage(o.mask));
  const frames = { a, b };
  const preds = { a: a?.pred && maskFromMessage(a.pred), b: b?.pred && maskFromMessage(b.pred) };
  const diff = state.diff === true;
  let legendCounts: string | undefined;
  let firstCounts: { tp: number; fp: number; fn: number } | undefined;
  let unavailable: string | undefined;
  specs.forEach((spec, i) => {
    const o = paneOverlay(spec, gt, spec.pred ? preds[spec.pred] : undefined, state!.overlay, diff, colours, gtObjects);
    stage.draw(i, image, o?.buffer);
    const pane = panes[i];
    pane.caption.textContent = paneCaption(spec, exp, other);
    const score = spec.pred ? frames[spec.pred]?.score : undefined;
    const parts: string[] = [];
    if (score && specs.length > 1) parts.push(`J&F ${percent((score.J + score.F) / 2)} · J ${percent(score.J)} · F ${percent(score.F)}`);
    if (spec.role === 'compareB' && score && a?.score) parts.push(`Δ ${signedPoints((score.J + score.F) / 2 - (a.score.J + a.score.F) / 2)}`);
    if (o?.counts) {
      const text = `TP ${countText(o.counts.tp)} · FP ${countText(o.counts.fp)} · FN ${countText(o.counts.fn)}`;
      if (specs.length > 1) parts.push(text);
      firstCounts ??= o.counts;
      legendCounts ??= text;
    }
    unavailable ??= o?.diffUnavailable;
    pane.score.textContent = parts.join(' · ');
  });
  showLegend(diff, colours, firstCounts, unavailable);
}

/** The difference overlay's colours with the current frame's pixel counts (of the first pane that has them). */
function showLegend(diff: boolean, colours: OverlayColours, counts: { tp: number; fp: number; fn: number } | undefined, unavailable: string | undefined): void {
  ui.legend.hidden = !diff;
  if (!diff) return;
  const item = (key: 'tp' | 'fp' | 'fn', label: string) => {
    const span = Object.assign(document.createElement('span'), { className: 'legend-item' });
    const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
    swatch.style.background = cssRgb(colours.diff[key]);
    span.append(swatch, counts ? `${label} ${countText(counts[key])}` : label);
    span.dataset[key] = counts ? String(counts[key]) : '';
    return span;
  };
  ui.legend.replaceChildren(item('tp', 'true positive'), item('fp', 'false positive'), item('fn', 'false negative'));
  if (counts) for (const k of ['tp', 'fp', 'fn'] as const) ui.legend.dataset[k] = String(counts[k]);
  else for (const k of ['tp', 'fp', 'fn'] as const) delete ui.legend.dataset[k];
  if (unavailable) ui.legend.append(Object.assign(document.createElement('span'), { className: 'legend-note', textContent: `(${unavailable})` }));
}

/** The expression's scores under `target`: the host's for a run, YOFO's streamed frame scores. */
async function targetScore(target: CompareTarget, exp: ClipExpression | undefined): Promise<ExpressionScore | undefined> {
  if (!exp || !clip || !exp.hasGroundTruth) return undefined;
  if (target.kind === 'run') return exp.user ? undefined : runScores.expression(target.name, exp.expId);
  const r = yofo.get(exp.expId);
  if (!r || r.scores.size === 0) return undefined;
  return streamedScore(clip.videoId, exp.expId, exp.text, clip.frames, r.scores, r.status === 'done' ? r.score : undefined);
}

let analysisToken = 0;

/** The J/F chart and the comparison summary of the selected expression. */
async function renderAnalysis(): Promise<void> {
  if (!clip || !state) return;
  const token = ++analysisToken;
  const exp = selectedExpression();
  const shown = shownTarget(exp);
  const other = compareTarget(exp);
  const [a, b] = await Promise.all([shown, other].map((t) => (t ? targetScore(t, exp).catch(() => undefined) : Promise.resolve(undefined))));
  if (token !== analysisToken || !clip || !state) return;
  const labels: [string, string] = [targetLabel(shown, exp?.expId), other ? targetLabel(other, exp?.expId) : ''];
  const series: ChartSeries[] = other
    ? [
        { label: `J&F A · ${labels[0]}`, className: 'series-a', values: frameSeries(a, clip.frames, jfOf) },
        { label: `J&F B · ${labels[1]}`, className: 'series-b', values: frameSeries(b, clip.frames, jfOf) },
      ]
    : [
        { label: 'J', className: 'series-j', values: frameSeries(a, clip.frames, (f) => f.J) },
        { label: 'F', className: 'series-f', values: frameSeries(a, clip.frames, (f) => f.F) },
      ];
  chart.update(clip.frames, series, state.frameIndex);
  ui.chartEmpty.hidden = chart.hasData;
  const pending = other ? (a && b ? undefined : `Scoring ${a ? labels[1] : labels[0]} on this clip…`) : undefined;
  compareSummary.update(other && a && b ? compareScores(a, b, clip.frames) : undefined, labels, clip.frames, state.frameIndex, exp?.hasGroundTruth ? pending : other ? 'No ground truth: nothing to compare.' : undefined);
}

function showFrameInfo(frame: FrameMasks | undefined): void {
  if (!clip || !state) return;
  const name = clip.frames[state.frameIndex];
  const exp = clip.expressions.find((e) => e.expId === state!.expId);
  ui.info.textContent = `frame ${name}`;
  ui.frameScore.replaceChildren();
  if (exp && !exp.hasGroundTruth) ui.frameScore.textContent = '· no ground truth';
  else if (frame?.score) {
    const span = Object.assign(document.createElement('span'), { textContent: `· J ${percent(frame.score.J)} · F ${percent(frame.score.F)}` });
    span.dataset.testid = 'frame-score';
    span.dataset.j = String(frame.score.J);
    span.dataset.f = String(frame.score.F);
    ui.frameScore.append(span);
  }
}

function showNotes(notes: string[]): void {
  ui.notes.replaceChildren(...notes.map((n) => Object.assign(document.createElement('div'), { textContent: n })));
}

/** A seek from the chart or the comparison: stops playback and shows the frame. */
function seek(index: number): void {
  setPlaying(false);
  void setFrame(index);
}

function setFrame(index: number): Promise<void> {
  if (!state || !clip) return Promise.resolve();
  state.frameIndex = Math.max(0, Math.min(clip.frames.length - 1, index));
  saveState();
  return renderFrame();
}

async function playLoop(): Promise<void> {
  while (playing && clip && state) {
    const started = performance.now();
    await setFrame(playNext(state.frameIndex, clip.frames.length));
    const wait = 1000 / playback.fps - (performance.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

function setPlaying(on: boolean): void {
  playing = on;
  ui.play.textContent = on ? 'Pause' : 'Play';
  if (on) void playLoop();
}

function syncControls(): void {
  if (!state) return;
  ui.showGt.checked = state.overlay.showGt;
  ui.showPred.checked = state.overlay.showPred;
  ui.opacity.value = String(Math.round(state.overlay.opacity * 100));
  ui.mode.value = state.overlay.mode;
  ui.diff.checked = state.diff === true;
  ui.sideBySide.checked = state.layout === 'sideBySide';
  showHelp(state.help === true, false);
  showZoom();
}

function showZoom(): void {
  const zoom = state?.view?.zoom ?? 1;
  ui.zoomLabel.textContent = zoom === 1 ? 'fit' : `${zoom < 10 ? zoom.toFixed(1) : Math.round(zoom)}×`;
}

/** Changes a viewer setting (diff, layout, comparison), saves it and redraws. */
function changeView(change: Partial<ViewerState>): void {
  if (!state) return;
  state = { ...state, ...change };
  syncControls();
  saveState();
  void renderFrame();
  void renderAnalysis();
}

function showHelp(open: boolean, save = true): void {
  ui.help.hidden = !open;
  ui.helpToggle.setAttribute('aria-expanded', String(open));
  if (!state || (state.help === true) === open) return;
  state.help = open;
  if (save) saveState();
  if (open) ui.helpClose.focus();
}

function changeOverlay(change: Partial<ViewerState['overlay']>): void {
  if (!state) return;
  state.overlay = { ...state.overlay, ...change };
  saveState();
  void renderFrame();
}

function isInteractive(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName.startsWith('VSCODE-') || target.classList.contains('expression'))
  );
}

/** Enter in the text box: the expression joins the clip's list (or selects the same existing one) and YOFO runs. */
async function submitExpression(): Promise<void> {
  const text = ui.input.value.trim();
  if (!text || !state) return;
  try {
    const { expId } = await rpc.request({ type: 'addExpression', text });
    ui.input.value = '';
    state.expId = expId;
    saveState();
    clipLoaded = loadClip();
    await clipLoaded;
    runYofo(expId);
  } catch (err) {
    showNotes([err instanceof Error ? err.message : String(err)]);
  }
}

/** The e2e hook goes on the textfield's inner <input>: Playwright fills only real inputs (it pierces open shadow roots). */
async function tagInputForTests(): Promise<void> {
  await customElements.whenDefined('vscode-textfield');
  await (ui.input as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  const inner = ui.input.shadowRoot?.querySelector('input');
  if (inner) inner.dataset.testid = 'expression-input';
  else ui.input.dataset.testid = 'expression-input';
}

ui.play.addEventListener('click', () => setPlaying(!playing));
ui.slider.addEventListener('input', () => void setFrame(Number(ui.slider.value)));
ui.showGt.addEventListener('change', () => changeOverlay({ showGt: ui.showGt.checked }));
ui.showPred.addEventListener('change', () => changeOverlay({ showPred: ui.showPred.checked }));
ui.opacity.addEventListener('input', () => changeOverlay({ opacity: Number(ui.opacity.value) / 100 }));
ui.mode.addEventListener('change', () => changeOverlay({ mode: (ui.mode.value === 'outline' ? 'outline' : 'fill') as OverlayMode }));
ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') void submitExpression();
});
ui.source.addEventListener('change', () => {
  if (!state) return;
  state.source = ui.source.value === 'run' ? 'run' : 'yofo';
  saveState();
  renderAll();
});
ui.yofoCancel.addEventListener('click', () => {
  const r = yofo.active();
  if (r) vscode.postMessage({ type: 'cancelYofo', runId: r.runId });
});
ui.yofoRun.addEventListener('click', () => state?.expId !== undefined && runYofo(state.expId));
ui.linkObject.addEventListener('change', () => {
  if (!state?.expId) return;
  // New ground truth: the YOFO result is rescored (the cache makes the rerun instant).
  yofo.drop(state.expId);
  vscode.postMessage({ type: 'linkExpression', expId: state.expId, objId: ui.linkObject.value || undefined });
  pendingRerun = state.expId; // after the host's `invalidate` brings the new link
});
ui.removeExpression.addEventListener('click', () => {
  if (!state?.expId || !clip) return;
  const expId = state.expId;
  const active = yofo.get(expId);
  if (active && (active.status === 'starting' || active.status === 'running')) vscode.postMessage({ type: 'cancelYofo', runId: active.runId });
  yofo.drop(expId);
  state.expId = clip.expressions.find((e) => e.expId !== expId)?.expId;
  saveState();
  vscode.postMessage({ type: 'removeExpression', expId });
});
ui.diff.addEventListener('change', () => changeView({ diff: ui.diff.checked }));
ui.sideBySide.addEventListener('change', () => changeView({ layout: ui.sideBySide.checked ? 'sideBySide' : 'single' }));
ui.compareWith.addEventListener('change', () => {
  const chosen = compareChoices(selectedExpression()).find((o) => o.value === ui.compareWith.value);
  changeView({ compareWith: chosen?.target });
});
ui.zoomIn.addEventListener('click', () => stage.zoomIn());
ui.zoomOut.addEventListener('click', () => stage.zoomOut());
ui.zoomFit.addEventListener('click', () => stage.fit());
ui.helpToggle.addEventListener('click', () => showHelp(ui.help.hidden));
ui.helpClose.addEventListener('click', () => {
  showHelp(false);
  ui.helpToggle.focus();
});
fillHelp(ui.helpRows);
onThemeChange(() => void renderFrame()); // the chart and the rest follow the theme through CSS variables
void tagInputForTests();

/** Where letters and signs are typed or pick an option by their first letter: the viewer keys stay away. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'VSCODE-TEXTFIELD' || tag === 'SELECT' || tag === 'VSCODE-SINGLE-SELECT' || (tag === 'INPUT' && (target as HTMLInputElement).type === 'text');
}

/** The viewer's own keys (zoom, layout, difference, help); true when the key was one of them. */
function viewerKey(e: KeyboardEvent): boolean {
  if (e.key === 'Escape' && !ui.help.hidden) {
    showHelp(false);
    ui.helpToggle.focus();
    return true;
  }
  const action = viewerKeyAction(e.key);
  if (!action || e.ctrlKey || e.metaKey || e.altKey || isTextEntry(e.target) || !state) return false;
  // The frame keys stay with sliders and checkboxes; these letters and signs mean nothing to them.
  switch (action) {
    case 'zoomIn':
      stage.zoomIn();
      break;
    case 'zoomOut':
      stage.zoomOut();
      break;
    case 'zoomReset':
      stage.fit();
      break;
    case 'toggleSideBySide':
      changeView({ layout: state.layout === 'sideBySide' ? 'single' : 'sideBySide' });
      break;
    case 'toggleDiff':
      changeView({ diff: !state.diff });
      break;
    case 'toggleHelp':
      showHelp(ui.help.hidden);
      break;
  }
  return true;
}

document.addEventListener('keydown', (e) => {
  if (viewerKey(e)) {
    e.preventDefault();
    return;
  }
  const action = keyAction(e.key);
  if (!action || !clip || !state) return;
  // Sliders, checkboxes and the list handle their own keys; the frame keys work everywhere else.
  if (isInteractive(e.target)) return;
  e.preventDefault();
  if (action === 'togglePlay') setPlaying(!playing);
  else {
    setPlaying(false);
    void setFrame(stepFrame(state.frameIndex, clip.frames.length, action));
  }
});

const saved = vscode.getState();
vscode.postMessage({ type: 'ready', state: isViewerState(saved) ? saved : undefined });
