// Frames that meta_expressions.json lists but whose annotation PNG is missing are left out of the scores (as in the
// DAVIS evaluation); the user should still hear about them, since in a complete split every listed frame is annotated.

import * as path from 'node:path';
import type { Dataset } from '../core/dataset';
import type { DatasetProblem, SplitScore } from '../core/types';

const NAMES_SHOWN = 5;

/** One problem per scored video with listed frames that have no annotation file, read off the scores (no disk access). */
export function unannotatedFrames(ds: Dataset, score: SplitScore, videoIds: readonly string[] = ds.videos.map((v) => v.id)): DatasetProblem[] {
  const annotated = new Map<string, Set<string>>();
  for (const e of score.expressions) {
    let set = annotated.get(e.video);
    if (!set) annotated.set(e.video, (set = new Set()));
    for (const f of e.frames) set.add(f.frame);
  }
  const problems: DatasetProblem[] = [];
  for (const id of videoIds) {
    const video = ds.videoById.get(id);
    if (!video || !video.expressions.some((e) => e.objId !== undefined)) continue; // nothing to score there anyway
    const have = annotated.get(id);
    const missing = video.frames.filter((f) => !have?.has(f));
    if (missing.length === 0) continue;
    const names = missing.slice(0, NAMES_SHOWN).map((f) => `${f}.png`).join(', ') + (missing.length > NAMES_SHOWN ? ', …' : '');
    problems.push({
      file: path.join(ds.root, ds.split, 'Annotations', id),
      video: id,
      message: `${missing.length} of ${video.frames.length} frames listed in meta_expressions.json have no annotation file, not scored: ${names}`,
    });
  }
  return problems;
}
