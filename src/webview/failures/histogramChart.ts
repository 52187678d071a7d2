// J&F histograms as SVG: the split's and one per expression category, each bar a focusable button that filters the
// list to its score range (click, Enter or Space), with axes: J&F ticks under the bars (HTML, so the stretched SVG
// never distorts the text) and the count axis from 0 to the tallest bar's count. Geometry is pure (barLayout,
// axisTicks) and unit-tested; colours come from the theme through CSS classes.

import type { HistogramBinView, HistogramView, RangeFilter } from '../../shared/failures/protocol';
import { pct } from './format';

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  bin: HistogramBinView;
}

/** Bars filling `width` × `height` (a 1-unit gap between bars), heights proportional to the largest count. */
export function barLayout(h: HistogramView, width: number, height: number): Bar[] {
  const n = h.bins.length;
  if (n === 0) return [];
  const most = Math.max(1, ...h.bins.map((b) => b.count));
  const slot = width / n;
  return h.bins.map((bin, k) => {
    const barHeight = bin.count === 0 ? 0 : Math.max(1, (height * bin.count) / most);
    return { x: k * slot, y: height - barHeight, width: Math.max(1, slot - 1), height: barHeight, bin };
  });
}

export interface Tick {
  /** Where the tick is, 0–1 of the axis width. */
  at: number;
  label: string;
}

/** Ticks every 25 J&F points over the bins' span [lo, hi] (scores 0–1, labelled in percent). */
export function axisTicks(h: HistogramView): Tick[] {
  if (h.bins.length === 0) return [];
  const lo = h.bins[0].lo;
  const hi = h.bins[h.bins.length - 1].hi;
  if (!(hi > lo)) return [{ at: 0, label: pct(lo) }];
  const ticks: Tick[] = [];
  const first = Math.ceil(lo * 4 - 1e-9) || 0; // never -0
  for (let k = first; k <= Math.floor(hi * 4 + 1e-9); k++)
    ticks.push({ at: (k / 4 - lo) / (hi - lo), label: String(k * 25) });
  return ticks;
}

/** True when `range` is exactly the bin's range (the bar shows as selected). */
export function isBinRange(range: RangeFilter | undefined, bin: HistogramBinView): boolean {
  return (
    range !== undefined &&
    range.measure === bin.range.measure &&
    range.min === bin.range.min &&
    range.max === bin.range.max &&
    Boolean(range.maxInclusive) === Boolean(bin.range.maxInclusive)
  );
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 200;
const HEIGHT = 48;

/** One histogram card; `onPick(range, category)` when a bar is chosen. */
export function histogramCard(
  h: HistogramView,
  selected: RangeFilter | undefined,
  selectedCategory: string | undefined,
  onPick: (range: RangeFilter, category: string | undefined) => void,
): HTMLElement {
  const card = document.createElement('figure');
  card.className = 'histogram';
  card.dataset.testid = 'histogram';
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'group');
  const name = h.category === undefined ? 'all expressions' : h.category;
  svg.setAttribute('aria-label', `J&F histogram of ${name}`);
  for (const bar of barLayout(h, WIDTH, HEIGHT)) {
    // A full-height hit area per bin so an empty or short bar can still be clicked.
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('class', 'bin');
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    const label = `J&F ${pct(bar.bin.lo)}–${pct(bar.bin.hi)}: ${bar.bin.count} expressions${h.category === undefined ? '' : ` (${h.category})`}`;
    g.setAttribute('aria-label', label);
    const picked = isBinRange(selected, bar.bin) && selectedCategory === h.category;
    if (picked) g.setAttribute('aria-pressed', 'true');
    const hit = document.createElementNS(SVG, 'rect');
    hit.setAttribute('class', 'hit');
    for (const [k, v] of Object.entries({ x: bar.x, y: 0, width: bar.width, height: HEIGHT }))
      hit.setAttribute(k, String(v));
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', picked ? 'bar picked' : 'bar');
    for (const [k, v] of Object.entries({ x: bar.x, y: bar.y, width: bar.width, height: bar.height }))
      rect.setAttribute(k, String(v));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = label;
    g.append(hit, rect, title);
    const pick = () => onPick(bar.bin.range, h.category);
    g.addEventListener('click', pick);
    g.addEventListener('keydown', (e) => {
      const key = e.key;
      if (key === 'Enter' || key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        pick();
      }
    });
    svg.append(g);
  }
  const plot = document.createElement('div');
  plot.className = 'plot';
  plot.append(svg);
  const most = Math.max(0, ...h.bins.map((b) => b.count));
  const yAxis = document.createElement('div');
  yAxis.className = 'y-axis';
  yAxis.title = `expressions per bar (the tallest: ${most})`;
  yAxis.append(
    ...[String(most), '0'].map((text) => Object.assign(document.createElement('span'), { textContent: text })),
  );
  const axis = document.createElement('div');
  axis.className = 'x-axis';
  axis.setAttribute('aria-hidden', 'true');
  for (const t of axisTicks(h)) {
    const tick = Object.assign(document.createElement('span'), { className: 'tick', textContent: t.label });
    tick.style.left = `${(100 * t.at).toFixed(2)}%`;
    axis.append(tick);
  }
  const caption = document.createElement('figcaption');
  caption.textContent = `${h.category ?? 'All'} · ${h.total} expressions · J&F %`;
  card.append(yAxis, plot, axis, caption);
  return card;
}
