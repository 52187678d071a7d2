// Turns a meaning into English with varied wording: synonyms, articles, pre- or post-nominal modifiers and word
// order ("the small red star", "a tiny red star", "red star that is small"). The words never add or drop meaning:
// every attribute of the meaning is said, nothing else is.

import type { Rng } from '../random';

/** The random choices wording makes; `allWordings` (readings.ts) walks every outcome of them. */
export type WordingChoices = Pick<Rng, 'pick' | 'chance' | 'int' | 'float'>;
import type { MotionName, ShapeName, SizeName, SpeedName } from './attributes';
import type { Base, Direction, Meaning, Region, Side } from './meaning';

/** Nouns per shape: [singular, plural] pairs. `null` = no shape named. */
export const SHAPE_WORDS: Record<ShapeName | 'none', readonly (readonly [string, string])[]> = {
  circle: [
    ['circle', 'circles'],
    ['disc', 'discs'],
  ],
  square: [
    ['square', 'squares'],
    ['box', 'boxes'],
  ],
  triangle: [['triangle', 'triangles']],
  star: [['star', 'stars']],
  ring: [
    ['ring', 'rings'],
    ['donut', 'donuts'],
    ['hoop', 'hoops'],
  ],
  hexagon: [['hexagon', 'hexagons']],
  cross: [
    ['cross', 'crosses'],
    ['plus sign', 'plus signs'],
  ],
  diamond: [
    ['diamond', 'diamonds'],
    ['rhombus', 'rhombuses'],
  ],
  none: [
    ['object', 'objects'],
    ['shape', 'shapes'],
    ['thing', 'things'],
  ],
};

export const SIZE_WORDS: Record<SizeName, readonly string[]> = {
  small: ['small', 'tiny', 'little'],
  medium: ['medium-sized', 'mid-sized', 'medium'],
  large: ['large', 'big', 'huge'],
};

type Straight = 'left' | 'right' | 'up' | 'down';

/**
 * The word tables a wording draws from. TRAINING_LEXICON is what `rvos sample` writes by default; a held-out
 * lexicon (novelWording.ts) says the same meanings with templates, synonyms and word orders training never had.
 * describe() makes the same random draws in the same order whatever the lexicon's sizes, so only the text changes.
 */
export interface Lexicon {
  shapes: Record<ShapeName | 'none', readonly (readonly [string, string])[]>;
  sizes: Record<SizeName, readonly string[]>;
  /** "{head}" = noun phrase without the size word, "{size}", "{color}": post-nominal appearance forms. */
  sizeAfter: readonly string[];
  sizeAndColorAfter: readonly string[];
  motionAfter: Record<MotionName, readonly string[]>;
  motionBefore: Partial<Record<MotionName, readonly string[]>>;
  speedAfter: Record<Straight, Record<SpeedName, readonly string[]>>;
  extreme: Record<Side, readonly string[]>;
  region: Record<Region, readonly string[]>;
  spatial: Record<Direction, readonly string[]>;
  sizeRelation: Record<'larger' | 'smaller', { two: readonly string[]; many: readonly string[] }>;
  /** The pronoun for a shapeless noun phrase with adjectives ("the red one"). */
  one: string;
}

/** Verb phrases after the noun, per motion (and per speed for straight movers). */
const MOTION_AFTER: Record<MotionName, readonly string[]> = {
  still: ['that stays still', 'that does not move', 'standing still', 'that is not moving', 'staying in place'],
  bouncing: ['bouncing around', 'that bounces off the edges', 'bouncing off the borders', 'that keeps bouncing'],
  left: [
    'moving to the left',
    'moving left',
    'going left',
    'that moves left',
    'heading left',
    'travelling to the left',
  ],
  right: [
    'moving to the right',
    'moving right',
    'going right',
    'that moves right',
    'heading right',
    'travelling to the right',
  ],
  up: ['moving up', 'moving upwards', 'rising', 'going up', 'that moves up'],
  down: ['moving down', 'moving downwards', 'falling', 'going down', 'that moves down', 'sinking'],
};
const MOTION_BEFORE: Partial<Record<MotionName, readonly string[]>> = {
  still: ['motionless', 'stationary', 'still'],
  bouncing: ['bouncing'],
};
const SPEED_AFTER: Record<Straight, Record<SpeedName, readonly string[]>> = {
  left: {
    slow: ['moving slowly to the left', 'slowly moving left', 'that moves left slowly', 'drifting slowly to the left'],
    fast: ['moving quickly to the left', 'rushing to the left', 'that moves fast to the left', 'speeding left'],
  },
  right: {
    slow: [
      'moving slowly to the right',
      'slowly moving right',
      'that moves right slowly',
      'drifting slowly to the right',
    ],
    fast: ['moving quickly to the right', 'rushing to the right', 'that moves fast to the right', 'speeding right'],
  },
  up: {
    slow: ['rising slowly', 'moving slowly upwards', 'slowly moving up'],
    fast: ['rising quickly', 'moving up fast', 'shooting upwards'],
  },
  down: {
    slow: ['sinking slowly', 'moving slowly downwards', 'slowly falling'],
    fast: ['falling fast', 'dropping quickly', 'moving down quickly'],
  },
};

