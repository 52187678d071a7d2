// The clip viewer webview: expression list, frame with ground-truth / prediction overlays, frame slider, playback and
// keyboard stepping. Talks to the host only through the typed protocol; keeps its ViewerState with setState so the
// panel comes back where it was after a reload.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  isHostMessage,
  isViewerState,
  type ClipExpression,
  type ClipInfo,
  type FrameMasks,
  type HostNotification,
  type OverlayMode,
  type PlaybackSettings,
  type PredictionSource,
  type ViewerState,
  type WebviewMessage,
} from '../shared/protocol';
import { FrameStore } from './frameStore';
import { maskFromMessage } from './masks';
import { paintMask, parseColor, type Rgb } from './overlay';
import { keyAction, playNext, prefetchIndices, stepFrame } from './playback';
import { HostError, Rpc } from './rpc';
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
};

let state: ViewerState | undefined;
let clip: ClipInfo | undefined;
let playback: PlaybackSettings = { fps: 6, prefetch: 4 };
let playing = false;
/** Increases on every render so a slow frame never overwrites a newer one. */
let renderToken = 0;
let notice: string | undefined;

const rpc = new Rpc((m) => vscode.postMessage(m), onNotification);
const store = new FrameStore(async (expId, frameIndex) => (await rpc.request({ type: 'getFrame', expId, frameIndex })).frame);
const images = new Map<number, Promise<HTMLImageElement>>();
const yofo = new YofoResults();
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
  if (m.type === 'yofoFrame') {
    if (!selected) return;
    ui.strip.children[m.frameIndex]?.classList.add('done');
    ui.yofoProgress.value = r.masks.size;
    ui.yofoText.textContent = statusText(r);
    // The shown frame updates as soon as its mask arrives.
    if (m.frameIndex === state.frameIndex && sourceOf(clip.expressions.find((e) => e.expId === r.expId)) === 'yofo') void renderFrame();
    if (r.masks.size % 5 === 0) renderExpressions(); // the list's "YOFO k/N", not on every frame
    return;
  }
  renderExpressions();
  if (selected) void renderFrame();
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

/** The CSS colour `css` (any syntax) or the theme colour `themeVar`, as RGB. */
function resolveColor(css: string, themeVar: string, fallback: Rgb): Rgb {
  const probe = document.createElement('span');
  probe.style.color = css || `var(${themeVar})`;
  document.body.append(probe);
  const rgb = parseColor(getComputedStyle(probe).color);
  probe.remove();
  return rgb ?? fallback;
}

async function renderFrame(): Promise<void> {
  if (!clip || !state || clip.frames.length === 0) return;
  const token = ++renderToken;
  const index = state.frameIndex;
  const expId = state.expId;
  ui.slider.value = String(index);
  ui.viewer.dataset.frameIndex = String(index);
  ui.frameLabel.textContent = `${index + 1} / ${clip.frames.length}`;
  const [image, masks] = await Promise.allSettled([loadImage(index), store.get(expId, index)]);
  store.prefetch(expId, prefetchIndices(index, clip.frames.length, playback.prefetch));
  for (const i of prefetchIndices(index, clip.frames.length, playback.prefetch)) loadImage(i).catch(() => undefined);
  if (token !== renderToken) return; // a newer frame was asked for meanwhile
  const notes: string[] = [];
  if (image.status === 'rejected') notes.push(String((image.reason as Error).message));
  const fetched = masks.status === 'fulfilled' ? masks.value : undefined;
  if (masks.status === 'rejected') notes.push(masks.reason instanceof HostError ? masks.reason.message : String(masks.reason));
  const frame = withSource(fetched, index, expId);
  if (frame) notes.push(...frame.notes);
  if (notice) notes.push(notice);
  draw(image.status === 'fulfilled' ? image.value : undefined, frame);
  showFrameInfo(frame);
  showNotes(notes);
  for (let i = 0; i < ui.strip.children.length; i++) ui.strip.children[i].classList.toggle('current', i === index);
}

/** The frame's masks with the prediction (and its J/F) of the shown source: the host's run, or YOFO's streamed mask. */
function withSource(frame: FrameMasks | undefined, index: number, expId: string | undefined): FrameMasks | undefined {
  const exp = clip?.expressions.find((e) => e.expId === expId);
  if (!frame || sourceOf(exp) === 'run') return frame;
  const r = yofo.get(expId);
  const note = r?.notes.get(index);
  // The run's notes (e.g. "has no mask for this frame") are about a prediction that is not shown.
  const notes = frame.notes.filter((n) => frame.pred !== undefined || !n.startsWith('run "'));
  return { frameIndex: frame.frameIndex, expId: frame.expId, gt: frame.gt, pred: r?.masks.get(index), score: r?.scores.get(index), notes: note ? [...notes, note] : notes };
}

function draw(image: HTMLImageElement | undefined, frame: FrameMasks | undefined): void {
  if (!state) return;
  const ctx = ui.canvas.getContext('2d');
  if (!ctx) return;
  const gt = frame?.gt && state.overlay.showGt ? maskFromMessage(frame.gt) : undefined;
  const pred = frame?.pred && state.overlay.showPred ? maskFromMessage(frame.pred) : undefined;
  const size = image ? { width: image.naturalWidth, height: image.naturalHeight } : (gt ?? pred ?? { width: 640, height: 360 });
  if (ui.canvas.width !== size.width || ui.canvas.height !== size.height) {
    ui.canvas.width = size.width;
    ui.canvas.height = size.height;
  }
  ctx.clearRect(0, 0, size.width, size.height);
  if (image) ctx.drawImage(image, 0, 0);
  const base = gt ?? pred;
  if (!base) return;
  const overlay = new ImageData(base.width, base.height);
  const { opacity, mode } = state.overlay;
  if (gt) paintMask(overlay, gt, resolveColor(state.overlay.gtColor, '--vscode-charts-green', [0, 200, 0]), opacity, mode);
  if (pred && pred.width === base.width && pred.height === base.height) {
    paintMask(overlay, pred, resolveColor(state.overlay.predColor, '--vscode-charts-orange', [255, 140, 0]), opacity, mode);
  }
  // Masks have the frame's size in a valid dataset; drawImage scales them if not, so the overlay still lines up.
  const layer = document.createElement('canvas');
  layer.width = base.width;
  layer.height = base.height;
  layer.getContext('2d')?.putImageData(overlay, 0, 0);
  ctx.drawImage(layer, 0, 0, size.width, size.height);
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
void tagInputForTests();
document.addEventListener('keydown', (e) => {
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
