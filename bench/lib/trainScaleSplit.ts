// A train-scale split for benchmarks and the dev pages: Ref-YouTube-VOS-like videos (20–40 frames, 1–3 objects of
// common categories), expressions with the real valid texts (../shared/data/ref-youtube-vos, repeated) when present,
// else sentences from a small vocabulary, and synthetic runs with per-frame J and F (some expressions fail
// throughout, others on a few frames). Deterministic for a seed.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../src/core/random';
import type { ExpressionScore, SplitScore, Video } from '../../src/core/types';
import { EXPRESSION_WORDS } from './words';

/** Ref-YouTube-VOS train: 3,471 videos, 12,913 expressions. */
export const TRAIN_EXPRESSIONS = 12_913;
export const TRAIN_VIDEOS = 3_471;
export const CATEGORIES = ['appearance', 'position', 'relation', 'motion'];
// Ref-YouTube-VOS object categories (meta.json), the common ones.
const OBJECTS = [
  'person',
  'dog',
  'cat',
  'horse',
  'car',
  'bird',
  'zebra',
  'giraffe',
  'truck',
  'boat',
  'skateboard',
  'duck',
  'sedan',
  'ape',
  'elephant',
];
export const VALID_META = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'ref-youtube-vos',
  'meta_expressions.valid.json',
);

/** Real expression texts when the shared metadata is there, else sentences from a small vocabulary. */
export function expressionTexts(rng: Rng): { texts: string[]; source: string } {
  if (existsSync(VALID_META)) {
    const meta = JSON.parse(readFileSync(VALID_META, 'utf8')) as {
      videos: Record<string, { expressions: Record<string, { exp: string }> }>;
    };
    const texts = Object.values(meta.videos).flatMap((v) => Object.values(v.expressions).map((e) => e.exp));
    return {
      texts,
      source: `${texts.length} real expressions of ${path.relative(process.cwd(), VALID_META)}, repeated`,
    };
  }
  const texts = Array.from({ length: 2_000 }, () =>
    Array.from({ length: rng.int(4, 12) }, () => rng.pick(EXPRESSION_WORDS)).join(' '),
  );
  return { texts, source: `generated (${VALID_META} not found)` };
}

/** `videoCount` videos holding `expressionCount` expressions (round-robin), categories cycling through CATEGORIES. */
export function trainScaleVideos(
  rng: Rng,
  texts: readonly string[],
  expressionCount = TRAIN_EXPRESSIONS,
  videoCount = TRAIN_VIDEOS,
): Map<string, Video> {
  const videos = new Map<string, Video>();
  for (let v = 0; v < videoCount; v++) {
    const id = v.toString(16).padStart(10, '0');
    const frames = Array.from({ length: rng.int(20, 40) }, (_, f) => String(f * 5).padStart(5, '0'));
    const objects: Video['objects'] = {};
    for (let o = 1; o <= rng.int(1, 3); o++)
      objects[String(o)] = { objId: String(o), category: rng.pick(OBJECTS), frames };
    videos.set(id, { id, frames, expressions: [], objects });
  }
  const list = [...videos.values()];
  for (let i = 0; i < expressionCount; i++) {
    const video = list[i % videoCount];
    const objIds = Object.keys(video.objects);
    video.expressions.push({
      expId: String(video.expressions.length),
      text: texts[i % texts.length],
      objId: objIds[i % objIds.length],
      category: CATEGORIES[i % 4],
    });
  }
  return videos;
}

/** A run scoring every expression of `videos`: per-frame J and F around a per-expression skill; means as scoreSplit gives them. */
export function syntheticRun(seed: number, videos: ReadonlyMap<string, Video>): SplitScore {
  const rng = new Rng(seed, 'bench-failures-list');
  const list = [...videos.values()];
  const count = list.reduce((n, v) => n + v.expressions.length, 0);
  const expressions: ExpressionScore[] = [];
  for (let i = 0; i < count; i++) {
    const video = list[i % list.length];
    const exp = video.expressions[Math.floor(i / list.length)];
    const skill = rng.float(); // some expressions fail throughout, others only on a few frames
    const frames = video.frames.map((frame) => {
      const J = Math.min(1, Math.max(0, skill + rng.range(-0.3, 0.3)));
      const F = Math.min(1, Math.max(0, J + rng.range(-0.15, 0.15)));
      return { frame, J, F, missing: false };
    });
    const J = frames.reduce((s, f) => s + f.J, 0) / frames.length;
    const F = frames.reduce((s, f) => s + f.F, 0) / frames.length;
    expressions.push({
      video: video.id,
      expId: exp.expId,
      expression: exp.text,
      category: exp.category,
      J,
      F,
      JF: (J + F) / 2,
      frames,
    });
  }
  const J = expressions.reduce((s, e) => s + e.J, 0) / Math.max(1, count);
  const F = expressions.reduce((s, e) => s + e.F, 0) / Math.max(1, count);
  return { J, F, JF: (J + F) / 2, expressions };
}
