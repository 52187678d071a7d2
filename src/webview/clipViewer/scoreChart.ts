// The per-frame score chart of the selected expression (SVG): one line per series in theme colours (CSS classes),
// a point per scored frame, a marker on the current frame. A click on the chart, or ←/→/Home/End while it has the
// focus, seeks to the nearest scored frame. Geometry and hit-testing live in chart.ts.

import {
  chartKeyFrame,
  linePath,
  nearestFrame,
  scoredFrames,
  xOf,
  yOf,
  type ChartBox,
  type FrameValues,
} from './chart';

export interface ChartSeries {
  label: string;
  /** CSS class giving the series its theme colour (see clipViewer.css). */
  className: string;
  values: FrameValues;
}

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 110;
const MARGIN = { left: 34, right: 10, top: 8, bottom: 18 };

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export class ScoreChart {
  private series: ChartSeries[] = [];
  private frames: readonly string[] = [];
  private current = 0;
  private scored: number[] = [];

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly legend: HTMLElement,
    private readonly onSeek: (frameIndex: number) => void,
  ) {
    svg.addEventListener('click', (e) => {
      const rect = svg.getBoundingClientRect();
      const i = nearestFrame(this.box(), e.clientX - rect.left, this.scored);
      if (i !== undefined) this.onSeek(i);
    });
    svg.addEventListener('keydown', (e) => {
      const i = chartKeyFrame(e.key, this.current, this.scored);
      if (i === undefined) return;
      // The chart's arrows go to scored frames; the viewer's own frame keys must not step as well.
      e.preventDefault();
      e.stopPropagation();
      this.onSeek(i);
    });
    new ResizeObserver(() => this.draw()).observe(svg);
  }

  /** New data (expression, source or comparison changed, or a streamed frame arrived). */
  update(frames: readonly string[], series: ChartSeries[], current: number): void {
    this.frames = frames;
    this.series = series;
    this.current = current;
    this.scored = scoredFrames(series.map((s) => s.values));
    this.draw();
  }

  /** Moves the current-frame marker only. */
  setCurrent(current: number): void {
    if (current === this.current) return;
    this.current = current;
    this.draw();
  }

  get hasData(): boolean {
    return this.scored.length > 0;
  }

  private box(): ChartBox {
    return { width: Math.max(120, this.svg.clientWidth), height: HEIGHT, ...MARGIN, count: this.frames.length };
  }

  private draw(): void {
    const box = this.box();
    const svg = this.svg;
    svg.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
    svg.setAttribute('height', String(box.height));
    const children: SVGElement[] = [];
    for (const v of [0, 0.5, 1]) {
      const y = yOf(box, v);
      children.push(el('line', { class: 'grid', x1: box.left, x2: box.width - box.right, y1: y, y2: y }));
      children.push(el('text', { class: 'axis', x: box.left - 4, y: y + 4, 'text-anchor': 'end' }, String(v * 100)));
    }
    if (this.frames.length > 0) {
      const x = xOf(box, this.current);
      children.push(el('line', { class: 'current', x1: x, x2: x, y1: box.top, y2: box.height - box.bottom }));
      children.push(el('text', { class: 'axis', x: box.left, y: box.height - 4 }, this.frames[0]));
      children.push(
        el(
          'text',
          { class: 'axis', x: box.width - box.right, y: box.height - 4, 'text-anchor': 'end' },
          this.frames[this.frames.length - 1],
        ),
      );
    }
    for (const s of this.series) {
      const g = el('g', { class: `series ${s.className}` });
      g.append(el('path', { d: linePath(box, s.values) }));
      s.values.forEach((v, i) => {
        if (v === undefined) return;
        const dot = el('circle', { cx: xOf(box, i), cy: yOf(box, v), r: i === this.current ? 3.5 : 2 });
        dot.append(el('title', {}, `frame ${this.frames[i]}: ${s.label} ${(v * 100).toFixed(1)}`));
        g.append(dot);
      });
      children.push(g);
    }
    svg.replaceChildren(...children);
    const shown = this.series.map((s) => {
      const v = s.values[this.current];
      return `${s.label} ${v === undefined ? '–' : (v * 100).toFixed(1)}`;
    });
    svg.setAttribute(
      'aria-label',
      `Scores per frame; frame ${this.frames[this.current] ?? ''}: ${shown.join(', ')}. Left and right arrows go to the previous and next scored frame.`,
    );
    this.legend.replaceChildren(
      ...this.series.map((s) => {
        const item = Object.assign(document.createElement('span'), { className: `legend-item ${s.className}` });
        item.append(Object.assign(document.createElement('span'), { className: 'swatch' }), s.label);
        return item;
      }),
    );
  }
}