/** "{np}" is replaced by the noun phrase without article. */
const EXTREME: Record<Side, readonly string[]> = {
  left: ['the leftmost {np}', 'the {np} furthest to the left', 'the {np} on the far left', 'the left-most {np}'],
  right: ['the rightmost {np}', 'the {np} furthest to the right', 'the {np} on the far right', 'the right-most {np}'],
  top: ['the topmost {np}', 'the highest {np}', 'the {np} closest to the top', 'the uppermost {np}'],
  bottom: ['the lowest {np}', 'the bottommost {np}', 'the {np} closest to the bottom', 'the {np} furthest down'],
};
const REGION: Record<Region, readonly string[]> = {
  'top left': ['at the top left', 'in the top left corner', 'in the upper left', 'in the top-left'],
  'top right': ['at the top right', 'in the top right corner', 'in the upper right', 'in the top-right'],
  'bottom left': ['at the bottom left', 'in the bottom left corner', 'in the lower left', 'in the bottom-left'],
  'bottom right': ['at the bottom right', 'in the bottom right corner', 'in the lower right', 'in the bottom-right'],
  top: ['at the top', 'in the upper part', 'near the top'],
  bottom: ['at the bottom', 'in the lower part', 'near the bottom'],
  left: ['on the left', 'on the left side', 'in the left part'],
  right: ['on the right', 'on the right side', 'in the right part'],
  center: ['in the middle', 'in the center', 'in the centre'],
};
const SPATIAL: Record<Direction, readonly string[]> = {
  'left of': ['the {np} left of {a}', 'the {np} to the left of {a}', 'the {np} on the left of {a}', '{np} left of {a}'],
  'right of': [
    'the {np} right of {a}',
    'the {np} to the right of {a}',
    'the {np} on the right of {a}',
    '{np} right of {a}',
  ],
  above: ['the {np} above {a}', 'the {np} over {a}', 'the {np} higher up than {a}'],
  below: ['the {np} below {a}', 'the {np} under {a}', 'the {np} beneath {a}', 'the {np} lower than {a}'],
};
const SIZE_RELATION: Lexicon['sizeRelation'] = {
  larger: {
    two: ['the larger of the two {nps}', 'the bigger of the two {nps}', 'the bigger {np}', 'the {np} that is larger'],
    many: ['the largest {np}', 'the biggest {np}', 'the {np} that is the largest'],
  },
  smaller: {
    two: ['the smaller of the two {nps}', 'the smaller {np}', 'the {np} that is smaller'],
    many: ['the smallest {np}', 'the tiniest {np}', 'the {np} that is the smallest'],
  },
};

/** The tables `rvos sample` has always used: everything the training sets say. */
export const TRAINING_LEXICON: Lexicon = {
  shapes: SHAPE_WORDS,
  sizes: SIZE_WORDS,
  sizeAfter: ['{head} that is {size}'],
  sizeAndColorAfter: ['{head} that is {size} and {color}'],
  motionAfter: MOTION_AFTER,
  motionBefore: MOTION_BEFORE,
  speedAfter: SPEED_AFTER,
  extreme: EXTREME,
  region: REGION,
  spatial: SPATIAL,
  sizeRelation: SIZE_RELATION,
  one: 'one',
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key]);
}

