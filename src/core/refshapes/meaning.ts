// The meaning of a referring expression as data, and its evaluation against the observed object facts. An
// expression is only emitted when its meaning picks out exactly its target (with a safety margin), whatever words
// are later used to say it.

import type { ColorName, MotionName, ShapeName, SizeName, SpeedName } from './attributes';
import type { ObjectFacts } from './facts';

/** Appearance attributes an expression names; an absent field is not constrained. */
export interface Base {
  shape?: ShapeName;
  color?: ColorName;
  size?: SizeName;
}

export type Side = 'left' | 'right' | 'top' | 'bottom';
export type Region =
  'top left' | 'top right' | 'bottom left' | 'bottom right' | 'top' | 'bottom' | 'left' | 'right' | 'center';
export type Direction = 'left of' | 'right of' | 'above' | 'below';

export type Meaning =
  | { category: 'appearance'; base: Base }
  | { category: 'motion'; base: Base; motion: MotionName; speed?: SpeedName }
  | { category: 'position'; base: Base; position: { kind: 'extreme'; side: Side } | { kind: 'region'; region: Region } }
  | {
      category: 'relation';
      base: Base;
      relation:
        | {
            kind: 'size';
            which: 'larger' | 'smaller';
            /** "of the two": only true when exactly two objects match base */ ofTwo: boolean;
          }
        | { kind: 'spatial'; direction: Direction; anchor: Base };
    };

/**
 * How borderline cases count. 'exact' is the plain definition; the generator only keeps an expression whose target
 * matches under 'strict' and every other object fails under 'loose', so nothing is decided by a hair.
 */
export type Strictness = 'exact' | 'strict' | 'loose';

/** Positional safety margin, as a fraction of the frame side. */
export const POSITION_MARGIN = 0.06;
/** Size comparisons: "larger" needs at least this radius ratio under 'strict'. */
export const SIZE_MARGIN = 1.25;

export function matchesBase(base: Base, o: ObjectFacts): boolean {
  return (
    (base.shape === undefined || base.shape === o.shape) &&
    (base.color === undefined || base.color === o.color) &&
    (base.size === undefined || base.size === o.size)
  );
}

function shiftOf(strictness: Strictness): number {
  return strictness === 'strict' ? POSITION_MARGIN : strictness === 'loose' ? -POSITION_MARGIN : 0;
}

function ratioOf(strictness: Strictness): number {
  return strictness === 'strict' ? SIZE_MARGIN : strictness === 'loose' ? 1 / SIZE_MARGIN : 1;
}

/** Region membership by thirds of the frame; a positive shift shrinks the region. */
function inRegion(region: Region, x: number, y: number, shift: number): boolean {
  const left = x < 1 / 3 - shift;
  const right = x > 2 / 3 + shift;
  const midX = x > 1 / 3 + shift && x < 2 / 3 - shift;
  const top = y < 1 / 3 - shift;
  const bottom = y > 2 / 3 + shift;
  const midY = y > 1 / 3 + shift && y < 2 / 3 - shift;
  switch (region) {
    case 'top left':
      return top && left;
    case 'top right':
      return top && right;
    case 'bottom left':
      return bottom && left;
    case 'bottom right':
      return bottom && right;
    case 'top':
      return top;
    case 'bottom':
      return bottom;
    case 'left':
      return left;
    case 'right':
      return right;
    case 'center':
      return midX && midY;
  }
}

/** Whether object `o` (one of `all`) fits the meaning. */
export function matches(
  m: Meaning,
  o: ObjectFacts,
  all: readonly ObjectFacts[],
  strictness: Strictness = 'exact',
): boolean {
  if (!matchesBase(m.base, o)) return false;
  const shift = shiftOf(strictness);
  const rivals = all.filter((p) => p.id !== o.id && matchesBase(m.base, p));
  switch (m.category) {
    case 'appearance':
      return true;
    case 'motion':
      return o.motion === m.motion && (m.speed === undefined || o.speed === m.speed);
    case 'position': {
      const pos = m.position;
      if (pos.kind === 'region') return inRegion(pos.region, o.x, o.y, shift);
      if (rivals.length === 0) return false; // "the leftmost circle" presupposes several circles
      switch (pos.side) {
        case 'left':
          return rivals.every((p) => o.x + shift < p.x);
        case 'right':
          return rivals.every((p) => o.x - shift > p.x);
        case 'top':
          return rivals.every((p) => o.y + shift < p.y);
        case 'bottom':
          return rivals.every((p) => o.y - shift > p.y);
      }
      break;
    }
    case 'relation': {
      const rel = m.relation;
      if (rel.kind === 'size') {
        if (rivals.length === 0 || (rel.ofTwo && rivals.length !== 1)) return false;
        const ratio = ratioOf(strictness);
        return rel.which === 'larger'
          ? rivals.every((p) => o.radius > p.radius * ratio)
          : rivals.every((p) => o.radius * ratio < p.radius);
      }
      // The anchor must itself be named unambiguously ("the green square" = the only green square).
      const anchors = all.filter((p) => matchesBase(rel.anchor, p));
      if (anchors.length !== 1 || anchors[0].id === o.id) return false;
      const a = anchors[0];
      switch (rel.direction) {
        case 'left of':
          return o.x < a.x - shift;
        case 'right of':
          return o.x > a.x + shift;
        case 'above':
          return o.y < a.y - shift;
        case 'below':
          return o.y > a.y + shift;
      }
    }
  }
  return false;
}

/** Ids of the objects that fit the meaning. */
export function referents(m: Meaning, all: readonly ObjectFacts[], strictness: Strictness = 'exact'): number[] {
  return all.filter((o) => matches(m, o, all, strictness)).map((o) => o.id);
}

/** The generator's acceptance test: the target fits even strictly, and no other object fits even loosely. */
export function refersOnlyTo(m: Meaning, target: ObjectFacts, all: readonly ObjectFacts[]): boolean {
  return matches(m, target, all, 'strict') && all.every((o) => o.id === target.id || !matches(m, o, all, 'loose'));
}
