// Every message between the extension host and the clip viewer webview. Requests carry a `requestId` that the answer
// echoes (a typed `error` answer included), so the webview can match out-of-order replies and drop stale ones.
// Notifications have no id. Masks cross as run-length encodings (see bench/mask-transfer.ts for the measurement).
//
// Plain data only: imported by both the Node host bundle and the browser bundle.

import type { ExpressionScore } from '../../core/types';
import type { ProbeScore, ProbeVariant } from '../../core/analysis/probe';
import type { FrameInsight } from '../../inference/frameInsight';
import type { RleMask } from '../../inference/maskRle';
import { isCount, isOptString, isRec } from '../messaging/guards';

export type OverlayMode = 'fill' | 'outline';

/** Which prediction the viewer draws and scores: the active imported run, or YOFO run live by the extension. */
export type PredictionSource = 'run' | 'yofo';

export interface OverlaySettings {
  showGt: boolean;
  showPred: boolean;
  /** 0..1 */
  opacity: number;
  mode: OverlayMode;
  /** CSS colours; empty string = derived from the current theme. */
  gtColor: string;
  predColor: string;
}

/** 'single': one frame with the overlays; 'sideBySide': ground truth | prediction (synchronised zoom and pan). */
export type ViewerLayout = 'single' | 'sideBySide';

/** A prediction to compare the shown one with, on the same frames: an imported run (by name) or YOFO's result. */
export type CompareTarget = { kind: 'run'; name: string } | { kind: 'yofo' };

/** Zoom and pan, independent of the panel size: `zoom` × the fitting scale (1 = fit), centred on image pixel (cx, cy). */
export interface ZoomView {
  zoom: number;
  cx: number;
  cy: number;
}

/** What the webview keeps with `vscode.setState` so the panel comes back after a reload. */
export interface ViewerState {
  datasetRoot: string;
  split: string;
  videoId: string;
  expId?: string;
  frameIndex: number;
  overlay: OverlaySettings;
  /** The prediction shown; absent = the imported run when there is one, else YOFO. */
  source?: PredictionSource;
  /** Difference overlay (true/false positives, false negatives) instead of the ground-truth and prediction masks. */
  diff?: boolean;
  layout?: ViewerLayout;
  /** Shown prediction | this one, side by side, with their J&F and the difference. */
  compareWith?: CompareTarget;
  /** Absent = fit. */
  view?: ZoomView;
  /** The keyboard help panel is open. */
  help?: boolean;
}

/** Viewer settings that are not part of the per-panel state. */
export interface PlaybackSettings {
  fps: number;
  /** Frames fetched ahead of the shown one. */
  prefetch: number;
}

export interface ScoreSummary {
  J: number;
  F: number;
  JF: number;
}

export interface ClipExpression {
  expId: string;
  text: string;
  category?: string;
  /** False when the split has no Annotations or the expression has no obj_id: show "no ground truth". */
  hasGroundTruth: boolean;
  /** Mean scores for the active run, when known. */
  score?: ScoreSummary;
  /** A user expression typed in the viewer (kept per dataset/video; removable). */
  user?: boolean;
  /** The object whose ground truth scores it (meta_expressions.json, or the user's link). */
  objId?: string;
  /** MeViS: the objects it refers to, in anno_id order; object k is drawn in colour slot k (FrameMasks.gtObjects). */
  objIds?: string[];
}

/** An annotated object of the clip (meta.json, else the expressions' obj_ids), for linking a user expression. */
export interface ClipObject {
  objId: string;
  category: string;
}

export interface ClipInfo {
  datasetRoot: string;
  split: string;
  videoId: string;
  frames: string[];
  /** Webview URIs of the frame images, same order as `frames`. */
  frameUris: string[];
  expressions: ClipExpression[];
  /** Objects a user expression can be linked to; empty when the split has no ground truth. */
  objects: ClipObject[];
  /** Name of the active prediction run, if any. */
  runName?: string;
  /** Names of every imported prediction run that can be scored on this clip (for "compare with"). */
  runs?: string[];
}