/** A template from a list; a single template is taken without a draw, so the training texts' random stream is kept. */
function template(rng: WordingChoices, list: readonly string[]): string {
  return list.length === 1 ? list[0] : rng.pick(list);
}

/** Noun phrase without article, adjectives before the noun: "small red star", "red one", "shapes". */
function nounPhrase(rng: WordingChoices, lx: Lexicon, base: Base, plural = false): string {
  const adjectives = [base.size && rng.pick(lx.sizes[base.size]), base.color].filter((w): w is string => !!w);
  const [singular, plurals] = rng.pick(lx.shapes[base.shape ?? 'none']);
  const noun =
    base.shape === undefined && adjectives.length > 0 && !plural && rng.chance(0.4)
      ? lx.one
      : plural
        ? plurals
        : singular;
  return [...adjectives, noun].join(' ');
}

function withArticle(rng: WordingChoices, phrase: string, allowIndefinite: boolean): string {
  const r = rng.float();
  if (r < 0.1) return phrase;
  if (allowIndefinite && r < 0.25) return (/^[aeiou]/.test(phrase) ? 'an ' : 'a ') + phrase;
  return 'the ' + phrase;
}

/** Appearance wording, including post-nominal forms ("red star that is small", "the star that is small and red"). */
function describeAppearance(rng: WordingChoices, lx: Lexicon, base: Base): string {
  const form = rng.int(0, 2);
  if (base.size && base.shape && form === 1) {
    const head = nounPhrase(rng, lx, { shape: base.shape, color: base.color });
    const size = rng.pick(lx.sizes[base.size]);
    return withArticle(rng, fill(template(rng, lx.sizeAfter), { head, size }), true);
  }
  if (base.size && base.color && base.shape && form === 2) {
    const head = nounPhrase(rng, lx, { shape: base.shape });
    const size = rng.pick(lx.sizes[base.size]);
    return withArticle(rng, fill(template(rng, lx.sizeAndColorAfter), { head, size, color: base.color }), true);
  }
  return withArticle(rng, nounPhrase(rng, lx, base), true);
}

function describeMotion(
  rng: WordingChoices,
  lx: Lexicon,
  base: Base,
  motion: MotionName,
  speed: SpeedName | undefined,
): string {
  const before = lx.motionBefore[motion];
  // Only without a size word: "the stationary red star", never "the stationary large star".
  if (speed === undefined && before && !base.size && rng.chance(0.35)) {
    return withArticle(rng, `${rng.pick(before)} ${nounPhrase(rng, lx, base)}`, false);
  }
  const after = speed === undefined ? lx.motionAfter[motion] : lx.speedAfter[motion as Straight][speed];
  return withArticle(rng, `${nounPhrase(rng, lx, base)} ${rng.pick(after)}`, false);
}

/** English text for a meaning, in the words of `lx` (default: the training sets'). */
export function describe(rng: WordingChoices, m: Meaning, lx: Lexicon = TRAINING_LEXICON): string {
  switch (m.category) {
    case 'appearance':
      return describeAppearance(rng, lx, m.base);
    case 'motion':
      return describeMotion(rng, lx, m.base, m.motion, m.speed);
    case 'position':
      if (m.position.kind === 'extreme') {
        const form = rng.pick(lx.extreme[m.position.side]);
        const np = nounPhrase(rng, lx, m.base, form.includes('{nps}')); // "of all the circles, the one furthest left"
        return fill(form, { np, nps: np });
      }
      return withArticle(rng, `${nounPhrase(rng, lx, m.base)} ${rng.pick(lx.region[m.position.region])}`, false);
    case 'relation': {
      const rel = m.relation;
      if (rel.kind === 'size') {
        const templates = lx.sizeRelation[rel.which][rel.ofTwo ? 'two' : 'many'];
        return fill(rng.pick(templates), { np: nounPhrase(rng, lx, m.base), nps: nounPhrase(rng, lx, m.base, true) });
      }
      const anchor = `the ${nounPhrase(rng, lx, rel.anchor)}`;
      return fill(rng.pick(lx.spatial[rel.direction]), { np: nounPhrase(rng, lx, m.base), a: anchor });
    }
  }
}
