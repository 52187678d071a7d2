// A held-out lexicon for measuring the language side's generalisation (issue 19): the same meanings as the training
// wording, said with templates, synonyms and word orders the training sets never contain — the case of a user typing
// an expression in their own words. `rvos sample --wording novel` writes the same clips and referents as the default
// wording with these texts instead; a unit test checks that no novel text is one the training lexicon can produce.
// Colour names stay: they are the attribute itself, and a model with a closed vocabulary cannot learn a synonym of it.

import { Rng } from '../random';
import type { Meaning } from './meaning';
import { describe, type Lexicon } from './wording';

/** The wordings `rvos sample --wording` writes: the training one, or this held-out lexicon. */
export const WORDINGS = ['training', 'novel'] as const;
export type Wording = (typeof WORDINGS)[number];

export const NOVEL_LEXICON: Lexicon = {
  shapes: {
    circle: [
      ['dot', 'dots'],
      ['round shape', 'round shapes'],
    ],
    square: [
      ['block', 'blocks'],
      ['tile', 'tiles'],
    ],
    triangle: [
      ['wedge', 'wedges'],
      ['three-sided shape', 'three-sided shapes'],
    ],
    star: [
      ['five-pointed star', 'five-pointed stars'],
      ['starlike shape', 'starlike shapes'],
    ],
    ring: [
      ['loop', 'loops'],
      ['annulus', 'annuli'],
    ],
    hexagon: [
      ['six-sided shape', 'six-sided shapes'],
      ['hex', 'hexes'],
    ],
    cross: [
      ['plus', 'pluses'],
      ['cross shape', 'cross shapes'],
    ],
    diamond: [
      ['lozenge', 'lozenges'],
      ['diamond shape', 'diamond shapes'],
    ],
    none: [
      ['item', 'items'],
      ['figure', 'figures'],
    ],
  },
  sizes: {
    small: ['smallish', 'mini', 'petite'],
    medium: ['average-sized', 'middle-sized', 'moderately sized'],
    large: ['giant', 'massive', 'oversized'],
  },
  sizeAfter: ['{head} of {size} size', '{head}, {size} in size'],
  sizeAndColorAfter: ['{head} coloured {color}, {size} in size', '{size} {head} painted {color}'],
  motionAfter: {
    still: ['that never moves', 'sitting still', 'remaining in one spot', 'that stays put'],
    bouncing: ['ricocheting off the walls', 'that bounces back and forth', 'rebounding off the sides'],
    left: ['heading leftwards', 'travelling leftward', 'that drifts towards the left', 'going in the left direction'],
    right: [
      'heading rightwards',
      'travelling rightward',
      'that drifts towards the right',
      'going in the right direction',
    ],
    up: ['climbing', 'ascending', 'heading upward', 'that rises towards the top'],
    down: ['descending', 'dropping', 'heading downward', 'that sinks towards the bottom'],
  },
  motionBefore: { still: ['immobile', 'unmoving'], bouncing: ['ricocheting'] },
  speedAfter: {
    left: {
      slow: ['creeping leftwards', 'drifting leftward at a slow pace'],
      fast: ['racing leftwards', 'zooming off to the left'],
    },
    right: {
      slow: ['creeping rightwards', 'drifting rightward at a slow pace'],
      fast: ['racing rightwards', 'zooming off to the right'],
    },
    up: { slow: ['climbing at a slow pace', 'creeping upward'], fast: ['climbing rapidly', 'zooming upward'] },
    down: { slow: ['descending at a slow pace', 'creeping downward'], fast: ['descending rapidly', 'plummeting'] },
  },
  extreme: {
    left: ['of all the {nps}, the one furthest left', 'the {np} nearest the left edge', 'the most leftward {np}'],
    right: ['of all the {nps}, the one furthest right', 'the {np} nearest the right edge', 'the most rightward {np}'],
    top: ['of all the {nps}, the one nearest the top', 'the {np} nearest the top edge', 'the most upward {np}'],
    bottom: [
      'of all the {nps}, the one nearest the bottom',
      'the {np} nearest the bottom edge',
      'the most downward {np}',
    ],
  },
  region: {
    'top left': ['located up in the left corner', 'sitting in the upper-left area'],
    'top right': ['located up in the right corner', 'sitting in the upper-right area'],
    'bottom left': ['located down in the left corner', 'sitting in the lower-left area'],
    'bottom right': ['located down in the right corner', 'sitting in the lower-right area'],
    top: ['located up high', 'sitting in the upper area'],
    bottom: ['located down low', 'sitting in the lower area'],
    left: ['located on the left-hand side', 'sitting in the left area'],
    right: ['located on the right-hand side', 'sitting in the right area'],
    center: ['located in the central area', 'sitting at the centre of the frame'],
  },
  spatial: {
    'left of': ['the {np} positioned to the left of {a}', 'the {np} that has {a} on its right'],
    'right of': ['the {np} positioned to the right of {a}', 'the {np} that has {a} on its left'],
    above: ['the {np} positioned higher than {a}', 'the {np} that has {a} beneath it'],
    below: ['the {np} positioned lower than {a}', 'the {np} that has {a} above it'],
  },
  sizeRelation: {
    larger: {
      two: ['of the two {nps}, the bigger one', 'the {np} of greater size'],
      many: ['of all the {nps}, the biggest one', 'the {np} of greatest size'],
    },
    smaller: {
      two: ['of the two {nps}, the smaller one', 'the {np} of lesser size'],
      many: ['of all the {nps}, the smallest one', 'the {np} of least size'],
    },
  },
  one: 'item',
};

/**
 * The novel-wording text of expression `k` of clip `index` (seed `seed`): its own random stream, so the clip and its
 * meanings are exactly those of the default wording; retried until the text is not one already used in the clip.
 */
export function novelText(seed: number, index: number, k: number, meaning: Meaning, used: ReadonlySet<string>): string {
  const rng = new Rng(seed, 'novel-wording', index, k);
  let text = describe(rng, meaning, NOVEL_LEXICON);
  for (let attempt = 0; used.has(text) && attempt < 50; attempt++) text = describe(rng, meaning, NOVEL_LEXICON);
  return text;
}
