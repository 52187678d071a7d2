// The viewer's controls: overlay toggles, opacity and mode, the prediction shown and what it is compared with,
// difference and side-by-side, zoom, playback (play / pause, the frame slider) and the keyboard help. Each control
// changes the state through the store (which persists it) and asks for the redraw it needs.

import type { ClipExpression, ViewerState } from '../../shared/clipViewer/protocol';
import { targetValue } from './comparison';
import type { ViewerActions, ViewerContext } from './context';
import { fillHelp } from './helpPanel';
import { playNext } from './playback';

export class Controls {
  private playing = false;

  constructor(
    private readonly ctx: ViewerContext,
    private readonly actions: ViewerActions,
  ) {
    const { ui, stage, store, shown } = ctx;
    ui.play.addEventListener('click', () => this.setPlaying(!this.playing));
    ui.slider.addEventListener('input', () => void actions.setFrame(Number(ui.slider.value)));
    ui.showGt.addEventListener('change', () => this.changeOverlay({ showGt: ui.showGt.checked }));
    ui.showPred.addEventListener('change', () => this.changeOverlay({ showPred: ui.showPred.checked }));
    ui.opacity.addEventListener('input', () => this.changeOverlay({ opacity: Number(ui.opacity.value) / 100 }));
    ui.mode.addEventListener('change', () =>
      this.changeOverlay({ mode: ui.mode.value === 'outline' ? 'outline' : 'fill' }),
    );
    ui.source.addEventListener('change', () => {
      store.update({ source: ui.source.value === 'run' ? 'run' : 'yofo' });
      actions.renderAll();
    });
    ui.diff.addEventListener('change', () => this.changeView({ diff: ui.diff.checked }));
    ui.sideBySide.addEventListener('change', () =>
      this.changeView({ layout: ui.sideBySide.checked ? 'sideBySide' : 'single' }),
    );
    ui.compareWith.addEventListener('change', () => {
      const chosen = shown.compareChoices(shown.selectedExpression()).find((o) => o.value === ui.compareWith.value);
      this.changeView({ compareWith: chosen?.target });
    });
    ui.zoomIn.addEventListener('click', () => stage.zoomIn());
    ui.zoomOut.addEventListener('click', () => stage.zoomOut());
    ui.zoomFit.addEventListener('click', () => stage.fit());
    ui.helpToggle.addEventListener('click', () => this.showHelp(ui.help.hidden));
    ui.helpClose.addEventListener('click', () => {
      this.showHelp(false);
      ui.helpToggle.focus();
    });
    fillHelp(ui.helpRows);
  }

  /** The controls show the state (after a `show`, new overlay defaults or a key that changed a setting). */
  sync(): void {
    const { ui, store } = this.ctx;
    const state = store.state;
    if (!state) return;
    ui.showGt.checked = state.overlay.showGt;
    ui.showPred.checked = state.overlay.showPred;
    ui.opacity.value = String(Math.round(state.overlay.opacity * 100));
    ui.mode.value = state.overlay.mode;
    ui.diff.checked = state.diff === true;
    ui.sideBySide.checked = state.layout === 'sideBySide';
    this.showHelp(state.help === true);
    this.showZoom();
  }

  showZoom(): void {
    const zoom = this.ctx.store.state?.view?.zoom ?? 1;
    this.ctx.ui.zoomLabel.textContent = zoom === 1 ? 'fit' : `${zoom < 10 ? zoom.toFixed(1) : Math.round(zoom)}×`;
  }

  /** The prediction-source and compare-with choices of the selected expression. */
  renderChoices(selected: ClipExpression | undefined): void {
    const { ui, store, shown } = this.ctx;
    const clip = store.clip;
    ui.slider.max = String(Math.max(0, (clip?.frames.length ?? 1) - 1));
    const sources: [string, string][] = [];
    if (clip?.runName && !selected?.user) sources.push(['run', clip.runName]);
    if (!shown.runIsYofo(selected)) sources.push(['yofo', shown.yofoName(selected?.expId)]);
    ui.source.replaceChildren(
      ...sources.map(([value, label]) =>
        Object.assign(document.createElement('option'), { value, textContent: label }),
      ),
    );
    ui.source.value = shown.sourceOf(selected);
    ui.source.disabled = sources.length < 2;

    const choices = shown.compareChoices(selected);
    const none = Object.assign(document.createElement('option'), {
      value: '',
      textContent: choices.length ? 'nothing' : 'no other prediction',
    });
    ui.compareWith.replaceChildren(
      none,
      ...choices.map((o) => Object.assign(document.createElement('option'), { value: o.value, textContent: o.label })),
    );
    const current = shown.compareTarget(selected);
    ui.compareWith.value = current ? targetValue(current) : '';
    ui.compareWith.disabled = choices.length === 0;
  }

  changeView(change: Partial<ViewerState>): void {
    if (!this.ctx.store.state) return;
    this.ctx.store.update(change);
    this.sync();
    void this.actions.renderFrame();
    void this.actions.renderAnalysis();
  }

  showHelp(open: boolean): void {
    const { ui, store } = this.ctx;
    ui.help.hidden = !open;
    ui.helpToggle.setAttribute('aria-expanded', String(open));
    if (!store.state || (store.state.help === true) === open) return;
    store.update({ help: open });
    if (open) ui.helpClose.focus();
  }

  isPlaying(): boolean {
    return this.playing;
  }

  setPlaying(on: boolean): void {
    this.playing = on;
    this.ctx.ui.play.textContent = on ? 'Pause' : 'Play';
    if (on) void this.playLoop();
  }

  private async playLoop(): Promise<void> {
    const { store } = this.ctx;
    while (this.playing && store.clip && store.state) {
      const started = performance.now();
      await this.actions.setFrame(playNext(store.state.frameIndex, store.clip.frames.length));
      const wait = 1000 / store.playback.fps - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  private changeOverlay(change: Partial<ViewerState['overlay']>): void {
    const state = this.ctx.store.state;
    if (!state) return;
    this.ctx.store.update({ overlay: { ...state.overlay, ...change } });
    void this.actions.renderFrame();
  }
}
