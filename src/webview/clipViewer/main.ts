// The clip viewer webview's entry: looks up the page's elements, builds the viewer's modules and wires them to each
// other and to the host. Each job lives in its own module: the state store (state.ts), the host's notifications
// (hostEvents.ts), the controls (controls.ts), the expression list (expressionList.ts), YOFO (yofoController.ts), the
// frame (frameView.ts), the chart and comparison (analysis.ts), the W map and probing (yofoInsightView.ts), the keys
// (keyboard.ts) and the e2e hooks (testHooks.ts). The host is reached only through the typed protocol.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  isHostMessage,
  isHostResponse,
  isViewerState,
  REQUEST_ANSWERS,
  type HostNotification,
  type WebviewRequest,
} from '../../shared/clipViewer/protocol';
import { RpcChannel } from '../shared/rpc';
import { onThemeChange } from '../shared/theme';
import { AnalysisView } from './analysis';
import type { ViewerActions, ViewerContext, ViewerRpc } from './context';
import { Controls } from './controls';
import { viewerElements, viewerPanes } from './elements';
import { ExpressionList } from './expressionList';
import { FrameStore } from './frameStore';
import { FrameView } from './frameView';
import { HostEvents } from './hostEvents';
import { installKeyboard } from './keyboard';
import { RunScoreCache } from './runScoreCache';
import { ShownPrediction } from './shownPrediction';
import { Tabs } from './tabs';
import { FrameStage } from './stage';
import { ViewerStore, type VsCodeApi } from './state';
import { tagInputForTests } from './testHooks';
import { YofoController } from './yofoController';
import { mountYofoInsight } from './yofoInsightView';
import { YofoResults } from './yofoResults';

declare function acquireVsCodeApi(): VsCodeApi;

const store = new ViewerStore(acquireVsCodeApi());
const ui = viewerElements();
const panes = viewerPanes();
const yofoResults = new YofoResults();
const rpc: ViewerRpc = new RpcChannel(
  (m: WebviewRequest) => store.post(m),
  (m: HostNotification) => hostEvents.onNotification(m),
  isHostResponse,
  REQUEST_ANSWERS,
);
const ctx: ViewerContext = {
  store,
  ui,
  panes,
  stage: new FrameStage(panes, (view, final) => {
    store.update({ view }, { persist: final });
    controls.showZoom();
  }),
  rpc,
  frames: new FrameStore(
    async (expId, frameIndex, run) => (await rpc.request({ type: 'getFrame', expId, frameIndex, run })).frame,
  ),
  runScores: new RunScoreCache(async (run) => (await rpc.request({ type: 'getScores', run })).expressions),
  yofo: yofoResults,
  shown: new ShownPrediction(store, yofoResults),
};

const actions: ViewerActions = {
  renderSelection: () => {
    expressionList.render();
    controls.renderChoices(ctx.shown.selectedExpression());
    yofo.renderStatus();
  },
  renderFrame: () => {
    if (store.state) analysis.setCurrent(store.state.frameIndex);
    return frameView.render();
  },
  renderAnalysis: () => analysis.render(),
  renderAll: () => {
    actions.renderSelection();
    void actions.renderFrame();
    void actions.renderAnalysis();
  },
  setFrame: (index) => {
    const count = store.clip?.frames.length;
    if (!store.state || !count) return Promise.resolve();
    store.update({ frameIndex: Math.max(0, Math.min(count - 1, index)) });
    return actions.renderFrame();
  },
  seek: (index) => {
    controls.setPlaying(false);
    void actions.setFrame(index);
  },
  setPlaying: (on) => controls.setPlaying(on),
  isPlaying: () => controls.isPlaying(),
  changeView: (change) => controls.changeView(change),
  showHelp: (open) => controls.showHelp(open),
  pickExpression: (expId) => {
    actions.selectExpression(expId);
    actions.runYofo(expId);
  },
  selectExpression: (expId) => {
    store.update({ expId });
    actions.renderAll();
    yofo.followSplitRun(expId);
  },
  runYofo: (expId) => yofo.run(expId),
  rerunYofoAfterReload: (expId) => yofo.rerunAfterReload(expId),
  reloadClip: () => hostEvents.reloadClip(),
  showNotes: (notes) => frameView.showNotes(notes),
};

const controls = new Controls(ctx, actions);
const expressionList = new ExpressionList(ctx, actions);
const frameView = new FrameView(ctx);
const analysis = new AnalysisView(ctx, (i) => actions.seek(i));
const tabs = new Tabs([
  { button: ui.tabScores, panel: ui.chartWrap },
  { button: ui.tabInsight, panel: ui.insightPanel },
]);
// YOFO insight: W map layer (key w) and its colour bar beside the controls; the memory strip and the expression probe
// in the second tab under them, so a long probe table never pushes playback out of view.
const insight = mountYofoInsight({
  canvases: panes.map((p) => p.canvas),
  bar: ui.insightBar,
  panel: ui.insightPanel,
  showPanel: () => tabs.select(1),
  context: () => {
    const { clip, state } = store;
    return (
      clip &&
      state && {
        frames: clip.frames,
        frameIndex: state.frameIndex,
        expId: state.expId,
        hasGroundTruth: ctx.shown.selectedExpression()?.hasGroundTruth === true,
        result: yofoResults.get(state.expId),
      }
    );
  },
  seek: (i) => actions.seek(i),
  post: (m) => store.post(m),
});
frameView.onDrawn = () => insight.update();
const yofo = new YofoController(ctx, actions, insight);
const hostEvents = new HostEvents(ctx, actions, { controls, frameView, yofo, insight });

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostMessage(e.data)) rpc.receive(e.data);
});
installKeyboard(ctx, actions);
onThemeChange(() => void actions.renderFrame()); // the chart and the rest follow the theme through CSS variables
void tagInputForTests(ui.input);

const saved = store.saved();
store.post({ type: 'ready', state: isViewerState(saved) ? saved : undefined });
