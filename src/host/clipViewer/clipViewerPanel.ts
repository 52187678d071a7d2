// Clip viewer panels: one WebviewPanel per clip (dataset root + split + video). "Show Clip" on a clip that already has
// a panel reveals it and switches the expression, so comparing two clips side by side stays possible while clicking
// the same clip never piles up tabs. The webview keeps its ViewerState with setState; the serializer brings the panel
// back after a reload.

import * as vscode from 'vscode';
import { expressionHasGroundTruth, openBenchmarkDataset } from '../../core/benchmarks';
import { framePath, type Dataset } from '../../core/dataset';
import { isInputError } from '../../core/errors';
import type { Expression, Video } from '../../core/types';
import {
  isWebviewMessage,
  type ClipInfo,
  type ClipObject,
  type HostMessage,
  type OverlaySettings,
  type PlaybackSettings,
  type RevealNotification,
  type ViewerState,
  type WebviewRequest,
} from '../../shared/clipViewer/protocol';
import { frameImageNotes, IndexMaskCache, loadFrameMasks } from './frameMasks';
import { homeOf } from '../session/runHome';
import { clipViewerHtml } from './clipViewerHtml';
import { viewerTitle } from './viewerTitle';
import { localResourceFolders } from '../webviews/webviewPage';
import { runClipScores } from '../session/runClipScores';
import type { Session } from '../session/session';
import {
  asExpression,
  isUserExpId,
  normalizeExpressionText,
  type ClipRef,
  type UserExpressions,
} from './userExpressions';
import { YofoController } from './yofoController';
import type { YofoJob, YofoRuns } from '../yofo/yofoRuns';

/** What every panel shares: the YOFO runner and the user expressions store. */
export interface PanelServices {
  yofo: YofoRuns;
  userExpressions: UserExpressions;
}

/** Objects a user expression can be linked to: meta.json's, else the obj_ids the clip's expressions use. */
function clipObjects(video: Video): ClipObject[] {
  const fromMeta = Object.values(video.objects).map((o) => ({ objId: o.objId, category: o.category }));
  const ids =
    fromMeta.length > 0 ? [] : [...new Set(video.expressions.flatMap((e) => (e.objId === undefined ? [] : [e.objId])))];
  return [...fromMeta, ...ids.map((objId) => ({ objId, category: '' }))].sort(
    (a, b) => Number(a.objId) - Number(b.objId),
  );
}

export const VIEW_TYPE = 'rvos.clipViewer';

function keyOf(s: { datasetRoot: string; split: string; videoId: string }): string {
  return `${s.datasetRoot}\u0000${s.split}\u0000${s.videoId}`;
}

export class ClipViewerPanels implements vscode.WebviewPanelSerializer<ViewerState>, vscode.Disposable {
  private readonly panels = new Map<string, ClipViewerPanel>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: Session,
    private readonly settings: () => { overlay: OverlaySettings; playback: PlaybackSettings },
    private readonly services: PanelServices,
  ) {
    this.subscription = session.onDidChange((kind) => {
      if (kind === 'dataset') for (const p of this.panels.values()) p.updateTitle();
      if (kind !== 'filter') for (const p of this.panels.values()) p.post({ type: 'invalidate' });
    });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const p of [...this.panels.values()]) p.panel.dispose();
  }

  /** Panels currently open (for tests and commands). */
  get openPanels(): readonly ClipViewerPanel[] {
    return [...this.panels.values()];
  }

  /** Shows a clip; `run`: the expression was picked, so the viewer runs YOFO for it (unless its result is there). */
  show(
    ds: Dataset,
    videoId: string,
    expId?: string,
    options: { run?: boolean; frameIndex?: number; column?: vscode.ViewColumn } = {},
  ): ClipViewerPanel {
    const video = ds.videoById.get(videoId);
    if (!video) throw new Error(`no clip "${videoId}" in split ${ds.split}`);
    const chosen = expId ?? video.expressions[0]?.expId;
    const key = keyOf({ datasetRoot: ds.root, split: ds.split, videoId });
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      existing.select(chosen, options.run === true);
      if (chosen !== undefined && options.frameIndex !== undefined) existing.reveal(chosen, options.frameIndex);
      return existing;
    }
    const state: ViewerState = {
      datasetRoot: ds.root,
      split: ds.split,
      videoId,
      expId: chosen,
      frameIndex: 0,
      overlay: this.settings().overlay,
    };
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      videoId,
      options.column ?? vscode.ViewColumn.Active,
      this.webviewOptions(ds.root),
    );
    const clip = this.adopt(panel, state);
    if (options.run) clip.runWhenReady();
    if (chosen !== undefined && options.frameIndex !== undefined) clip.reveal(chosen, options.frameIndex);
    return clip;
  }

  /** The focused viewer panel, if any. */
  get activePanel(): ClipViewerPanel | undefined {
    return [...this.panels.values()].find((p) => p.panel.active);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ViewerState | undefined): Promise<void> {
    if (!state || typeof state.datasetRoot !== 'string') {
      panel.dispose(); // a panel from an older version with no usable state
      return;
    }
    panel.webview.options = this.webviewOptions(state.datasetRoot);
    const existing = this.panels.get(keyOf(state));
    if (existing) existing.panel.dispose();
    this.adopt(panel, state);
  }

  post(message: HostMessage): void {
    for (const p of this.panels.values()) p.post(message);
  }

  private webviewOptions(datasetRoot: string): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Only our bundle and styles, and the opened dataset's frames.
      localResourceRoots: localResourceFolders(this.extensionUri.fsPath, datasetRoot).map((f) => vscode.Uri.file(f)),
    };
  }

  private adopt(panel: vscode.WebviewPanel, state: ViewerState): ClipViewerPanel {
    const clip = new ClipViewerPanel(
      panel,
      state,
      this.session,
      this.extensionUri,
      () => this.settings().playback,
      this.services,
    );
    const key = keyOf(state);
    this.panels.set(key, clip);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === clip) this.panels.delete(key);
      clip.dispose();
    });
    return clip;
  }
}

