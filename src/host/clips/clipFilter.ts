// The Clips view filter: case-insensitive words that must all appear in the video id or in one expression's text.
// A clip matches when its id matches, or when some expression matches; then only the matching expressions are shown
// (all of them when the id itself matched).

import type { Expression, Video } from '../../core/types';

export interface ClipFilter {
  /** The text as typed, shown in the view's message. */
  text: string;
  words: string[];
}

/** Parses the typed text; undefined for an empty filter (= show everything). */
export function parseFilter(text: string): ClipFilter | undefined {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return words.length === 0 ? undefined : { text: text.trim(), words };
}

function matchesAll(haystack: string, words: string[]): boolean {
  const h = haystack.toLowerCase();
  return words.every((w) => h.includes(w));
}

/** Expressions of `video` to show under the filter, or undefined when the clip is filtered out. */
export function filterClip(video: Video, filter: ClipFilter | undefined): Expression[] | undefined {
  if (!filter || matchesAll(video.id, filter.words)) return video.expressions;
  const hits = video.expressions.filter((e) => matchesAll(`${video.id} ${e.text}`, filter.words));
  return hits.length > 0 ? hits : undefined;
}

/** The clips that pass the filter, each with the expressions to show, in dataset order. */
export function filterClips(
  videos: Video[],
  filter: ClipFilter | undefined,
): { video: Video; expressions: Expression[] }[] {
  const out: { video: Video; expressions: Expression[] }[] = [];
  for (const video of videos) {
    const expressions = filterClip(video, filter);
    if (expressions) out.push({ video, expressions });
  }
  return out;
}
