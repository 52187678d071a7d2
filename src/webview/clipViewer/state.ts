// The viewer's state, in one place: the per-panel ViewerState (persisted with setState so the panel comes back where
// it was after a reload, and told to the host, which uses it to reopen the viewer on the same expression), the clip
// shown and the playback settings. Every change goes through `update` or `replace`, which persist it.

import type { ClipInfo, PlaybackSettings, ViewerState, WebviewMessage } from '../../shared/clipViewer/protocol';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewerState): void;
}

export class ViewerStore {
  private current: ViewerState | undefined;
  /** The clip the host answered for the current state (undefined while it loads). */
  clip: ClipInfo | undefined;
  playback: PlaybackSettings = { fps: 6, prefetch: 4 };

  constructor(private readonly api: VsCodeApi) {}

  get state(): Readonly<ViewerState> | undefined {
    return this.current;
  }

  /** The state saved before a reload, as the webview API kept it (validated by the caller). */
  saved(): unknown {
    return this.api.getState();
  }

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  /** A whole new state (the host's `show`). */
  replace(state: ViewerState): void {
    this.current = state;
    this.persist();
  }

  /**
   * Changes part of the state and persists it. `persist: false` for changes that come many times a second and end
   * with a final one that persists (zooming and panning while the wheel turns or the pointer drags).
   */
  update(change: Partial<ViewerState>, options: { persist?: boolean } = {}): void {
    if (!this.current) return;
    this.current = { ...this.current, ...change };
    if (options.persist !== false) this.persist();
  }

  private persist(): void {
    if (!this.current) return;
    this.api.setState(this.current);
    this.api.postMessage({ type: 'stateChanged', state: this.current });
  }
}
