// Plans one clip: frame names and times, a background, and 3–6 objects with appearance and motion. Every object gets
// a distractor that shares its shape or its colour; "twins" (same shape and colour) differ only in motion or in
// position, so that telling them apart needs the video, not just one frame's appearance.

import type { Rng } from '../random';
import {
  COLOR_NAMES,
  COLORS,
  MOTIONS,
  SHAPES,
  SIZE_RADIUS,
  SIZES,
  SPEED_PER_SAMPLE,
  type ColorName,
  type MotionName,
  type ShapeName,
  type SizeName,
  type SpeedName,
} from './attributes';
import { BACKGROUNDS, type BackgroundKind } from './background';

export interface ObjectPlan {
  /** Object id: the pixel value in the annotation PNGs (1…n). */
  id: number;
  shape: ShapeName;
  color: ColorName;
  /** Rendered colour: the named colour with a small jitter. */
  rgb: [number, number, number];
  size: SizeName;
  /** Radius in pixels. */
  radius: number;
  motion: MotionName;
  speed: SpeedName;
  /** Centre at time 0 (pixels) and velocity (pixels per time unit; time = frame number). */
  x0: number;
  y0: number;
  vx: number;
  vy: number;
}

export interface ClipPlan {
  width: number;
  height: number;
  /** Frame names ("00000", "00005", …) and the matching times (the frame numbers). */
  frames: string[];
  times: number[];
  background: BackgroundKind;
  objects: ObjectPlan[];
  /** Object ids from back to front. */
  zOrder: number[];
}

/** Where a bouncing coordinate is at offset `s` from `lo`, reflecting off both ends of [lo, lo + span]. */
function reflect(lo: number, span: number, s: number): number {
  if (span <= 0) return lo;
  const period = 2 * span;
  let m = s % period;
  if (m < 0) m += period;
  return lo + (m <= span ? m : period - m);
}

/** Centre x of an object at time t: straight movers may leave the frame; bouncers reflect off its borders. */
export function centreX(o: ObjectPlan, t: number, width: number): number {
  if (o.motion !== 'bouncing') return o.x0 + o.vx * t;
  return reflect(o.radius, width - 2 * o.radius, o.x0 - o.radius + o.vx * t);
}

export function centreY(o: ObjectPlan, t: number, height: number): number {
  if (o.motion !== 'bouncing') return o.y0 + o.vy * t;
  return reflect(o.radius, height - 2 * o.radius, o.y0 - o.radius + o.vy * t);
}

function frameTimes(rng: Rng): number[] {
  const count = rng.int(12, 24);
  const kind = rng.weighted(['5', '1', '3', 'irregular'], [0.7, 0.1, 0.1, 0.1]);
  const times = [0];
  for (let i = 1; i < count; i++) {
    const step = kind === 'irregular' ? rng.int(2, 8) : Number(kind);
    times.push(times[i - 1] + step);
  }
  return times;
}

interface Appearance {
  shape: ShapeName;
  color: ColorName;
  size: SizeName;
  /** Index of the earlier object this one was made a twin of (same shape and colour), if any. */
  twinOf?: number;
}

function otherThan<T>(rng: Rng, items: readonly T[], not: T): T {
  return rng.pick(items.filter((x) => x !== not));
}

/** Appearances such that every object shares its shape or its colour with at least one other object. */
function planAppearances(rng: Rng, count: number): Appearance[] {
  const list: Appearance[] = [{ shape: rng.pick(SHAPES), color: rng.pick(COLOR_NAMES), size: rng.pick(SIZES) }];
  while (list.length < count) {
    const base = rng.int(0, list.length - 1);
    const ref = list[base];
    const kind = rng.weighted(['twin', 'same-shape', 'same-color', 'fresh'], [0.35, 0.2, 0.2, 0.25]);
    if (kind === 'twin') {
      list.push({
        shape: ref.shape,
        color: ref.color,
        size: rng.chance(0.6) ? ref.size : otherThan(rng, SIZES, ref.size),
        twinOf: base,
      });
    } else if (kind === 'same-shape') {
      list.push({ shape: ref.shape, color: otherThan(rng, COLOR_NAMES, ref.color), size: rng.pick(SIZES) });
    } else if (kind === 'same-color') {
      list.push({ shape: otherThan(rng, SHAPES, ref.shape), color: ref.color, size: rng.pick(SIZES) });
    } else {
      list.push({ shape: rng.pick(SHAPES), color: rng.pick(COLOR_NAMES), size: rng.pick(SIZES) });
    }
  }
  // A fresh object (or the first one, if nothing copied it) may still be alone: give it another object's colour.
  for (let i = 0; i < list.length; i++) {
    const shares = list.some((o, j) => j !== i && (o.shape === list[i].shape || o.color === list[i].color));
    if (!shares) list[i].color = list[rng.pick(list.map((_, j) => j).filter((j) => j !== i))].color;
  }
  return list;
}

