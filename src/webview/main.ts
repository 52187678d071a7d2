// The clip viewer webview: expression list, frame with ground-truth / prediction overlays, frame slider, playback and
// keyboard stepping. Talks to the host only through the typed protocol; keeps its ViewerState with setState so the
// panel comes back where it was after a reload.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import {
  isHostMessage,
  isViewerState,
  type ClipInfo,
  type FrameMasks,
  type HostNotification,
  type OverlayMode,
  type PlaybackSettings,
  type ViewerState,
  type WebviewMessage,
} from '../shared/protocol';
import { FrameStore } from './frameStore';
import { maskFromMessage } from './masks';
import { paintMask, parseColor, type Rgb } from './overlay';
import { keyAction, playNext, prefetchIndices, stepFrame } from './playback';
import { HostError, Rpc } from './rpc';

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
      else void loadClip();
      return;
    }
    case 'invalidate':
      store.clear();
      void loadClip();
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

function renderExpressions(): void {
  if (!clip || !state) return;
  ui.run.textContent = clip.runName ? `Run: ${clip.runName}` : 'No prediction run (RVOS: Import Predictions…)';
  ui.list.replaceChildren(
    ...clip.expressions.map((e) => {
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
      const score = document.createElement('span');
      score.className = 'score';
      score.textContent = !e.hasGroundTruth ? 'no ground truth' : e.score ? `J&F ${percent(e.score.JF)}` : clip!.runName ? '…' : '';
      if (e.score) score.title = `J ${percent(e.score.J)} · F ${percent(e.score.F)}`;
      li.append(text, score);
      const select = () => selectExpression(e.expId);
      li.addEventListener('click', select);
      li.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') select();
      });
      return li;
    }),
  );
  const selected = clip.expressions.find((e) => e.expId === state!.expId);
  ui.text.textContent = selected ? selected.text : 'No expression selected';
  const s = selected?.score;
  ui.expressionScore.replaceChildren();
  if (s) {
    // The e2e tests read the exact value from data-jf; the text is rounded for people.
    const span = Object.assign(document.createElement('span'), { textContent: `J&F ${percent(s.JF)} · J ${percent(s.J)} · F ${percent(s.F)} (${clip.runName})` });
    span.dataset.testid = 'expression-score';
    span.dataset.jf = String(s.JF);
    ui.expressionScore.append(span);
  } else if (selected && !selected.hasGroundTruth) {
    ui.expressionScore.textContent = 'no ground truth';
  }
  ui.slider.max = String(Math.max(0, clip.frames.length - 1));
}

function selectExpression(expId: string): void {
  if (!state) return;
  state.expId = expId;
  saveState();
  renderAll();
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
  const frame = masks.status === 'fulfilled' ? masks.value : undefined;
  if (masks.status === 'rejected') notes.push(masks.reason instanceof HostError ? masks.reason.message : String(masks.reason));
  if (frame) notes.push(...frame.notes);
  if (notice) notes.push(notice);
  draw(image.status === 'fulfilled' ? image.value : undefined, frame);
  showFrameInfo(frame);
  showNotes(notes);
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
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName.startsWith('VSCODE-') || target.classList.contains('expression'));
}

ui.play.addEventListener('click', () => setPlaying(!playing));
ui.slider.addEventListener('input', () => void setFrame(Number(ui.slider.value)));
ui.showGt.addEventListener('change', () => changeOverlay({ showGt: ui.showGt.checked }));
ui.showPred.addEventListener('change', () => changeOverlay({ showPred: ui.showPred.checked }));
ui.opacity.addEventListener('input', () => changeOverlay({ opacity: Number(ui.opacity.value) / 100 }));
ui.mode.addEventListener('change', () => changeOverlay({ mode: (ui.mode.value === 'outline' ? 'outline' : 'fill') as OverlayMode }));
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
