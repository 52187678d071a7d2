// What the viewer's modules share: the state store, the elements, the host channel and the caches, and the actions
// one module asks of another (main.ts wires them), so no module imports another's internals.

import {
  REQUEST_ANSWERS,
  type HostNotification,
  type HostResponse,
  type ViewerState,
  type WebviewRequest,
} from '../../shared/clipViewer/protocol';
import type { RpcChannel } from '../shared/rpc';
import type { ViewerUi } from './elements';
import type { FrameStore } from './frameStore';
import type { RunScoreCache } from './runScoreCache';
import type { ShownPrediction } from './shownPrediction';
import type { FrameStage, Pane } from './stage';
import type { ViewerStore } from './state';
import type { YofoResults } from './yofoResults';

export type ViewerRpc = RpcChannel<WebviewRequest, HostResponse, HostNotification, typeof REQUEST_ANSWERS>;

export interface ViewerContext {
  store: ViewerStore;
  ui: ViewerUi;
  panes: Pane[];
  stage: FrameStage;
  rpc: ViewerRpc;
  frames: FrameStore;
  runScores: RunScoreCache;
  yofo: YofoResults;
  shown: ShownPrediction;
}

export interface ViewerActions {
  /** The list, the header and the choices of the selected expression (no frame drawing). */
  renderSelection(): void;
  renderFrame(): Promise<void>;
  renderAnalysis(): Promise<void>;
  /** Everything: selection, frame, analysis. */
  renderAll(): void;
  /** Shows frame `index` (clamped), keeping playback as it is. */
  setFrame(index: number): Promise<void>;
  /** A seek from the chart, the comparison or the memory strip: stops playback and shows the frame. */
  seek(index: number): void;
  setPlaying(on: boolean): void;
  isPlaying(): boolean;
  /** Changes a view setting (difference, layout, comparison), saves it and redraws. */
  changeView(change: Partial<ViewerState>): void;
  showHelp(open: boolean): void;
  /** A user pick: select the expression and run YOFO unless its result is there or coming. */
  pickExpression(expId: string): void;
  selectExpression(expId: string): void;
  runYofo(expId: string): void;
  /** Runs YOFO on `expId` once the clip is reloaded, if it is still selected (its ground-truth link changed). */
  rerunYofoAfterReload(expId: string): void;
  /** Asks the host for the clip again; settles when it is shown. */
  reloadClip(): Promise<void>;
  showNotes(notes: string[]): void;
}
