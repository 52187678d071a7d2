// Symbolic audit of generated expressions: which meanings can a text be read as, and which objects of its clip do
// those readings pick out? A text is ambiguous when some reading of it (any meaning the wording can produce that
// reads the same words) is satisfied by an object set other than its target alone. The generator checks meanings;
// this checks the words, so a synonym or template shared by two meanings cannot slip through.

import type { Category } from './expressions';
import { possibleMeanings, type PlannedExpression } from './expressions';
import type { ObjectFacts } from './facts';
import { referents, type Meaning } from './meaning';
import { centreX, centreY, type ClipPlan } from './scene';
import { describe, TRAINING_LEXICON, type Lexicon, type WordingChoices } from './wording';

/**
 * Values `float()` returns while enumerating: one on each side of withArticle's thresholds (0.1, 0.25), its only
 * float draw. The test "allWordings covers what describe samples" fails if another threshold appears.
 */
const FLOAT_PROBES = [0.05, 0.2, 0.9];

/** Replays a fixed list of choice indices, records how many options each choice point had, then takes option 0. */
class ScriptedChoices implements WordingChoices {
  readonly arity: number[] = [];
  private at = 0;

  constructor(private readonly script: readonly number[]) {}

  private next(options: number): number {
    const i = this.at++;
    this.arity[i] = options;
    return i < this.script.length ? this.script[i] : 0;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.next(items.length)];
  }

  chance(): boolean {
    return this.next(2) === 1;
  }

  int(lo: number, hi: number): number {
    return lo + this.next(hi - lo + 1);
  }

  float(): number {
    return FLOAT_PROBES[this.next(FLOAT_PROBES.length)];
  }
}

/** Every text `describe` can produce for a meaning in `lx` (depth-first over all outcomes of its random choices). */
export function allWordings(m: Meaning, lx: Lexicon = TRAINING_LEXICON): Set<string> {
  const texts = new Set<string>();
  let script: number[] = [];
  for (;;) {
    const choices = new ScriptedChoices(script);
    texts.add(describe(choices, m, lx));
    // Odometer over the choice points this run visited: advance the last one that has options left.
    const path = choices.arity.map((_, i) => (i < script.length ? script[i] : 0));
    let i = path.length - 1;
    while (i >= 0 && path[i] + 1 >= choices.arity[i]) i--;
    if (i < 0) return texts;
    script = [...path.slice(0, i), path[i] + 1];
  }
}

const wordingCache = new WeakMap<Lexicon, Map<string, Set<string>>>();

function cachedWordings(m: Meaning, lx: Lexicon): Set<string> {
  let byMeaning = wordingCache.get(lx);
  if (!byMeaning) wordingCache.set(lx, (byMeaning = new Map<string, Set<string>>()));
  const key = JSON.stringify(m);
  let texts = byMeaning.get(key);
  if (!texts) byMeaning.set(key, (texts = allWordings(m, lx)));
  return texts;
}

export interface ExpressionAudit {
  text: string;
  objId: number;
  category: Category;
  /** Object sets (sorted ids, non-empty) that the text's readings pick out. */
  readings: number[][];
  /** True when some reading picks out anything other than the target alone. */
  ambiguous: boolean;
}

/**
 * Audits one clip's expressions (worded in `lx`) against its facts: every meaning considered for any object is a
 * possible reading.
 */
export function auditClip(
  facts: readonly ObjectFacts[],
  expressions: readonly PlannedExpression[],
  lx: Lexicon = TRAINING_LEXICON,
): ExpressionAudit[] {
  const meanings = facts.flatMap((o) => possibleMeanings(o, facts));
  return expressions.map((e) => {
    const sets = new Map<string, number[]>();
    for (const m of meanings) {
      if (!cachedWordings(m, lx).has(e.text)) continue;
      const ids = referents(m, facts).sort((a, b) => a - b);
      if (ids.length > 0) sets.set(ids.join(','), ids);
    }
    const readings = [...sets.values()];
    const ambiguous = readings.some((ids) => ids.length !== 1 || ids[0] !== e.objId);
    return { text: e.text, objId: e.objId, category: e.meaning.category, readings, ambiguous };
  });
}

/**
 * Frames where a position or relation expression does not pick out its target alone when judged on that frame's
 * positions of the objects visible in it (the generator judges the clip's mean positions). Motion is a clip-level
 * fact and appearance does not change, so both have none. Returns the frame indices, among those showing the target.
 */
export function framesContradicting(plan: ClipPlan, facts: readonly ObjectFacts[], e: PlannedExpression): number[] {
  if (e.meaning.category !== 'position' && e.meaning.category !== 'relation') return [];
  const target = facts.find((o) => o.id === e.objId);
  if (!target) return [];
  return target.visibleFrames.filter((f) => {
    const seen = plan.objects.flatMap((p, i) =>
      facts[i].visibleFrames.includes(f)
        ? [
            {
              ...facts[i],
              x: centreX(p, plan.times[f], plan.width) / plan.width,
              y: centreY(p, plan.times[f], plan.height) / plan.height,
            },
          ]
        : [],
    );
    const ids = referents(e.meaning, seen);
    return !(ids.length === 1 && ids[0] === e.objId);
  });
}
