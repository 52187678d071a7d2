// The shown frame: loads its image and masks (and prefetches the next ones), picks the prediction of the shown source
// and of the comparison, draws the panes with their overlays or the difference overlay, the captions, the legend,
// the frame's J/F and the notes. A newer frame request overtakes an older one (LatestJob).

import type { ClipExpression, CompareTarget, FrameMasks } from '../../shared/clipViewer/protocol';
import { LatestJob } from '../shared/latestJob';
import { resolveCss } from '../shared/theme';
import { signedPoints } from './comparison';
import type { ViewerContext } from './context';
import { maskFromMessage } from './masks';
import { showObjectLegend } from './objectLegend';
import { paneOverlay, paneSpecs, type OverlayColours, type PaneSpec } from './paneOverlay';
import { prefetchIndices } from './playback';
import { HostError } from '../shared/rpc';
import { percent } from './shownPrediction';
import { cssRgb, overlayColours } from './themeColours';

const countText = (n: number) => n.toLocaleString('en-US');

export class FrameView {
  private readonly images = new Map<number, Promise<HTMLImageElement>>();
  private readonly job = new LatestJob();
  /** A line from the host shown under the frame (e.g. why a run cannot be scored). */
  notice: string | undefined;
  /** The frame asked for last, and the way the user is moving through the clip (prefetch goes that way). */
  private lastIndex = 0;
  private direction: 1 | -1 = 1;
  /** Called after each frame is drawn (the YOFO insight layers follow it). */
  onDrawn: () => void = () => undefined;

  constructor(private readonly ctx: ViewerContext) {}

  /** Forgets the decoded images (another clip). */
  clearImages(): void {
    this.images.clear();
  }

  async render(): Promise<void> {
    const { store, ui, frames, shown } = this.ctx;
    const { clip, state, playback } = store;
    if (!clip || !state || clip.frames.length === 0) return;
    const ticket = this.job.start();
    const index = state.frameIndex;
    const expId = state.expId;
    if (index !== this.lastIndex) this.direction = index < this.lastIndex ? -1 : 1;
    this.lastIndex = index;
    // The slider and the counter follow the request at once; the picture follows as frames arrive.
    ui.slider.value = String(index);
    ui.frameLabel.textContent = `${index + 1} / ${clip.frames.length}`;
    const exp = shown.selectedExpression();
    const other = shown.compareTarget(exp);
    // Prefetch before waiting, in the direction the user moves: while a key is held, the next frames are on the way.
    const ahead = prefetchIndices(index, clip.frames.length, playback.prefetch, this.direction);
    const wanted = Promise.allSettled([this.loadImage(index), frames.get(expId, index)]);
    this.prefetch(ahead, expId, other);
    const [image, masks] = await wanted;
    const fetched = masks.status === 'fulfilled' ? masks.value : undefined;
    const [frameA, frameB] = await Promise.allSettled([
      this.targetFrame(shown.shownTarget(exp), fetched, index, expId),
      other ? this.targetFrame(other, fetched, index, expId) : Promise.resolve(undefined),
    ]);
    // Drawn unless a newer frame is already on screen: while later frames load (a held arrow key, a dragged slider)
    // the newest decoded frame shows, so the picture follows the scrubbing instead of freezing until it stops.
    if (!ticket.claimShow() || expId !== store.state?.expId) return;
    ui.viewer.dataset.frameIndex = String(index);
    const notes = new Set<string>();
    if (image.status === 'rejected') notes.add(String((image.reason as Error).message));
    for (const r of [masks, frameB])
      if (r.status === 'rejected') notes.add(r.reason instanceof HostError ? r.reason.message : String(r.reason));
    const a = frameA.status === 'fulfilled' ? frameA.value : undefined;
    const b = frameB.status === 'fulfilled' ? frameB.value : undefined;
    for (const n of [...(a?.notes ?? []), ...(b?.notes ?? [])]) notes.add(n);
    if (this.notice) notes.add(this.notice);
    this.drawPanes(image.status === 'fulfilled' ? image.value : undefined, a, other ? b : undefined, exp, other);
    this.showFrameInfo(a, index);
    this.showNotes([...notes]);
    this.onDrawn();
    for (let i = 0; i < ui.strip.children.length; i++) ui.strip.children[i].classList.toggle('current', i === index);
  }

