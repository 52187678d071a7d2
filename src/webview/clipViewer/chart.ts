// Geometry of the per-frame score chart: frame index → x, score (0..1) → y, SVG paths with gaps where a frame has no
// score, hit-testing a click to the nearest scored frame, and arrow-key stepping between scored frames. Pure.

export interface ChartBox {
  width: number;
  height: number;
  /** Inner margins: room for the axis labels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Frames in the clip (the x axis spans 0 … count − 1). */
  count: number;
}

/** One value per frame index; undefined where the frame has no score. */
export type FrameValues = readonly (number | undefined)[];

export function xOf(box: ChartBox, frameIndex: number): number {
  const span = box.width - box.left - box.right;
  return box.left + (box.count <= 1 ? span / 2 : (frameIndex / (box.count - 1)) * span);
}

/** 1 at the top, 0 at the bottom; values outside 0..1 are clamped to the plot. */
export function yOf(box: ChartBox, value: number): number {
  const v = Math.min(1, Math.max(0, value));
  return box.top + (1 - v) * (box.height - box.top - box.bottom);
}

/** An SVG path through the scored frames; a frame without a score breaks the line. */
export function linePath(box: ChartBox, values: FrameValues): string {
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${xOf(box, i).toFixed(1)} ${yOf(box, v).toFixed(1)}`);
    pen = true;
  }
  return parts.join(' ');
}

/** Frame indices that have a value in any of the series, ascending. */
export function scoredFrames(series: readonly FrameValues[]): number[] {
  const out: number[] = [];
  const n = Math.max(0, ...series.map((s) => s.length));
  for (let i = 0; i < n; i++) if (series.some((s) => s[i] !== undefined)) out.push(i);
  return out;
}

/** The scored frame nearest to chart x (a click or hover); undefined when no frame is scored. */
export function nearestFrame(box: ChartBox, x: number, scored: readonly number[]): number | undefined {
  let best: number | undefined;
  let bestDistance = Infinity;
  for (const i of scored) {
    const d = Math.abs(xOf(box, i) - x);
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  return best;
}

/** ←/→ the previous/next scored frame, Home/End the first/last; undefined for other keys or nothing to go to. */
export function chartKeyFrame(key: string, current: number, scored: readonly number[]): number | undefined {
  if (scored.length === 0) return undefined;
  switch (key) {
    case 'ArrowLeft':
      return [...scored].reverse().find((i) => i < current) ?? scored[0];
    case 'ArrowRight':
      return scored.find((i) => i > current) ?? scored[scored.length - 1];
    case 'Home':
      return scored[0];
    case 'End':
      return scored[scored.length - 1];
    default:
      return undefined;
  }
}
