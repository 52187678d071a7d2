// Overlay colours. The defaults are a colour-blind-safe set (Okabe & Ito): ground truth yellow, prediction reddish
// purple, and for the difference overlay the two classes one side alone has in those colours (missed ground truth
// yellow, prediction outside it purple) with blue where they agree, so the difference reads like the two overlays.
// The settings' CSS colours replace the two defaults. Pure: the caller passes a lookup that resolves a CSS colour to
// its computed value (getComputedStyle in the webview, a table in the tests).

import type { ResolveCss } from '../shared/theme';
import type { OverlaySettings } from '../../shared/clipViewer/protocol';
import { parseColor, type Rgb } from './overlay';
import type { OverlayColours } from './paneOverlay';

export const OVERLAY_PALETTE = {
  groundTruth: [240, 228, 66],
  prediction: [204, 121, 167],
  agreement: [0, 114, 178],
} as const satisfies Record<string, Rgb>;

/** The colour of `css` (a colour in any syntax) or else of theme variable `themeVar`, else `fallback`. */
export function resolveColour(resolve: ResolveCss, css: string, themeVar: string, fallback: Rgb): Rgb {
  return (css && parseColor(resolve(css))) || parseColor(resolve(`var(${themeVar})`)) || fallback;
}

const same = (a: Rgb, b: Rgb) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** The overlay colours for the settings: theirs where given, the palette's otherwise; agreement stays apart from both. */
export function overlayColours(
  resolve: ResolveCss,
  overlay: Pick<OverlaySettings, 'gtColor' | 'predColor'>,
): OverlayColours {
  const gt = (overlay.gtColor && parseColor(resolve(overlay.gtColor))) || OVERLAY_PALETTE.groundTruth;
  const pred = (overlay.predColor && parseColor(resolve(overlay.predColor))) || OVERLAY_PALETTE.prediction;
  const tp =
    [OVERLAY_PALETTE.agreement, OVERLAY_PALETTE.groundTruth, OVERLAY_PALETTE.prediction].find(
      (c) => !same(c, gt) && !same(c, pred),
    ) ?? OVERLAY_PALETTE.agreement;
  return { gt, pred, diff: { tp, fp: pred, fn: gt } };
}

/** "rgb(r, g, b)" for SVG and CSS. */
export function cssRgb(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
