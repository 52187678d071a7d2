// What can be observed about each object in a rendered clip: appearance classes, mean position and motion, all
// measured from the frames where the object is visible in the annotation (not copied from the plan). Expressions
// are checked against these facts.

import {
  sizeOfRadius,
  SPEED_SPLIT,
  type ColorName,
  type ObservedMotion,
  type ShapeName,
  type SizeName,
  type SpeedName,
} from './attributes';
import { centreX, centreY, type ClipPlan } from './scene';

export interface ObjectFacts {
  id: number;
  shape: ShapeName;
  color: ColorName;
  size: SizeName;
  /** Radius as a fraction of min(width, height). */
  radius: number;
  /**
   * Position: the mean centre over the frames where the object is visible, as fractions of width and height
   * (0 = left/top, 1 = right/bottom). "Leftmost", "at the top left", "left of" all use this mean position.
   */
  x: number;
  y: number;
  /** Motion seen over the visible frames: none at all, a reversal (bounce), or a straight drift along one axis. */
  motion: ObservedMotion;
  /** Speed class of straight movers (null for other motions). */
  speed: SpeedName | null;
  /** Indices (into the clip's frames) where the object has at least one pixel in the annotation. */
  visibleFrames: number[];
}

const EPS = 1e-6;

function sign(d: number): number {
  return d > EPS ? 1 : d < -EPS ? -1 : 0;
}

/** True when the non-zero steps of a coordinate change direction at least once. */
function reverses(steps: number[]): boolean {
  let last = 0;
  for (const d of steps) {
    const s = sign(d);
    if (s === 0) continue;
    if (last !== 0 && s !== last) return true;
    last = s;
  }
  return false;
}

/**
 * Facts of every object of a rendered clip. `visiblePixels[f][id]` is the number of pixels holding object `id` in
 * the annotation of frame f.
 */
export function observeObjects(plan: ClipPlan, visiblePixels: Uint32Array[]): ObjectFacts[] {
  const { width, height, times } = plan;
  const side = Math.min(width, height);
  const meanStep = (times[times.length - 1] - times[0]) / (times.length - 1);
  return plan.objects.map((o) => {
    const visibleFrames = visiblePixels.flatMap((counts, f) => (counts[o.id] > 0 ? [f] : []));
    const xs = visibleFrames.map((f) => centreX(o, times[f], width));
    const ys = visibleFrames.map((f) => centreY(o, times[f], height));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    let motion: ObservedMotion = 'other';
    let speed: SpeedName | null = null;
    if (visibleFrames.length >= 2) {
      const dx = xs.slice(1).map((x, i) => x - xs[i]);
      const dy = ys.slice(1).map((y, i) => y - ys[i]);
      const netX = xs[xs.length - 1] - xs[0];
      const netY = ys[ys.length - 1] - ys[0];
      if (dx.every((d) => sign(d) === 0) && dy.every((d) => sign(d) === 0)) motion = 'still';
      else if (reverses(dx) || reverses(dy)) motion = 'bouncing';
      else if (Math.abs(netX) >= 3 * Math.abs(netY)) motion = netX > 0 ? 'right' : 'left';
      else if (Math.abs(netY) >= 3 * Math.abs(netX)) motion = netY > 0 ? 'down' : 'up';
      if (motion === 'left' || motion === 'right' || motion === 'up' || motion === 'down') {
        const horizontal = motion === 'left' || motion === 'right';
        const elapsed = times[visibleFrames[visibleFrames.length - 1]] - times[visibleFrames[0]];
        const perUnit = Math.abs(horizontal ? netX : netY) / elapsed;
        speed = (perUnit * meanStep) / (horizontal ? width : height) < SPEED_SPLIT ? 'slow' : 'fast';
      }
    }
    return {
      id: o.id,
      shape: o.shape,
      color: o.color,
      size: sizeOfRadius(o.radius / side),
      radius: o.radius / side,
      x: mean(xs) / width,
      y: mean(ys) / height,
      motion,
      speed,
      visibleFrames,
    };
  });
}
