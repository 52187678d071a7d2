// Mask overlays, drawn into an RGBA buffer (ImageData-like) that the viewer scales over the frame. Pure: no DOM, so the
// pixel arithmetic is unit-tested in Node.

import type { Mask } from '../../core/types';
import type { OverlayMode } from '../../shared/clipViewer/protocol';

export type Rgb = readonly [number, number, number];

/** Anything with the ImageData fields (ImageData itself in the browser). */
export interface RgbaBuffer {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Parses "#rgb", "#rrggbb", "#rrggbbaa", "rgb(r, g, b)" and "rgba(r, g, b, a)" (what getComputedStyle returns). */
export function parseColor(css: string): Rgb | undefined {
  const s = css.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as unknown as Rgb;
  m = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as unknown as Rgb;
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*[\d.]+%?)?\s*\)$/.exec(s);
  if (m) {
    const rgb = [m[1], m[2], m[3]].map((v) => Math.round(Number(v)));
    if (rgb.every((v) => v >= 0 && v <= 255)) return rgb as unknown as Rgb;
  }
  return undefined;
}

/** Foreground pixels with a 4-neighbour in the background or on the image border: a one-pixel outline. */
export function outlineOf(mask: Mask): Uint8Array {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!data[i]) continue;
      if (
        x === 0 ||
        y === 0 ||
        x === w - 1 ||
        y === h - 1 ||
        !data[i - 1] ||
        !data[i + 1] ||
        !data[i - w] ||
        !data[i + w]
      )
        out[i] = 1;
    }
  }
  return out;
}

/** Background pixels with a 4-neighbour in the mask: the ring just outside it. */
export function outerEdgeOf(mask: Mask): Uint8Array {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (data[i]) continue;
      if ((x > 0 && data[i - 1]) || (x < w - 1 && data[i + 1]) || (y > 0 && data[i - w]) || (y < h - 1 && data[i + w]))
        out[i] = 1;
    }
  }
  return out;
}

/** The dark ring drawn outside the ground-truth outline, so the outline stands out on light and dark frames alike. */
export const HALO: Rgb = [0, 0, 0];
const HALO_ALPHA = 0.75;

/**
 * The ground truth as contrasting outlines: each mask's outline in its colour with a dark ring outside it. All rings
 * go first, so the ring of one object never darkens the outline of a neighbouring one.
 */
export function paintContrastOutlines(target: RgbaBuffer, masks: readonly (readonly [Mask, Rgb])[]): void {
  for (const [mask] of masks) paintPixels(target, outerEdgeOf(mask), HALO, HALO_ALPHA);
  for (const [mask, color] of masks) paintPixels(target, outlineOf(mask), color, 1);
}

/**
 * Composites `color` at `alpha` (0..1) over `target` where the mask is set ("source-over"). Outline mode draws the
 * outline at full strength (a thin line at low opacity is invisible) and leaves the inside untouched.
 */
export function paintMask(target: RgbaBuffer, mask: Mask, color: Rgb, alpha: number, mode: OverlayMode): void {
  if (mask.width !== target.width || mask.height !== target.height) {
    throw new RangeError(`mask is ${mask.width}×${mask.height} but the overlay is ${target.width}×${target.height}`);
  }
  const pixels = mode === 'outline' ? outlineOf(mask) : mask.data;
  paintPixels(target, pixels, color, mode === 'outline' ? 1 : Math.min(1, Math.max(0, alpha)));
}

/** Composites `color` at alpha `a` where `pixels` is set. */
function paintPixels(target: RgbaBuffer, pixels: Uint8Array, color: Rgb, a: number): void {
  if (a === 0) return;
  const d = target.data;
  for (let i = 0, p = 0; i < pixels.length; i++, p += 4) {
    if (!pixels[i]) continue;
    const dstA = d[p + 3] / 255;
    const outA = a + dstA * (1 - a);
    for (let c = 0; c < 3; c++) d[p + c] = Math.round((color[c] * a + d[p + c] * dstA * (1 - a)) / outA);
    d[p + 3] = Math.round(outA * 255);
  }
}
