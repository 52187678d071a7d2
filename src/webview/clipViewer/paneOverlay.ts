// What each frame pane shows and the overlay drawn over its frame. Pure (RGBA buffers, no DOM), so the layouts and
// the compositing are unit-tested. The difference overlay reuses core/analysis/diffOverlay (also used by the report).

import { diffOverlay, type DiffColours, type DiffCounts } from '../../core/analysis/diffOverlay';
import type { Mask } from '../../core/types';
import type { OverlaySettings, ViewerLayout } from '../../shared/clipViewer/protocol';
import { paintContrastOutlines, paintMask, type RgbaBuffer, type Rgb } from './overlay';

/** Which prediction a pane draws: the shown one ('a') or the one compared with ('b'). */
export type PaneSource = 'a' | 'b';

export interface PaneSpec {
  /** Short caption over the pane (the ground truth, or the prediction's name). */
  role: 'frame' | 'groundTruth' | 'prediction' | 'compareA' | 'compareB';
  /** Draws the ground-truth mask (when the overlay settings show it). */
  showGt: boolean;
  pred?: PaneSource;
}

/** Panes left to right: one frame; ground truth | prediction; or prediction A | prediction B when comparing. */
export function paneSpecs(layout: ViewerLayout, comparing: boolean): PaneSpec[] {
  if (comparing)
    return [
      { role: 'compareA', showGt: true, pred: 'a' },
      { role: 'compareB', showGt: true, pred: 'b' },
    ];
  if (layout === 'sideBySide')
    return [
      { role: 'groundTruth', showGt: true },
      { role: 'prediction', showGt: false, pred: 'a' },
    ];
  return [{ role: 'frame', showGt: true, pred: 'a' }];
}

/** The difference overlay's fills never go fainter than this (the overlay opacity setting can). */
export const DIFF_MIN_OPACITY = 0.8;

export interface OverlayColours {
  gt: Rgb;
  pred: Rgb;
  diff: DiffColours;
}

export interface PaneOverlay {
  buffer: RgbaBuffer;
  /** Pixel counts when the difference overlay was drawn. */
  counts?: DiffCounts;
  /** The difference overlay was asked for but could not be drawn (why). */
  diffUnavailable?: string;
}

/** Colours of a MeViS expression's second, third, … object (the first takes the ground-truth colour). */
export const OBJECT_COLOURS: readonly Rgb[] = [
  [230, 159, 0],
  [86, 180, 233],
  [204, 121, 167],
  [0, 158, 115],
  [240, 228, 66],
];

/** The colour of a MeViS expression's object in slot `slot`: the ground-truth colour, then OBJECT_COLOURS. */
export function objectColour(slot: number, colours: Pick<OverlayColours, 'gt'>): Rgb {
  return slot === 0 ? colours.gt : OBJECT_COLOURS[(slot - 1) % OBJECT_COLOURS.length];
}

/**
 * The overlay of one pane: the difference of `pred` against `gt` when `diff` is on and both exist; else the ground
 * truth (if the pane and the settings show it; `gtObjects`, the masks of several referred objects, each in its own
 * colour) as a contrasting outline and the prediction as a fill (both as outlines in outline mode). Undefined when
 * there is nothing to draw.
 */
export function paneOverlay(
  spec: PaneSpec,
  gt: Mask | undefined,
  pred: Mask | undefined,
  overlay: OverlaySettings,
  diff: boolean,
  colours: OverlayColours,
  gtObjects?: { mask: Mask; slot: number }[],
): PaneOverlay | undefined {
  const { opacity, mode } = overlay;
  if (diff && spec.pred) {
    if (gt && pred && gt.width === pred.width && gt.height === pred.height) {
      const buffer = emptyBuffer(gt);
      // Outlines are drawn at full strength, as for the plain overlays: a thin line at low opacity is invisible; fills
      // at least at DIFF_MIN_OPACITY, since a faint class colour mixed with the frame's colours reads as grey-brown.
      const counts = diffOverlay(gt, pred, buffer.data, {
        colours: colours.diff,
        mode,
        opacity: mode === 'outline' ? 1 : Math.max(DIFF_MIN_OPACITY, opacity),
      });
      return { buffer, counts };
    }
  }
  const drawGt = spec.showGt && overlay.showGt ? gt : undefined;
  const drawPred = spec.pred && overlay.showPred ? pred : undefined;
  const base = drawGt ?? drawPred;
  const unavailable =
    diff && spec.pred
      ? gt
        ? pred
          ? 'the prediction and the ground truth differ in size'
          : 'no prediction for this frame'
        : 'no ground truth for this frame'
      : undefined;
  if (!base)
    return unavailable
      ? { buffer: emptyBuffer(gt ?? pred ?? { width: 1, height: 1 }), diffUnavailable: unavailable }
      : undefined;
  const buffer = emptyBuffer(base);
  const shownPred = drawPred && drawPred.width === base.width && drawPred.height === base.height ? drawPred : undefined;
  // The referred objects of a MeViS expression are drawn one by one, each in the colour of its slot.
  const parts =
    drawGt && gtObjects && gtObjects.length > 0
      ? gtObjects.filter((o) => o.mask.width === drawGt.width && o.mask.height === drawGt.height)
      : undefined;
  const gtMasks: [Mask, Rgb][] = parts
    ? parts.map((o) => [o.mask, objectColour(o.slot, colours)])
    : drawGt
      ? [[drawGt, colours.gt]]
      : [];
  if (drawGt && !spec.pred) {
    // The ground-truth pane of side by side: the masks filled, as nothing else is drawn there.
    for (const [m, colour] of gtMasks) paintMask(buffer, m, colour, opacity, mode);
    paintContrastOutlines(buffer, gtMasks);
  } else if (mode === 'fill') {
    // Prediction as a fill, ground truth as a contrasting outline on top: apart on any frame, whatever the colours.
    if (shownPred) paintMask(buffer, shownPred, colours.pred, opacity, 'fill');
    paintContrastOutlines(buffer, gtMasks);
  } else {
    paintContrastOutlines(buffer, gtMasks);
    if (shownPred) paintMask(buffer, shownPred, colours.pred, 1, 'outline');
  }
  return { buffer, diffUnavailable: unavailable };
}

function emptyBuffer(size: { width: number; height: number }): RgbaBuffer {
  return { width: size.width, height: size.height, data: new Uint8ClampedArray(size.width * size.height * 4) };
}
