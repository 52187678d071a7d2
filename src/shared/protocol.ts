// Every message between the extension host and the clip viewer webview. Requests carry a `requestId` that the answer
// echoes (a typed `error` answer included), so the webview can match out-of-order replies and drop stale ones.
// Notifications have no id. Masks cross as run-length encodings (see bench/mask-transfer.ts for the measurement).
//
// Plain data only: imported by both the Node host bundle and the browser bundle.

import type { RleMask } from '../inference/maskRle';

export type OverlayMode = 'fill' | 'outline';

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

/** What the webview keeps with `vscode.setState` so the panel comes back after a reload. */
export interface ViewerState {
  datasetRoot: string;
  split: string;
  videoId: string;
  expId?: string;
  frameIndex: number;
  overlay: OverlaySettings;
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
}

export interface ClipInfo {
  datasetRoot: string;
  split: string;
  videoId: string;
  frames: string[];
  /** Webview URIs of the frame images, same order as `frames`. */
  frameUris: string[];
  expressions: ClipExpression[];
  /** Name of the active prediction run, if any. */
  runName?: string;
}

export interface FrameMasks {
  frameIndex: number;
  expId?: string;
  /** Ground-truth mask of the expression's object (0/1), when there is one. */
  gt?: RleMask;
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
  | { type: 'getFrame'; requestId: number; expId?: string; frameIndex: number };

export type WebviewNotification =
  /** Sent once the script runs; the host answers with `show`. */
  | { type: 'ready'; state?: ViewerState }
  /** The viewer's state changed (the host keeps the last one so `showClip` can pick the expression). */
  | { type: 'stateChanged'; state: ViewerState };

export type WebviewMessage = WebviewRequest | WebviewNotification;

// ── host → webview ────────────────────────────────────────────────────────────────────────────────────────────────
export type HostResponse =
  | { type: 'clip'; requestId: number; clip: ClipInfo }
  | { type: 'frame'; requestId: number; frame: FrameMasks }
  | { type: 'error'; requestId: number; message: string };

export type HostNotification =
  /** Which clip to show (first load, `showClip` on an open panel, restore). */
  | { type: 'show'; state: ViewerState; playback: PlaybackSettings }
  /** Scores or the active run changed: refetch the clip and the frame. */
  | { type: 'invalidate' }
  /** Overlay defaults from the settings changed. */
  | { type: 'overlayDefaults'; overlay: OverlaySettings }
  /** A problem outside any request (scoring the clip in the background failed); shown in the notes area. */
  | { type: 'notice'; message: string };

export type HostMessage = HostResponse | HostNotification;

// ── guards: messages from the other side are untrusted input ───────────────────────────────────────────────────────
type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRequestId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isOptString(v: unknown): v is string | undefined {
  return v === undefined || typeof v === 'string';
}

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
    isOverlaySettings(v.overlay)
  );
}

/** Validates a message posted by the webview; anything else is ignored by the host. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isRec(v)) return false;
  switch (v.type) {
    case 'getClip':
      return isRequestId(v.requestId);
    case 'getFrame':
      return isRequestId(v.requestId) && isOptString(v.expId) && typeof v.frameIndex === 'number' && Number.isSafeInteger(v.frameIndex) && v.frameIndex >= 0;
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
      return isRequestId(v.requestId) && isRec(v.clip);
    case 'frame':
      return isRequestId(v.requestId) && isRec(v.frame);
    case 'error':
      return isRequestId(v.requestId) && typeof v.message === 'string';
    case 'show':
      return isViewerState(v.state) && isRec(v.playback) && typeof v.playback.fps === 'number' && typeof v.playback.prefetch === 'number';
    case 'invalidate':
      return true;
    case 'overlayDefaults':
      return isOverlaySettings(v.overlay);
    case 'notice':
      return typeof v.message === 'string';
    default:
      return false;
  }
}