export interface FrameMasks {
  frameIndex: number;
  expId?: string;
  /** Ground-truth mask of the expression's object (0/1), when there is one (MeViS: the union of its objects). */
  gt?: RleMask;
  /**
   * MeViS: the mask of each referred object present in this frame, drawn in the colour of its `slot` (its place in the
   * expression's objIds), so an object keeps its colour on every frame.
   */
  gtObjects?: { objId: string; slot: number; mask: RleMask }[];
  /** Predicted mask of the active run (0/1), when the run has this file. */
  pred?: RleMask;
  /** J and F of this frame when both the ground truth and the run are available. */
  score?: { J: number; F: number };
  /** Why a mask is absent or wrong (missing prediction file, size mismatch…). */
  notes: string[];
}

// ── webview → host ────────────────────────────────────────────────────────────────────────────────────────────────
export type WebviewRequest =
  | { type: 'getClip'; requestId: number }
  /** `run`: the imported run whose prediction to load (default: the active run). */
  | { type: 'getFrame'; requestId: number; expId?: string; frameIndex: number; run?: string }
  /** Per-expression and per-frame scores of the clip for an imported run (scored on demand). */
  | { type: 'getScores'; requestId: number; run: string }
  /** Adds a typed expression to the clip's user expressions (or finds the clip's expression with that text). */
  | { type: 'addExpression'; requestId: number; text: string };

/** The answer each request gets unless it fails (`error`): types the webview's RpcChannel answers and checks them. */
export const REQUEST_ANSWERS = {
  getClip: 'clip',
  getFrame: 'frame',
  getScores: 'scores',
  addExpression: 'expressionAdded',
} as const satisfies Record<WebviewRequest['type'], Exclude<HostResponse['type'], 'error'>>;

export type WebviewNotification =
  /** Sent once the script runs; the host answers with `show`. */
  | { type: 'ready'; state?: ViewerState }
  /** The viewer's state changed (the host keeps the last one so `showClip` can pick the expression). */
  | { type: 'stateChanged'; state: ViewerState }
  /**
   * Runs YOFO for an expression (or answers from the result cache). `runId` is chosen by the webview and tags every
   * `yofo*` message of this run; a new run in the same panel cancels the previous one.
   */
  | { type: 'runYofo'; runId: number; expId: string }
  | { type: 'cancelYofo'; runId: number }
  | { type: 'removeExpression'; expId: string }
  /** Links a user expression to an object of the clip (scored against it), or unlinks it (`objId` absent). */
  | { type: 'linkExpression'; expId: string; objId?: string }
  | ProbeRequest;

export type WebviewMessage = WebviewRequest | WebviewNotification;

// ── host → webview ────────────────────────────────────────────────────────────────────────────────────────────────
export type HostResponse =
  | { type: 'clip'; requestId: number; clip: ClipInfo }
  | { type: 'frame'; requestId: number; frame: FrameMasks }
  | { type: 'expressionAdded'; requestId: number; expId: string }
  | { type: 'scores'; requestId: number; run: string; expressions: ExpressionScore[] }
  | { type: 'error'; requestId: number; message: string };

/** Streamed while a YOFO run goes on; all carry the webview's `runId`, so messages of a replaced run are dropped. */
export type YofoNotification =
  /** The run started: the model is loaded (`total` frames to come; `cached`: they come from the result cache). */
  | {
      type: 'yofoProgress';
      runId: number;
      expId: string;
      modelName: string;
      device: string;
      total: number;
      cached: boolean;
    }
  /**
   * One frame's mask (and its J/F when the expression has ground truth), in frame order; `insight`: its W map (bytes)
   * and the memory frames YOFO's fit used.
   */
  | {
      type: 'yofoFrame';
      runId: number;
      expId: string;
      frameIndex: number;
      mask: RleMask;
      score?: { J: number; F: number };
      note?: string;
      insight?: FrameInsight;
    }
  /** Every frame is done (and cached); `score` is the expression's J&F when it has ground truth. */
  | {
      type: 'yofoDone';
      runId: number;
      expId: string;
      modelName: string;
      score?: ScoreSummary;
      unknownWords: string[];
      cached: boolean;
    }
  /** The run failed or was cancelled; the frames that arrived stay valid (but are not cached). */
  | { type: 'yofoError'; runId: number; expId: string; message: string; cancelled: boolean };

