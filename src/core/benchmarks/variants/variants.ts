// "Why is my number different?": the same per-frame J and F re-aggregated under the protocol choices that move
// published numbers, and over the subsets papers report separately. Pure: the caller collects the frames once.
//
// Rows (each: J, F, J&F, and the J&F difference to the official row):
//   official                  the benchmark's own rule (given as `official`)
//   all frames                every listed frame; an unannotated frame is an empty ground truth (MeViS, ReVOS)
//   annotated frames only     frames with a ground-truth annotation (Ref-YouTube-VOS)
//   first/last dropped        annotated frames without the video's first and last (DAVIS semi-supervised)
//   per object                expressions of the same object averaged first, then objects
//   target frames only        frames whose ground truth is empty are left out instead of scoring 1 or 0
// and, under the official rule, one row per subset that has expressions (no target / with target, one object /
// several, plus the benchmark's own tags such as Ref-DAVIS17 first-frame vs full-video, ReVOS referring/reasoning).

import { numpyMean } from '../davis17/numpyStats';

export interface FrameRecord {
  frame: string;
  /** False for listed frames without a ground-truth annotation. */
  annotated: boolean;
  /** Ground truth has no target pixel in this frame (always true where not annotated). */
  gtEmpty: boolean;
  /** J and F of the frame (for an unannotated frame: 1 when the prediction is empty, else 0). */
  J: number;
  F: number;
}

export interface ExpressionFrames {
  video: string;
  expId: string;
  /** Key of the referred object(s), e.g. `<video>/<obj_id>`, for per-object averaging. */
  objectKey: string;
  /** How many objects the expression refers to. */
  targets: number;
  /** The benchmark's subset names this expression belongs to ("first-frame", "reasoning", …). */
  tags: string[];
  frames: FrameRecord[];
}

export type FrameRule = 'annotated' | 'all';

export interface VariantRow {
  name: string;
  kind: 'protocol' | 'subset';
  expressions: number;
  J: number;
  F: number;
  JF: number;
  /** J&F of this row minus the official J&F (NaN when the row has no expression). */
  delta: number;
}

type Selector = (e: ExpressionFrames) => FrameRecord[];

const annotated: Selector = (e) => e.frames.filter((f) => f.annotated);
const allFrames: Selector = (e) => e.frames;
const dropEnds: Selector = (e) => annotated({ ...e, frames: e.frames.slice(1, -1) });
const targetFrames: Selector = (e) => e.frames.filter((f) => f.annotated && !f.gtEmpty);

/** Per-expression means over the selected frames; expressions with none are left out (as Ref-YouTube-VOS does). */
function expressionMeans(
  expressions: readonly ExpressionFrames[],
  select: Selector,
): { e: ExpressionFrames; J: number; F: number }[] {
  const out = [];
  for (const e of expressions) {
    const frames = select(e);
    if (frames.length === 0) continue;
    out.push({ e, J: numpyMean(frames.map((f) => f.J)), F: numpyMean(frames.map((f) => f.F)) });
  }
  return out;
}

function row(name: string, kind: VariantRow['kind'], means: { J: number; F: number }[]): Omit<VariantRow, 'delta'> {
  const J = numpyMean(means.map((m) => m.J));
  const F = numpyMean(means.map((m) => m.F));
  return { name, kind, expressions: means.length, J, F, JF: (J + F) / 2 };
}

function perObject(means: { e: ExpressionFrames; J: number; F: number }[]): { J: number; F: number }[] {
  const groups = new Map<string, { J: number[]; F: number[] }>();
  for (const m of means) {
    const g = groups.get(m.e.objectKey) ?? { J: [], F: [] };
    g.J.push(m.J);
    g.F.push(m.F);
    groups.set(m.e.objectKey, g);
  }
  return [...groups.values()].map((g) => ({ J: numpyMean(g.J), F: numpyMean(g.F) }));
}

/**
 * All variant and subset rows for one scored run. `officialNumber`: the benchmark's own number when its script does
 * not average expressions plainly (ReVOS: the mean of the referring and reasoning means); the other rows stay plain
 * means over expressions.
 */
export function variantTable(
  expressions: readonly ExpressionFrames[],
  official: FrameRule,
  officialNumber?: { J: number; F: number; expressions: number },
): VariantRow[] {
  const officialSelect = official === 'all' ? allFrames : annotated;
  const officialMeans = expressionMeans(expressions, officialSelect);
  const officialRow = officialNumber
    ? { name: 'official', kind: 'protocol' as const, ...officialNumber, JF: (officialNumber.J + officialNumber.F) / 2 }
    : row('official', 'protocol', officialMeans);
  const rows: Omit<VariantRow, 'delta'>[] = [
    officialRow,
    row('all frames', 'protocol', expressionMeans(expressions, allFrames)),
    row('annotated frames only', 'protocol', expressionMeans(expressions, annotated)),
    row('first/last frame dropped', 'protocol', expressionMeans(expressions, dropEnds)),
    row('per object', 'protocol', perObject(officialMeans)),
    row('target frames only', 'protocol', expressionMeans(expressions, targetFrames)),
  ];
  const subsets: [string, (e: ExpressionFrames) => boolean][] = [
    ['no target', (e) => e.frames.every((f) => f.gtEmpty)],
    ['with target', (e) => e.frames.some((f) => !f.gtEmpty)],
    ['one object', (e) => e.targets === 1],
    ['several objects', (e) => e.targets > 1],
  ];
  const tags = [...new Set(expressions.flatMap((e) => e.tags))];
  for (const tag of tags) subsets.push([tag, (e) => e.tags.includes(tag)]);
  for (const [name, keep] of subsets) {
    const means = officialMeans.filter((m) => keep(m.e));
    if (means.length > 0) rows.push(row(name, 'subset', means));
  }
  const base = rows[0].JF;
  return rows.map((r) => ({ ...r, delta: r.JF - base }));
}