const MOTION_WEIGHTS: Record<MotionName, number> = { still: 1.2, left: 1, right: 1, up: 0.8, down: 0.8, bouncing: 1 };

function randomMotion(rng: Rng, exclude?: MotionName): MotionName {
  const options = MOTIONS.filter((m) => m !== exclude);
  return rng.weighted(
    options,
    options.map((m) => MOTION_WEIGHTS[m]),
  );
}

/** Motion of each object; a twin differs from its original in motion (or speed), or keeps it and differs in place. */
function planMotions(rng: Rng, appearances: Appearance[]): { motion: MotionName; speed: SpeedName }[] {
  const result: { motion: MotionName; speed: SpeedName }[] = [];
  for (const a of appearances) {
    const speed: SpeedName = rng.chance(0.5) ? 'slow' : 'fast';
    if (a.twinOf === undefined) {
      result.push({ motion: randomMotion(rng), speed });
      continue;
    }
    const ref = result[a.twinOf];
    const style = rng.weighted(['motion', 'speed', 'position'], [0.6, 0.15, 0.25]);
    const straight = ref.motion !== 'still' && ref.motion !== 'bouncing';
    if (style === 'speed' && straight) {
      result.push({ motion: ref.motion, speed: ref.speed === 'slow' ? 'fast' : 'slow' });
    } else if (style === 'position' && ref.motion !== 'bouncing') {
      result.push({ motion: ref.motion, speed: ref.speed });
    } else {
      result.push({ motion: randomMotion(rng, ref.motion), speed });
    }
  }
  return result;
}

function jitteredRgb(rng: Rng, color: ColorName): [number, number, number] {
  const [r, g, b] = COLORS[color];
  const j = () => rng.int(-14, 14);
  const clamp = (x: number) => Math.min(255, Math.max(0, x));
  return [clamp(r + j()), clamp(g + j()), clamp(b + j())];
}

/** Plans a clip. The result still has to pass the visibility and motion checks of the caller (see clip.ts). */
export function planClip(rng: Rng, width: number, height: number): ClipPlan {
  const times = frameTimes(rng);
  const frames = times.map((t) => String(t).padStart(5, '0'));
  const duration = times[times.length - 1];
  const meanStep = duration / (times.length - 1);
  const side = Math.min(width, height);
  const appearances = planAppearances(rng, rng.int(3, 6));
  const motions = planMotions(rng, appearances);
  const objects = appearances.map((a, i): ObjectPlan => {
    const [rlo, rhi] = SIZE_RADIUS[a.size];
    const radius = side * rng.range(rlo, rhi);
    const { motion, speed } = motions[i];
    const [slo, shi] = SPEED_PER_SAMPLE[speed];
    const perSample = rng.range(slo, shi);
    let x0 = rng.range(radius, width - radius);
    let y0 = rng.range(radius, height - radius);
    let vx = 0;
    let vy = 0;
    if (motion === 'left' || motion === 'right') {
      vx = ((motion === 'right' ? 1 : -1) * perSample * width) / meanStep;
      // Some objects enter from outside the frame; fast ones usually leave it too.
      if (rng.chance(0.3))
        x0 = motion === 'right' ? -radius * rng.range(0.2, 1.5) : width + radius * rng.range(0.2, 1.5);
    } else if (motion === 'up' || motion === 'down') {
      vy = ((motion === 'down' ? 1 : -1) * perSample * height) / meanStep;
      if (rng.chance(0.3))
        y0 = motion === 'down' ? -radius * rng.range(0.2, 1.5) : height + radius * rng.range(0.2, 1.5);
    } else if (motion === 'bouncing') {
      // Diagonal and fast enough to hit a border within the clip (checked after planning).
      const angle = rng.range(0.35, 1.2) + rng.int(0, 3) * (Math.PI / 2);
      const speedPx = (rng.range(0.045, 0.07) * side) / meanStep;
      vx = Math.cos(angle) * speedPx;
      vy = Math.sin(angle) * speedPx;
    }
    return {
      id: i + 1,
      shape: a.shape,
      color: a.color,
      rgb: jitteredRgb(rng, a.color),
      size: a.size,
      radius,
      motion,
      speed,
      x0,
      y0,
      vx,
      vy,
    };
  });
  const zOrder = rng.shuffle(objects.map((o) => o.id));
  return { width, height, frames, times, background: rng.pick(BACKGROUNDS), objects, zOrder };
}