export type HostNotification =
  /** Which clip to show (first load, `showClip` on an open panel, restore). */
  | { type: 'show'; state: ViewerState; playback: PlaybackSettings }
  /** Scores or the active run changed: refetch the clip and the frame. */
  | { type: 'invalidate' }
  /** Overlay defaults from the settings changed. */
  | { type: 'overlayDefaults'; overlay: OverlaySettings }
  /** A problem outside any request (scoring the clip in the background failed); shown in the notes area. */
  | { type: 'notice'; message: string }
  /** The host asks the viewer to run YOFO for its selected expression (RVOS: Run YOFO on Expression, a tree pick). */
  | { type: 'runSelected' }
  | YofoNotification
  | RevealNotification
  | ProbeNotification;

// ── Failures panel → viewer (issue 5) ──────────────────────────────────────────────────────────────────────────────
/** Selects an expression of the shown clip and seeks to a frame (sent after `show`; the Failures panel's "open"). */
export type RevealNotification = { type: 'reveal'; expId: string; frameIndex: number };

// ── Expression probing in the viewer (issue 5) ─────────────────────────────────────────────────────────────────────
/** webview → host. `probeId` is chosen by the webview and tags every `probe*` answer; a new probe cancels the last. */
export type ProbeRequest =
  { type: 'runProbe'; probeId: number; expId: string } | { type: 'cancelProbe'; probeId: number };

/** host → webview, streamed while a probe runs. Row 0 is the original text, row k the k-th variant. */
export type ProbeNotification =
  /** The host asks the viewer to probe its selected expression (RVOS: Probe Expression). */
  | { type: 'probeSelected' }
  | { type: 'probeStarted'; probeId: number; expId: string; original: string; variants: ProbeVariant[] }
  | { type: 'probeRow'; probeId: number; expId: string; row: number; score: ProbeScore; cached: boolean }
  | { type: 'probeDone'; probeId: number; expId: string }
  /** Failed (e.g. no ground truth) or cancelled; rows that arrived stay valid. */
  | { type: 'probeError'; probeId: number; expId: string; message: string; cancelled: boolean };

export type HostMessage = HostResponse | HostNotification;

// ── guards: messages from the other side are untrusted input ───────────────────────────────────────────────────────
export function isOverlaySettings(v: unknown): v is OverlaySettings {
  return (
    isRec(v) &&
    typeof v.showGt === 'boolean' &&
    typeof v.showPred === 'boolean' &&
    typeof v.opacity === 'number' &&
    v.opacity >= 0 &&
    v.opacity <= 1 &&
    (v.mode === 'fill' || v.mode === 'outline') &&
    typeof v.gtColor === 'string' &&
    typeof v.predColor === 'string'
  );
}

function isCompareTarget(v: unknown): v is CompareTarget {
  return isRec(v) && (v.kind === 'yofo' || (v.kind === 'run' && typeof v.name === 'string'));
}

function isZoomView(v: unknown): v is ZoomView {
  return (
    isRec(v) && [v.zoom, v.cx, v.cy].every((n) => typeof n === 'number' && Number.isFinite(n)) && (v.zoom as number) > 0
  );
}