  /** Starts loading the frames ahead (their errors show when they are shown). */
  private prefetch(ahead: number[], expId: string | undefined, other: CompareTarget | undefined): void {
    const clip = this.ctx.store.clip;
    this.ctx.frames.prefetch(expId, ahead);
    if (clip && other?.kind === 'run' && other.name !== clip.runName)
      this.ctx.frames.prefetch(expId, ahead, other.name);
    for (const i of ahead) this.loadImage(i).catch(() => undefined);
  }

  showNotes(notes: string[]): void {
    this.ctx.ui.notes.replaceChildren(
      ...notes.map((n) => Object.assign(document.createElement('div'), { textContent: n })),
    );
  }

  private loadImage(index: number): Promise<HTMLImageElement> {
    const clip = this.ctx.store.clip;
    let p = this.images.get(index);
    if (!p && clip) {
      const img = new Image();
      img.src = clip.frameUris[index];
      p = img.decode().then(
        () => img,
        () => {
          this.images.delete(index);
          throw new Error(`cannot load frame image ${clip.frames[index]}.jpg`);
        },
      );
      this.images.set(index, p);
      if (this.images.size > 3 * Math.max(8, this.ctx.store.playback.prefetch))
        this.images.delete(this.images.keys().next().value as number);
    }
    return p ?? Promise.reject(new Error('no clip'));
  }

  /** The frame's masks with the prediction (and its J/F) of `target`: the active run's, another run's, or YOFO's. */
  private async targetFrame(
    target: CompareTarget,
    base: FrameMasks | undefined,
    index: number,
    expId: string | undefined,
  ): Promise<FrameMasks | undefined> {
    if (target.kind === 'run')
      return target.name === this.ctx.store.clip?.runName ? base : this.ctx.frames.get(expId, index, target.name);
    if (!base) return undefined;
    const r = this.ctx.yofo.get(expId);
    const note = r?.notes.get(index);
    // The run's notes (e.g. "has no mask for this frame") are about a prediction that is not shown.
    const notes = base.notes.filter((n) => base.pred !== undefined || !n.startsWith('run "'));
    return {
      frameIndex: base.frameIndex,
      expId: base.expId,
      gt: base.gt,
      pred: r?.masks.get(index),
      score: r?.scores.get(index),
      notes: note ? [...notes, note] : notes,
    };
  }

  private paneCaption(spec: PaneSpec, exp: ClipExpression | undefined, other: CompareTarget | undefined): string {
    const { shown } = this.ctx;
    const label = shown.targetLabel(shown.shownTarget(exp), exp?.expId);
    switch (spec.role) {
      case 'frame':
        return '';
      case 'groundTruth':
        return 'Ground truth';
      case 'prediction':
        return `Prediction · ${label}`;
      case 'compareA':
        return `A · ${label}`;
      case 'compareB':
        return `B · ${other ? shown.targetLabel(other, exp?.expId) : ''}`;
    }
  }