export class ClipViewerPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly masks = new IndexMaskCache();
  /** The dataset of a restored panel whose split is not the one open in the session (read-only, no run). */
  private ownDataset: Promise<Dataset> | undefined;
  private readonly yofo: YofoController;
  /** Ask the webview to run YOFO once it is ready (a new panel opened by picking an expression). */
  private runOnReady = false;
  /** A `reveal` asked for before the webview was ready (sent after its first `show`). */
  private pendingReveal: RevealNotification | undefined;
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private state: ViewerState,
    private readonly session: Session,
    extensionUri: vscode.Uri,
    private readonly playback: () => PlaybackSettings,
    private readonly services: PanelServices,
  ) {
    this.yofo = new YofoController(services.yofo, (m) => this.post(m));
    this.disposables.push(this.yofo);
    const webview = panel.webview;
    this.updateTitle();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'rvos.svg');
    webview.html = clipViewerHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'clipViewer.css')).toString(),
      title: state.videoId,
    });
    this.disposables.push(webview.onDidReceiveMessage((m: unknown) => void this.receive(m)));
  }

  /** Names the dataset in the tab title when the panel shows another one than the session has open. */
  updateTitle(): void {
    const ds = this.session.dataset;
    this.panel.title = viewerTitle(
      this.state.videoId,
      { root: this.state.datasetRoot, split: this.state.split },
      ds && homeOf(ds),
    );
  }

  get viewerState(): ViewerState {
    return this.state;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  select(expId: string | undefined, run = false): void {
    this.state = { ...this.state, expId };
    this.post({ type: 'show', state: this.state, playback: this.playback() });
    if (run) this.post({ type: 'runSelected' });
  }

  runWhenReady(): void {
    this.runOnReady = true;
  }

  /** Selects `expId` and seeks to `frameIndex` (the Failures panel); a webview that is not ready yet gets it after `show`. */
  reveal(expId: string, frameIndex: number): void {
    const message: RevealNotification = { type: 'reveal', expId, frameIndex };
    if (this.ready) this.post(message);
    else this.pendingReveal = message;
  }

  private get clipRef(): ClipRef {
    return { datasetRoot: this.state.datasetRoot, split: this.state.split, videoId: this.state.videoId };
  }

  private async video(): Promise<{ ds: Dataset; video: Video }> {
    const ds = await this.dataset();
    const video = ds.videoById.get(this.state.videoId);
    if (!video) throw new RangeError(`no clip "${this.state.videoId}" in ${ds.root} split ${ds.split}`);
    return { ds, video };
  }

  /** The clip's expressions from meta_expressions.json followed by the user's. */
  private expressions(video: Video): Expression[] {
    return [...video.expressions, ...this.services.userExpressions.list(this.clipRef).map(asExpression)];
  }

  private dataset(): Promise<Dataset> {
    const open = this.session.datasetIfOpen(this.state.datasetRoot, this.state.split);
    if (open) return Promise.resolve(open);
    this.ownDataset ??= openBenchmarkDataset(this.state.datasetRoot, { split: this.state.split });
    return this.ownDataset;
  }

  /** What YOFO runs (or probes) for one of the clip's expressions. */
  private async yofoJob(expId: string): Promise<YofoJob> {
    const { ds, video } = await this.video();
    const expression = this.expressions(video).find((e) => e.expId === expId);
    if (!expression) throw new RangeError(`no expression ${expId} in clip ${video.id}`);
    return { ds, video, expression };
  }

  private async receive(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) return; // not ours; never trust the shape of webview input
    switch (raw.type) {
      case 'ready':
        // A recreated webview (hidden and shown again) knows where it was; a new one gets the host's state.
        if (raw.state && keyOf(raw.state) === keyOf(this.state)) this.state = raw.state;
        this.post({ type: 'show', state: this.state, playback: this.playback() });
        if (this.runOnReady) this.post({ type: 'runSelected' });
        this.runOnReady = false;
        if (this.pendingReveal) this.post(this.pendingReveal);
        this.pendingReveal = undefined;
        this.ready = true;
        return;
      case 'stateChanged':
        if (keyOf(raw.state) === keyOf(this.state)) this.state = raw.state;
        return;
      case 'runYofo':
        await this.yofo.start(raw.runId, raw.expId, () => this.yofoJob(raw.expId));
        return;
      case 'cancelYofo':
        this.yofo.cancel(raw.runId);
        return;
      case 'runProbe':
        await this.yofo.probe(raw.probeId, raw.expId, () => this.yofoJob(raw.expId));
        return;
      case 'cancelProbe':
        this.yofo.cancelProbe(raw.probeId);
        return;
      case 'removeExpression':
        if (await this.services.userExpressions.remove(this.clipRef, raw.expId)) this.post({ type: 'invalidate' });
        return;
      case 'linkExpression':
        if (await this.services.userExpressions.link(this.clipRef, raw.expId, raw.objId))
          this.post({ type: 'invalidate' });
        return;
      default:
        await this.answer(raw);
    }
  }

  private async answer(request: WebviewRequest): Promise<void> {
    try {
      if (request.type === 'getClip') {
        this.post({ type: 'clip', requestId: request.requestId, clip: await this.clipInfo() });
      } else if (request.type === 'addExpression') {
        const { video } = await this.video();
        // Typing an expression the clip already has selects that one instead of adding a copy.
        const text = normalizeExpressionText(request.text);
        const same = this.expressions(video).find((e) => normalizeExpressionText(e.text) === text);
        const expId = same?.expId ?? (await this.services.userExpressions.add(this.clipRef, text)).expId;
        this.post({ type: 'expressionAdded', requestId: request.requestId, expId });
      } else if (request.type === 'getScores') {
        const { ds, video } = await this.video();
        if (!this.session.datasetIfOpen(ds.root, ds.split))
          throw new RangeError(`runs are scored against the open dataset only, not ${ds.root} split ${ds.split}`);
        this.post({
          type: 'scores',
          requestId: request.requestId,
          run: request.run,
          expressions: await runClipScores(this.session, ds, request.run, video.id),
        });
      } else {
        const { ds, video } = await this.video();
        const inSession = this.session.datasetIfOpen(ds.root, ds.split) !== undefined;
        const imported = request.run === undefined ? this.session.activeRun : this.session.runs.get(request.run);
        if (request.run !== undefined && (!imported || !inSession))
          throw new RangeError(`no imported prediction run "${request.run}" for this dataset`);
        // Imported runs have no masks for user expressions.
        const run = inSession && !(request.expId && isUserExpId(request.expId)) ? imported?.run : undefined;
        const frame = await loadFrameMasks(
          ds,
          video.id,
          request.expId,
          request.frameIndex,
          run,
          this.masks,
          this.expressions(video),
        );
        frame.notes.unshift(...(await frameImageNotes(ds, video.id, frame)));
        this.post({ type: 'frame', requestId: request.requestId, frame });
      }
    } catch (err) {
      const message = isInputError(err) || err instanceof RangeError ? err.message : `unexpected error: ${String(err)}`;
      this.post({ type: 'error', requestId: request.requestId, message });
    }
  }

  private async clipInfo(): Promise<ClipInfo> {
    const { ds, video } = await this.video();
    const inSession = this.session.datasetIfOpen(ds.root, ds.split) !== undefined;
    const active = inSession ? this.session.activeRun : undefined;
    if (active && !active.scores.hasClip(video.id)) {
      // Scores arrive later through `invalidate`; the clip shows at once without them.
      this.session
        .scoreClip(video.id)
        .catch((err) => this.post({ type: 'notice', message: err instanceof Error ? err.message : String(err) }));
    }
    const webview = this.panel.webview;
    return {
      datasetRoot: ds.root,
      split: ds.split,
      videoId: video.id,
      frames: video.frames,
      frameUris: video.frames.map((f) => webview.asWebviewUri(vscode.Uri.file(framePath(ds, video.id, f))).toString()),
      expressions: this.expressions(video).map((e) => {
        const s = active?.scores.expression(video.id, e.expId);
        return {
          expId: e.expId,
          text: e.text,
          category: e.category,
          hasGroundTruth: expressionHasGroundTruth(ds, e),
          score: s && { J: s.J, F: s.F, JF: s.JF },
          user: isUserExpId(e.expId) || undefined,
          objId: e.objId,
          // MeViS: the objects in anno_id order, named as the frame masks name them (the anno_id without an obj_id).
          objIds: e.annoIds?.map((annoId, k) => e.objIds?.[k] ?? annoId),
        };
      }),
      objects: ds.hasAnnotations ? clipObjects(video) : [],
      runName: active?.run.name,
      runs: inSession && ds.hasAnnotations ? [...this.session.runs.keys()] : undefined,
    };
  }
}
