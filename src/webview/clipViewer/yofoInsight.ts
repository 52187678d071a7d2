// YOFO insight in the viewer, the pure part (unit-tested without a DOM): the W map as a heat image (a ramp of theme
// colours, more opaque where W is high so the frame shows through where the fit ignores it), the memory strip's
// entries, and the shortcut key. yofoInsightView.ts puts them on screen.

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

/**
 * RGBA pixels of a W map (its own size; the view scales it onto the frame). Alpha grows with W from a quarter of
 * `opacity` to `opacity`, so low weights tint the frame lightly and high weights stand out.
 */
export function weightMapPixels(map: WeightMap, ramp: readonly Rgb[], opacity: number): Uint8ClampedArray<ArrayBuffer> {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let v = 0; v < 256; v++) {
    const [r, g, b] = heatColour(v / 255, ramp);
    lut.set([r, g, b, Math.round(255 * opacity * (0.25 + 0.75 * (v / 255)))], v * 4);
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
    raw instanceof Uint8Array ? raw : Array.isArray(raw) ? Uint8Array.from(raw as number[]) : Uint8Array.from(Object.values((raw ?? {}) as Record<string, number>));
  if (data.length !== map.width * map.height) throw new RangeError(`W map has ${data.length} values, expected ${map.width}×${map.height}`);
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
