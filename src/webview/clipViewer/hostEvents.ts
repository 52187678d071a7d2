// The host's notifications to the viewer, routed to the module that handles each (the answers to requests are the
// RpcChannel's), and the loading of the clip that `show` and `invalidate` ask for.

import type { HostNotification } from '../../shared/clipViewer/protocol';
import type { ViewerActions, ViewerContext } from './context';
import type { Controls } from './controls';
import type { FrameView } from './frameView';
import type { YofoController } from './yofoController';
import type { YofoInsightView } from './yofoInsightView';

export interface HostEventTargets {
  controls: Controls;
  frameView: FrameView;
  yofo: YofoController;
  insight: YofoInsightView;
}

export class HostEvents {
  /** Settles when the clip asked for by the last `show`/`invalidate` is loaded (a run request may come before that). */
  private clipLoaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ViewerContext,
    private readonly actions: ViewerActions,
    private readonly to: HostEventTargets,
  ) {}

  /** Asks the host for the clip again; settles when it is shown. */
  reloadClip(): Promise<void> {
    this.clipLoaded = this.loadClip();
    return this.clipLoaded;
  }

  onNotification(m: HostNotification): void {
    const { store, stage, frames, runScores, yofo } = this.ctx;
    switch (m.type) {
      case 'show': {
        const old = store.state;
        const sameClip =
          old &&
          store.clip &&
          m.state.videoId === old.videoId &&
          m.state.datasetRoot === old.datasetRoot &&
          m.state.split === old.split;
        store.replace(m.state);
        store.playback = m.playback;
        this.to.controls.sync();
        stage.setView(m.state.view);
        if (sameClip) this.actions.renderAll();
        else {
          yofo.clear();
          void this.reloadClip();
        }
        return;
      }
      case 'invalidate':
        frames.clear();
        runScores.clear();
        void this.reloadClip();
        return;
      case 'runSelected':
        void this.clipLoaded.then(() => {
          const expId = store.state?.expId;
          if (expId !== undefined) this.actions.runYofo(expId);
        });
        return;
      case 'yofoProgress':
      case 'yofoFrame':
      case 'yofoDone':
      case 'yofoError':
        this.to.yofo.onMessage(m);
        return;
      case 'probeSelected':
      case 'probeStarted':
      case 'probeRow':
      case 'probeDone':
      case 'probeError':
        this.to.insight.onProbe(m);
        return;
      case 'overlayDefaults':
        if (!store.state) return;
        store.update({ overlay: m.overlay });
        this.to.controls.sync();
        void this.actions.renderFrame();
        return;
      case 'notice':
        this.to.frameView.notice = m.message;
        void this.actions.renderFrame();
        return;
      case 'reveal':
        // The Failures panel opened this expression at its worst frame; selecting it shows it without running YOFO.
        void this.clipLoaded.then(() => {
          if (store.clip?.expressions.some((e) => e.expId === m.expId)) this.actions.selectExpression(m.expId);
          void this.actions.setFrame(m.frameIndex);
        });
        return;
    }
  }

  private async loadClip(): Promise<void> {
    const { store, rpc } = this.ctx;
    try {
      const answer = await rpc.request({ type: 'getClip' });
      const clip = answer.clip;
      store.clip = clip;
      const state = store.state;
      if (!state) return;
      const expId =
        state.expId !== undefined && !clip.expressions.some((e) => e.expId === state.expId)
          ? clip.expressions[0]?.expId
          : state.expId;
      store.update({ expId, frameIndex: Math.min(state.frameIndex, Math.max(0, clip.frames.length - 1)) });
      this.to.frameView.clearImages();
      this.actions.renderAll();
      this.to.yofo.clipReloaded();
    } catch (err) {
      this.actions.showNotes([err instanceof Error ? err.message : String(err)]);
    }
  }
}
