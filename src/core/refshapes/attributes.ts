// The visual vocabulary of Ref-Shapes: shapes, named colours, size classes and motions, with the numeric ranges
// that make each class unambiguous (gaps between size and speed ranges, so a predicate never sits on a boundary).

export const SHAPES = ['circle', 'square', 'triangle', 'star', 'ring', 'hexagon', 'cross', 'diamond'] as const;
export type ShapeName = (typeof SHAPES)[number];

/** Base RGB of each named colour; objects get a small per-object jitter around it. */
export const COLORS = {
  red: [220, 38, 38],
  green: [34, 170, 60],
  blue: [40, 80, 225],
  yellow: [245, 215, 35],
  purple: [140, 55, 185],
  orange: [250, 140, 25],
  white: [242, 242, 242],
  pink: [250, 125, 185],
  cyan: [30, 205, 215],
} as const satisfies Record<string, readonly [number, number, number]>;
export type ColorName = keyof typeof COLORS;
export const COLOR_NAMES = Object.keys(COLORS) as ColorName[];

export const SIZES = ['small', 'medium', 'large'] as const;
export type SizeName = (typeof SIZES)[number];

/** Radius ranges as a fraction of min(width, height); the gaps between them keep the classes apart. */
export const SIZE_RADIUS: Record<SizeName, readonly [number, number]> = {
  small: [0.06, 0.075],
  medium: [0.1, 0.125],
  large: [0.16, 0.19],
};

/** Size class of a radius (fraction of min(width, height)), split in the middle of the gaps above. */
export function sizeOfRadius(fraction: number): SizeName {
  if (fraction < 0.0875) return 'small';
  if (fraction < 0.1425) return 'medium';
  return 'large';
}

export const MOTIONS = ['still', 'left', 'right', 'up', 'down', 'bouncing'] as const;
export type MotionName = (typeof MOTIONS)[number];
/** Observed motion also has 'other' (e.g. too few visible frames to tell). */
export type ObservedMotion = MotionName | 'other';

export type SpeedName = 'slow' | 'fast';
/**
 * Speed ranges of straight movers, as the fraction of the frame side along the motion covered per sampled frame
 * (at the clip's mean frame step). Fast is at least twice as fast as slow.
 */
export const SPEED_PER_SAMPLE: Record<SpeedName, readonly [number, number]> = {
  slow: [0.008, 0.012],
  fast: [0.026, 0.036],
};
export const SPEED_SPLIT = 0.018;
