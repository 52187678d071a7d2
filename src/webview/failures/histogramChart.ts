// J&F histograms as SVG: the split's and one per expression category, each bar a focusable button that filters the
// list to its score range (click, Enter or Space). Geometry is pure (barLayout) and unit-tested; colours come from
// the theme through CSS classes.

import type { HistogramBinView, HistogramView, RangeFilter } from '../../shared/failuresProtocol';
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

/** True when `range` is exactly the bin's range (the bar shows as selected). */
export function isBinRange(range: RangeFilter | undefined, bin: HistogramBinView): boolean {
  return range !== undefined && range.measure === bin.range.measure && range.min === bin.range.min && range.max === bin.range.max && Boolean(range.maxInclusive) === Boolean(bin.range.maxInclusive);
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
    for (const [k, v] of Object.entries({ x: bar.x, y: 0, width: bar.width, height: HEIGHT })) hit.setAttribute(k, String(v));
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', picked ? 'bar picked' : 'bar');
    for (const [k, v] of Object.entries({ x: bar.x, y: bar.y, width: bar.width, height: bar.height })) rect.setAttribute(k, String(v));
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
  const caption = document.createElement('figcaption');
  caption.textContent = `${h.category ?? 'All'} · ${h.total}`;
  card.append(svg, caption);
  return card;
}