  private drawPanes(
    image: HTMLImageElement | undefined,
    a: FrameMasks | undefined,
    b: FrameMasks | undefined,
    exp: ClipExpression | undefined,
    other: CompareTarget | undefined,
  ): void {
    const { store, ui, stage, panes } = this.ctx;
    const state = store.state;
    if (!state) return;
    const specs = paneSpecs(state.layout ?? 'single', other !== undefined);
    // The grid first, so the stage measures the panes at their new width.
    ui.panes.dataset.layout = other ? 'compare' : (state.layout ?? 'single');
    stage.setPaneCount(specs.length);
    const colours = overlayColours(resolveCss, state.overlay);
    this.showSwatches(colours);
    const gt = a?.gt ? maskFromMessage(a.gt) : b?.gt ? maskFromMessage(b.gt) : undefined;
    const truthFrame = a?.gt ? a : b;
    const gtObjects = truthFrame?.gtObjects?.map((o) => ({ mask: maskFromMessage(o.mask), slot: o.slot }));
    showObjectLegend(ui.gtObjects, exp, truthFrame ?? a, colours);
    const frames = { a, b };
    const preds = { a: a?.pred && maskFromMessage(a.pred), b: b?.pred && maskFromMessage(b.pred) };
    const diff = state.diff === true;
    let firstCounts: { tp: number; fp: number; fn: number } | undefined;
    let unavailable: string | undefined;
    specs.forEach((spec, i) => {
      const o = paneOverlay(
        spec,
        gt,
        spec.pred ? preds[spec.pred] : undefined,
        state.overlay,
        diff,
        colours,
        gtObjects,
      );
      stage.draw(i, image, o?.buffer);
      const pane = panes[i];
      pane.caption.textContent = this.paneCaption(spec, exp, other);
      const score = spec.pred ? frames[spec.pred]?.score : undefined;
      const parts: string[] = [];
      if (score && specs.length > 1)
        parts.push(`J&F ${percent((score.J + score.F) / 2)} · J ${percent(score.J)} · F ${percent(score.F)}`);
      if (spec.role === 'compareB' && score && a?.score)
        parts.push(`Δ ${signedPoints((score.J + score.F) / 2 - (a.score.J + a.score.F) / 2)}`);
      if (o?.counts) {
        if (specs.length > 1)
          parts.push(`TP ${countText(o.counts.tp)} · FP ${countText(o.counts.fp)} · FN ${countText(o.counts.fn)}`);
        firstCounts ??= o.counts;
      }
      unavailable ??= o?.diffUnavailable;
      pane.score.textContent = parts.join(' · ');
    });
    this.showLegend(diff, colours, firstCounts, unavailable);
  }

  /** The swatches beside the Ground truth and Prediction toggles: an outline and a fill, as they are drawn. */
  private showSwatches(colours: OverlayColours): void {
    const { ui, store } = this.ctx;
    const fill = store.state?.overlay.mode !== 'outline';
    ui.gtSwatch.style.borderColor = cssRgb(colours.gt);
    ui.predSwatch.style.borderColor = cssRgb(colours.pred);
    ui.predSwatch.style.background = fill ? cssRgb(colours.pred) : 'transparent';
  }

  /** The difference overlay's colours with the current frame's pixel counts (of the first pane that has them). */
  private showLegend(
    diff: boolean,
    colours: OverlayColours,
    counts: { tp: number; fp: number; fn: number } | undefined,
    unavailable: string | undefined,
  ): void {
    const legend = this.ctx.ui.legend;
    legend.hidden = !diff;
    if (!diff) return;
    const item = (key: 'tp' | 'fp' | 'fn', label: string) => {
      const span = Object.assign(document.createElement('span'), { className: 'legend-item' });
      const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
      swatch.style.background = cssRgb(colours.diff[key]);
      span.append(swatch, counts ? `${label} ${countText(counts[key])}` : label);
      span.dataset[key] = counts ? String(counts[key]) : '';
      return span;
    };
    legend.replaceChildren(item('tp', 'true positive'), item('fp', 'false positive'), item('fn', 'false negative'));
    if (counts) for (const k of ['tp', 'fp', 'fn'] as const) legend.dataset[k] = String(counts[k]);
    else for (const k of ['tp', 'fp', 'fn'] as const) delete legend.dataset[k];
    if (unavailable)
      legend.append(
        Object.assign(document.createElement('span'), { className: 'legend-note', textContent: `(${unavailable})` }),
      );
  }

  private showFrameInfo(frame: FrameMasks | undefined, index: number): void {
    const { store, ui, shown } = this.ctx;
    const clip = store.clip;
    if (!clip) return;
    ui.info.textContent = `frame ${clip.frames[index]}`;
    ui.frameScore.replaceChildren();
    const exp = shown.selectedExpression();
    if (exp && !exp.hasGroundTruth) ui.frameScore.textContent = '· no ground truth';
    else if (frame?.score) {
      const span = Object.assign(document.createElement('span'), {
        textContent: `· J ${percent(frame.score.J)} · F ${percent(frame.score.F)}`,
      });
      span.dataset.testid = 'frame-score';
      span.dataset.j = String(frame.score.J);
      span.dataset.f = String(frame.score.F);
      ui.frameScore.append(span);
    }
  }
}
