// YOFO insight in the viewer, the pure part (unit-tested without a DOM): the W map as a heat image (a ramp of theme
// colours over the frame's own range of W, more opaque where W is high so the frame shows through where the fit ignores
// it), the colour bar's labels, the memory strip's entries, and the shortcut key. yofoInsightView.ts puts them on screen.

import type { FrameInsight, WeightMap } from '../../inference/frameInsight';
import type { Rgb } from './overlay';
import type { ResolveCss } from '../shared/theme';
import { resolveColour } from './themeColours';

/** The key that shows / hides the W map. */
export const WEIGHT_MAP_KEY = 'w';

export function isWeightMapKey(key: string): boolean {
  return key === 'w' || key === 'W';
}

/** Low → middle → high weight: theme chart colours (blue, yellow, red) with fixed fallbacks. */
export const HEAT_STOPS: readonly { themeVar: string; fallback: Rgb }[] = [
  { themeVar: '--vscode-charts-blue', fallback: [55, 148, 255] },
  { themeVar: '--vscode-charts-yellow', fallback: [204, 167, 0] },
  { themeVar: '--vscode-charts-red', fallback: [229, 72, 77] },
];

/** The heat ramp of the current theme. */
export function heatRamp(resolve: ResolveCss): Rgb[] {
  return HEAT_STOPS.map((s) => resolveColour(resolve, '', s.themeVar, s.fallback));
}

/** The ramp's colour at t in 0..1 (piecewise linear between evenly spaced stops). */
export function heatColour(t: number, ramp: readonly Rgb[]): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [ramp[i], ramp[i + 1]];
  const mix = (c: 0 | 1 | 2) => Math.round(a[c] + (b[c] - a[c]) * f);
  return [mix(0), mix(1), mix(2)];
}

/** The W range a frame's map is coloured over, as 0..255 bytes: the ramp runs from `lo` to `hi`. */
export interface WeightScale {
  lo: number;
  hi: number;
  /** Nearly all of the map has one value: the fit weights every pixel alike, and a colour map would show only noise. */
  flat: boolean;
}

/** The whole 0..1 range (no per-frame scaling). */
export const FULL_SCALE: WeightScale = { lo: 0, hi: 255, flat: false };
/** A 2nd–98th percentile spread below this many steps of 1/255 counts as flat. */
export const FLAT_SPREAD = 3;

/**
 * The per-frame scale of a W map: its 2nd and 98th percentiles (robust to a few extreme pixels), so the ramp spans
 * the values this frame has; a W that stays near 0.03 everywhere would otherwise be one faint colour.
 */
export function weightScale(map: WeightMap, lowQuantile = 0.02, highQuantile = 0.98): WeightScale {
  const n = map.width * map.height;
  if (n === 0) return { lo: 0, hi: 0, flat: true };
  const histogram = new Uint32Array(256);
  for (let i = 0; i < n; i++) histogram[map.data[i]]++;
  const quantile = (q: number): number => {
    const rank = Math.min(n - 1, Math.floor(q * n));
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v];
      if (seen > rank) return v;
    }
    return 255;
  };
  const lo = quantile(lowQuantile);
  const hi = quantile(highQuantile);
  return { lo, hi, flat: hi - lo < FLAT_SPREAD };
}

/** A W value (byte) as the model's weight, with the digits small weights need. */
export function weightText(byte: number): string {
  const w = byte / 255;
  return w < 0.1 ? w.toFixed(3) : w.toFixed(2);
}

/** The colour bar's labels: the real W at its low end, middle and high end. */
export function weightTicks(scale: WeightScale): [string, string, string] {
  return [weightText(scale.lo), weightText((scale.lo + scale.hi) / 2), weightText(scale.hi)];
}

/**
 * RGBA pixels of a W map (its own size; the view scales it onto the frame), coloured over `scale` (values outside it
 * take the end colours). Alpha grows along the scale from a quarter of `opacity` to `opacity`, so low weights tint
 * the frame lightly and high weights stand out.
 */
export function weightMapPixels(
  map: WeightMap,
  ramp: readonly Rgb[],
  opacity: number,
  scale: WeightScale = FULL_SCALE,
): Uint8ClampedArray<ArrayBuffer> {
  const span = Math.max(1, scale.hi - scale.lo);
  const lut = new Uint8ClampedArray(256 * 4);
  for (let v = 0; v < 256; v++) {
    const t = Math.min(1, Math.max(0, (v - scale.lo) / span));
    const [r, g, b] = heatColour(t, ramp);
    lut.set([r, g, b, Math.round(255 * opacity * (0.25 + 0.75 * t))], v * 4);
  }
  const out = new Uint8ClampedArray(map.width * map.height * 4);
  for (let i = 0; i < map.width * map.height; i++) out.set(lut.subarray(map.data[i] * 4, map.data[i] * 4 + 4), i * 4);
  return out;
}

/**
 * The W map of an insight received in a message. VS Code transfers typed arrays, but a serialised copy (plain array,
 * or an index-keyed object after a JSON round trip) is accepted too, as for masks (masks.ts).
 */
export function weightMapFromMessage(map: WeightMap): WeightMap {
  const raw = map.data as unknown;
  const data =
    raw instanceof Uint8Array
      ? raw
      : Array.isArray(raw)
        ? Uint8Array.from(raw as number[])
        : Uint8Array.from(Object.values((raw ?? {}) as Record<string, number>));
  if (data.length !== map.width * map.height)
    throw new RangeError(`W map has ${data.length} values, expected ${map.width}×${map.height}`);
  return { width: map.width, height: map.height, data };
}

export interface MemoryChip {
  /** Clip frame index to seek to. */
  frame: number;
  label: string;
  title: string;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The memory strip of a frame: one chip per memory entry the fit used, oldest first, with its share of the fit. */
export function memoryChips(insight: FrameInsight, frameNames: readonly string[]): MemoryChip[] {
  return insight.memory.map((m) => {
    const name = frameNames[m.frame] ?? `#${m.frame}`;
    return {
      frame: m.frame,
      label: `${name} · ${pct(m.share)}`,
      title: `frame ${name}: ${pct(m.share)} of the fit's weight (mean W ${m.meanWeight.toFixed(2)}); click to go there`,
    };
  });
}

/** One line about the current frame's own part in the fit. */
export function insightSummary(insight: FrameInsight): string {
  const own = `this frame: mean W ${insight.meanWeight.toFixed(2)}, ${pct(insight.selfShare)} of the fit`;
  return insight.memory.length === 0 ? `${own} (first frame: the memory is empty)` : `${own}; memory frames used:`;
}
