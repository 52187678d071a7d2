// YOFO in the viewer: starts a run for an expression (the host cancels the panel's previous one), applies the streamed
// results, and shows the status line (progress, Cancel, Run YOFO), the frames-with-results strip and the words the
// model does not know.

import type { HostNotification } from '../../shared/clipViewer/protocol';
import type { ViewerActions, ViewerContext } from './context';
import type { YofoInsightView } from './yofoInsightView';
import { statusText } from './yofoResults';

export class YofoController {
  /** A typed expression whose ground-truth link changed: run (replay) YOFO once the clip is reloaded, to rescore it. */
  private pendingRerun: string | undefined;

  constructor(
    private readonly ctx: ViewerContext,
    private readonly actions: ViewerActions,
    private readonly insight: YofoInsightView,
  ) {
    const { ui, store, yofo } = ctx;
    ui.yofoCancel.addEventListener('click', () => {
      const r = yofo.active();
      if (r) store.post({ type: 'cancelYofo', runId: r.runId });
    });
    ui.yofoRun.addEventListener('click', () => {
      const expId = store.state?.expId;
      if (expId !== undefined) this.run(expId);
    });
  }

  run(expId: string): void {
    const { store, yofo } = this.ctx;
    const clip = store.clip;
    if (!clip || !yofo.needsRun(expId) || !clip.expressions.some((e) => e.expId === expId)) return;
    const run = yofo.begin(expId, clip.frames.length);
    store.post({ type: 'runYofo', runId: run.runId, expId });
    this.actions.renderSelection();
  }

  /**
   * The active run was made by Run YOFO on Split: its per-expression result (the same masks, from the result cache)
   * brings the W map and the memory frames, so it is fetched when the expression is shown.
   */
  followSplitRun(expId: string | undefined): void {
    const exp = this.ctx.store.clip?.expressions.find((e) => e.expId === expId);
    if (exp && this.ctx.shown.runIsYofo(exp) && this.ctx.yofo.get(exp.expId) === undefined) this.run(exp.expId);
  }

  rerunAfterReload(expId: string): void {
    this.pendingRerun = expId;
  }

  /** The clip was (re)loaded: a pending rerun goes now if its expression is still selected. */
  clipReloaded(): void {
    const expId = this.pendingRerun;
    this.pendingRerun = undefined;
    if (expId !== undefined && expId === this.ctx.store.state?.expId) this.run(expId);
    else this.followSplitRun(this.ctx.store.state?.expId);
  }

  onMessage(m: Extract<HostNotification, { runId: number }>): void {
    const { store, yofo, ui, shown } = this.ctx;
    const r = yofo.apply(m);
    const { state, clip } = store;
    if (!r || !state || !clip) return;
    const selected = r.expId === state.expId;
    if (selected) this.insight.update();
    if (m.type === 'yofoFrame') {
      if (!selected) return;
      ui.strip.children[m.frameIndex]?.classList.add('done');
      ui.yofoProgress.value = r.masks.size;
      ui.yofoText.textContent = ui.yofoText.title = statusText(r);
      // The shown frame updates as soon as its mask arrives.
      if (
        m.frameIndex === state.frameIndex &&
        shown.sourceOf(clip.expressions.find((e) => e.expId === r.expId)) === 'yofo'
      )
        void this.actions.renderFrame();
      if (r.masks.size % 5 === 0) this.actions.renderSelection(); // the list's "YOFO k/N", not on every frame
      void this.actions.renderAnalysis();
      return;
    }
    this.actions.renderSelection();
    if (selected) {
      void this.actions.renderFrame();
      void this.actions.renderAnalysis();
    }
  }

  /** The progress line, the frames-with-results strip and the unknown words, for the selected expression. */
  renderStatus(): void {
    const { store, yofo, ui } = this.ctx;
    const { clip, state } = store;
    if (!clip || !state) return;
    const r = yofo.get(state.expId);
    ui.yofoStatus.hidden = !r && state.expId === undefined;
    ui.yofoStatus.dataset.status = r?.status ?? 'none';
    ui.yofoProgress.hidden = !r || r.status === 'done';
    ui.yofoProgress.max = Math.max(1, r?.total ?? clip.frames.length);
    ui.yofoProgress.value = r?.masks.size ?? 0;
    ui.yofoText.textContent = ui.yofoText.title = r ? statusText(r) : 'YOFO has not run on this expression';
    ui.yofoCancel.hidden = !r || (r.status !== 'starting' && r.status !== 'running');
    ui.yofoRun.hidden =
      state.expId === undefined || !yofo.needsRun(state.expId) || yofo.active()?.expId === state.expId;
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
}
