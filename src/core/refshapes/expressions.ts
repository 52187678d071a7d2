// Chooses 1–3 referring expressions per object: enumerates candidate meanings, keeps those that refer to the target
// alone (see meaning.ts), and picks across categories with motion favoured, so that motion makes up at least a
// quarter of all expressions. Motion, position and relation expressions are only used where appearance alone is
// ambiguous (their appearance part matches several objects), so that a model has to use the video and the language.

import type { Rng } from '../random';
import type { ObjectFacts } from './facts';
import { matchesBase, refersOnlyTo, type Base, type Direction, type Meaning, type Region, type Side } from './meaning';
import { describe } from './wording';

export type Category = Meaning['category'];

export interface PlannedExpression {
  objId: number;
  text: string;
  meaning: Meaning;
}

const SIDES: readonly Side[] = ['left', 'right', 'top', 'bottom'];
const REGIONS: readonly Region[] = [
  'top left',
  'top right',
  'bottom left',
  'bottom right',
  'top',
  'bottom',
  'left',
  'right',
  'center',
];
const DIRECTIONS: readonly Direction[] = ['left of', 'right of', 'above', 'below'];
const CATEGORY_WEIGHT: Record<Category, number> = { motion: 3, position: 1.5, relation: 1.5, appearance: 1 };

/** All subsets of the object's appearance attributes (shape, colour, size), smallest first. */
function basesOf(o: ObjectFacts): Base[] {
  const out: Base[] = [];
  for (let mask = 0; mask < 8; mask++) {
    out.push({
      ...(mask & 1 ? { shape: o.shape } : {}),
      ...(mask & 2 ? { color: o.color } : {}),
      ...(mask & 4 ? { size: o.size } : {}),
    });
  }
  return out;
}

function attributeCount(b: Base): number {
  return (b.shape ? 1 : 0) + (b.color ? 1 : 0) + (b.size ? 1 : 0);
}

/** Every meaning that could describe `target` and refers to it alone among `all`. */
export function candidateMeanings(target: ObjectFacts, all: readonly ObjectFacts[]): Meaning[] {
  return possibleMeanings(target, all).filter((m) => refersOnlyTo(m, target, all));
}

/** Every meaning the generator considers for `target`, before the uniqueness filter. */
export function possibleMeanings(target: ObjectFacts, all: readonly ObjectFacts[]): Meaning[] {
  const out: Meaning[] = [];
  const count = (b: Base) => all.filter((o) => matchesBase(b, o)).length;
  const bases = basesOf(target);
  for (const base of bases) {
    if (attributeCount(base) > 0) out.push({ category: 'appearance', base });
    if (attributeCount(base) > 2) continue; // keep the compound expressions readable
    const matching = count(base);
    if (matching < 2) continue; // appearance alone already decides: no motion/position/relation needed
    if (target.motion !== 'other') {
      out.push({ category: 'motion', base, motion: target.motion });
      if (target.speed) out.push({ category: 'motion', base, motion: target.motion, speed: target.speed });
    }
    for (const side of SIDES) out.push({ category: 'position', base, position: { kind: 'extreme', side } });
    for (const region of REGIONS) out.push({ category: 'position', base, position: { kind: 'region', region } });
    if (!base.size) {
      for (const which of ['larger', 'smaller'] as const)
        out.push({ category: 'relation', base, relation: { kind: 'size', which, ofTwo: matching === 2 } });
    }
    for (const other of all) {
      if (other.id === target.id) continue;
      // The anchor is named by the fewest attributes that single it out (always with its shape noun).
      const anchor = basesOf(other).find((b) => b.shape !== undefined && count(b) === 1);
      if (!anchor) continue;
      for (const direction of DIRECTIONS)
        out.push({ category: 'relation', base, relation: { kind: 'spatial', direction, anchor } });
    }
  }
  return out;
}

/** 1–3 expressions for one object (none when no meaning singles it out), with distinct texts. */
export function chooseExpressions(
  rng: Rng,
  target: ObjectFacts,
  all: readonly ObjectFacts[],
  usedTexts: Set<string>,
): PlannedExpression[] {
  const byCategory = new Map<Category, Meaning[]>();
  for (const m of candidateMeanings(target, all)) {
    const list = byCategory.get(m.category) ?? [];
    list.push(m);
    byCategory.set(m.category, list);
  }
  const wanted = rng.weighted([1, 2, 3], [0.3, 0.4, 0.3]);
  const weights = new Map<Category, number>([...byCategory.keys()].map((c) => [c, CATEGORY_WEIGHT[c]]));
  const chosen: PlannedExpression[] = [];
  for (let attempt = 0; chosen.length < wanted && byCategory.size > 0 && attempt < 12; attempt++) {
    const categories = [...byCategory.keys()].sort(); // fixed order: Map order depends on enumeration, keep it explicit
    const category = rng.weighted(
      categories,
      categories.map((c) => weights.get(c) ?? 0),
    );
    const options = byCategory.get(category)!;
    const meaning = options.splice(rng.int(0, options.length - 1), 1)[0];
    if (options.length === 0) byCategory.delete(category);
    weights.set(category, (weights.get(category) ?? 0) / 3); // prefer a different category next
    const text = describe(rng, meaning);
    if (usedTexts.has(text)) continue;
    usedTexts.add(text);
    chosen.push({ objId: target.id, text, meaning });
  }
  return chosen;
}
