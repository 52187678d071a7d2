// One complete Ref-Shapes clip: plan → render → observe → expressions, retried with fresh draws until every object
// is visible enough, moves as planned (bouncers really bounce within the clip) and can be referred to uniquely.

import { Rng } from '../random';
import { chooseExpressions, type PlannedExpression } from './expressions';
import { observeObjects, type ObjectFacts } from './facts';
import type { ClipRenderer, RenderedClip } from './render';
import { planClip, type ClipPlan } from './scene';

export interface Clip {
  plan: ClipPlan;
  facts: ObjectFacts[];
  expressions: PlannedExpression[];
  rendered: RenderedClip;
}

const MAX_ATTEMPTS = 500;

/** An object must be well visible (≥ 35% of its unoccluded in-frame area) in at least this share of the frames. */
const MIN_VISIBLE_SHARE = 0.4;
const MIN_VISIBLE_FRACTION = 0.35;

function visibleEnough(plan: ClipPlan, rendered: RenderedClip): boolean {
  const needed = Math.max(2, Math.ceil(MIN_VISIBLE_SHARE * plan.frames.length));
  return plan.objects.every((o) => {
    let full = 0;
    for (const counts of rendered.inFramePixels) full = Math.max(full, counts[o.id]);
    const good = rendered.visiblePixels.filter(
      (counts) => counts[o.id] > 0 && counts[o.id] >= MIN_VISIBLE_FRACTION * full,
    ).length;
    return good >= needed;
  });
}

function movesAsPlanned(plan: ClipPlan, facts: ObjectFacts[]): boolean {
  return plan.objects.every((o, i) => {
    const seen = facts[i];
    if (seen.motion !== o.motion) return false;
    return seen.speed === null || seen.speed === o.speed;
  });
}

/** Builds clip `index` of the dataset with seed `seed`; depends only on (seed, index) and the frame size. */
export function buildClip(seed: number, index: number, renderer: ClipRenderer): Clip {
  const rng = new Rng(seed, 'clip', index);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const plan = planClip(rng, renderer.width, renderer.height);
    const rendered = renderer.render(rng, plan);
    if (!visibleEnough(plan, rendered)) continue;
    const facts = observeObjects(plan, rendered.visiblePixels);
    if (!movesAsPlanned(plan, facts)) continue;
    const usedTexts = new Set<string>();
    const perObject = facts.map((o) => chooseExpressions(rng, o, facts, usedTexts));
    if (perObject.some((list) => list.length === 0)) continue;
    return { plan, facts, expressions: perObject.flat(), rendered };
  }
  throw new Error(`Ref-Shapes could not build clip ${index} (seed ${seed}) at ${renderer.width}×${renderer.height}`);
}

/** Video id: 10 lowercase hex digits from (seed, index), never all digits (so JSON key order stays as written). */
export function videoId(seed: number, index: number, taken: ReadonlySet<string>): string {
  const rng = new Rng(seed, 'video-id', index);
  for (;;) {
    const id = rng.hex(10);
    if (/[a-f]/.test(id) && !taken.has(id)) return id;
  }
}