export function isViewerState(v: unknown): v is ViewerState {
  return (
    isRec(v) &&
    typeof v.datasetRoot === 'string' &&
    typeof v.split === 'string' &&
    typeof v.videoId === 'string' &&
    isOptString(v.expId) &&
    typeof v.frameIndex === 'number' &&
    Number.isSafeInteger(v.frameIndex) &&
    v.frameIndex >= 0 &&
    isOverlaySettings(v.overlay) &&
    (v.source === undefined || v.source === 'run' || v.source === 'yofo') &&
    (v.diff === undefined || typeof v.diff === 'boolean') &&
    (v.layout === undefined || v.layout === 'single' || v.layout === 'sideBySide') &&
    (v.compareWith === undefined || isCompareTarget(v.compareWith)) &&
    (v.view === undefined || isZoomView(v.view)) &&
    (v.help === undefined || typeof v.help === 'boolean')
  );
}

/** Longest expression text accepted from the text box (Ref-YouTube-VOS expressions are a few dozen characters). */
export const MAX_EXPRESSION_LENGTH = 500;

/** Validates a message posted by the webview; anything else is ignored by the host. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isRec(v)) return false;
  switch (v.type) {
    case 'getClip':
      return isCount(v.requestId);
    case 'getFrame':
      return (
        isCount(v.requestId) &&
        isOptString(v.expId) &&
        typeof v.frameIndex === 'number' &&
        Number.isSafeInteger(v.frameIndex) &&
        v.frameIndex >= 0 &&
        isOptString(v.run)
      );
    case 'getScores':
      return isCount(v.requestId) && typeof v.run === 'string';
    case 'addExpression':
      return isCount(v.requestId) && typeof v.text === 'string' && v.text.length <= MAX_EXPRESSION_LENGTH;
    case 'runYofo':
      return isCount(v.runId) && typeof v.expId === 'string';
    case 'cancelYofo':
      return isCount(v.runId);
    case 'removeExpression':
      return typeof v.expId === 'string';
    case 'linkExpression':
      return typeof v.expId === 'string' && isOptString(v.objId);
    case 'runProbe':
      return isCount(v.probeId) && typeof v.expId === 'string';
    case 'cancelProbe':
      return isCount(v.probeId);
    case 'ready':
      return v.state === undefined || isViewerState(v.state);
    case 'stateChanged':
      return isViewerState(v.state);
    default:
      return false;
  }
}

/** True for host messages that answer a request. */
export function isHostResponse(m: HostMessage): m is HostResponse {
  return 'requestId' in m;
}

/** Validates the envelope of a host message (the host is trusted for payload shapes; the type tag is checked). */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isRec(v)) return false;
  switch (v.type) {
    case 'clip':
      return isCount(v.requestId) && isRec(v.clip);
    case 'frame':
      return isCount(v.requestId) && isRec(v.frame);
    case 'expressionAdded':
      return isCount(v.requestId) && typeof v.expId === 'string';
    case 'scores':
      return isCount(v.requestId) && typeof v.run === 'string' && Array.isArray(v.expressions);
    case 'error':
      return isCount(v.requestId) && typeof v.message === 'string';
    case 'runSelected':
      return true;
    case 'yofoProgress':
    case 'yofoFrame':
    case 'yofoDone':
    case 'yofoError':
      return (
        isCount(v.runId) &&
        typeof v.expId === 'string' &&
        (v.type !== 'yofoFrame' || (isCount(v.frameIndex) && isRec(v.mask)))
      );
    case 'show':
      return (
        isViewerState(v.state) &&
        isRec(v.playback) &&
        typeof v.playback.fps === 'number' &&
        typeof v.playback.prefetch === 'number'
      );
    case 'invalidate':
      return true;
    case 'overlayDefaults':
      return isOverlaySettings(v.overlay);
    case 'notice':
      return typeof v.message === 'string';
    case 'reveal':
      return typeof v.expId === 'string' && isCount(v.frameIndex);
    case 'probeSelected':
      return true;
    case 'probeStarted':
    case 'probeRow':
    case 'probeDone':
    case 'probeError':
      return (
        isCount(v.probeId) &&
        typeof v.expId === 'string' &&
        (v.type !== 'probeRow' || (isCount(v.row) && isRec(v.score)))
      );
    default:
      return false;
  }
}
