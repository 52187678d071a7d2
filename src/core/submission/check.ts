// Submission preflight: everything an evaluation server would reject or mis-score in a prediction folder or zip,
// against the split it is for — the wrong root, missing videos, expressions or frames, files that are not PNGs or
// not binary, masks of another size than their frames, zip entries that would leave their folder.

import type { Dataset } from '../dataset';
import { InputError } from '../errors';
import { decodePng } from '../png';
import type { SubmissionEntry } from './entries';
import type { SubmissionLayout } from './layouts';

export interface SubmissionProblem {
  where: string;
  problem: string;
}

export interface SubmissionSource {
  /** The folder or zip, for messages. */
  path: string;
  isZip: boolean;
  entries: SubmissionEntry[];
  /** Entries refused by name (zip only). */
  unsafe: SubmissionProblem[];
}

export interface CheckOptions {
  layout: SubmissionLayout;
  /** The size of a video's frames, or undefined when unknown (then sizes are not compared). */
  frameSize(video: string): Promise<{ width: number; height: number } | undefined>;
}

const NAMES_SHOWN = 5;

/**
 * The prefix `<video>/` sits under in the names: the first name with a video of the split at a depth that leaves room
 * for `<exp_id>/<frame>.png` after it, or undefined when no name has one.
 */
function videoRootOf(names: string[], ds: Dataset): string | undefined {
  for (const name of names) {
    const parts = name.split('/');
    for (let k = 0; k + 3 <= parts.length; k++)
      if (ds.videoById.has(parts[k])) return parts.slice(0, k).join('/') + (k > 0 ? '/' : '');
  }
  return undefined;
}

/** The prefix the masks sit under in `source`, or a problem saying where the root is wrong. */
function maskPrefix(
  ds: Dataset,
  source: SubmissionSource,
  layout: SubmissionLayout,
): { prefix: string; problem?: SubmissionProblem } {
  const { prefix, root } = layout;
  const names = source.entries.map((e) => e.name);
  // A folder may be the run folder or its Annotations folder (as `rvos score --pred` takes it); a zip must be exact.
  if (
    !source.isZip &&
    prefix !== '' &&
    !names.some((n) => n.startsWith(prefix)) &&
    /(^|[/\\])Annotations[/\\]?$/.test(source.path)
  )
    return { prefix: '' };
  const holdsVideos = names.some((n) => n.startsWith(prefix) && ds.videoById.has(n.slice(prefix.length).split('/')[0]));
  const found = holdsVideos ? prefix : videoRootOf(names, ds);
  if (found === undefined || found === prefix) {
    if (prefix === '' || names.some((n) => n.startsWith(prefix))) return { prefix };
    return {
      prefix,
      problem: { where: source.path, problem: `wrong root: there is no ${prefix} folder; the server wants ${root}` },
    };
  }
  const where = found === '' ? 'the video folders are at the root' : `the masks are under ${found}`;
  return { prefix: found, problem: { where: source.path, problem: `wrong root: ${where}; the server wants ${root}` } };
}

function listNames(names: string[]): string {
  return names.slice(0, NAMES_SHOWN).join(', ') + (names.length > NAMES_SHOWN ? ', …' : '');
}

/** Distinct sample values of a decoded PNG, stopping at 3 (binary means at most 2). */
function distinctValues(samples: ArrayLike<number>): number {
  const seen = new Set<number>();
  for (let i = 0; i < samples.length && seen.size < 3; i++) seen.add(samples[i]);
  return seen.size;
}

/** Every problem of `source` as a submission for `ds` (empty: the server would take it as it is). */
export async function checkSubmission(
  ds: Dataset,
  source: SubmissionSource,
  options: CheckOptions,
): Promise<SubmissionProblem[]> {
  const problems: SubmissionProblem[] = [...source.unsafe];
  const { prefix, problem } = maskPrefix(ds, source, options.layout);
  if (problem) problems.push(problem);
  const at = (name: string) => (source.isZip ? `${source.path}:${name}` : `${source.path}/${name}`);

  const byName = new Map<string, SubmissionEntry>();
  for (const e of source.entries) {
    if (!e.name.startsWith(prefix)) continue;
    const rel = e.name.slice(prefix.length);
    const parts = rel.split('/');
    if (!rel.endsWith('.png'))
      problems.push({
        where: e.where,
        problem: 'not a PNG file name; the server reads only <video>/<exp_id>/<frame>.png',
      });
    else if (parts.length !== 3) problems.push({ where: e.where, problem: 'not at <video>/<exp_id>/<frame>.png' });
    else if (!ds.videoById.has(parts[0]))
      problems.push({ where: e.where, problem: `video ${parts[0]} is not in split "${ds.split}"` });
    else byName.set(rel, e);
  }

  for (const video of ds.videos) {
    const videoDir = `${prefix}${video.id}/`;
    if (!source.entries.some((e) => e.name.startsWith(videoDir))) {
      problems.push({
        where: at(videoDir),
        problem: `missing video: no masks for its ${video.expressions.length} expressions`,
      });
      continue;
    }
    const size = await options.frameSize(video.id);
    for (const e of video.expressions) {
      const expDir = `${video.id}/${e.expId}/`;
      const missing = video.frames.filter((f) => !byName.has(`${expDir}${f}.png`));
      if (missing.length === video.frames.length) {
        problems.push({
          where: at(prefix + expDir),
          problem: `missing expression: no masks for its ${video.frames.length} frames`,
        });
        continue;
      }
      if (missing.length > 0) {
        problems.push({
          where: at(prefix + expDir),
          problem: `${missing.length} of ${video.frames.length} frames missing: ${listNames(missing.map((f) => `${f}.png`))}`,
        });
      }
      for (const frame of video.frames) {
        const entry = byName.get(`${expDir}${frame}.png`);
        if (entry) problems.push(...(await checkMask(entry, size)));
      }
    }
  }
  return problems;
}

async function checkMask(
  entry: SubmissionEntry,
  size: { width: number; height: number } | undefined,
): Promise<SubmissionProblem[]> {
  try {
    const png = decodePng(await entry.read(), entry.where);
    const out: SubmissionProblem[] = [];
    if (size && (png.width !== size.width || png.height !== size.height)) {
      out.push({
        where: entry.where,
        problem: `mask is ${png.width}×${png.height} but the frames are ${size.width}×${size.height}`,
      });
    }
    const values = distinctValues(png.samples);
    if (values > 2)
      out.push({
        where: entry.where,
        problem: 'not binary: more than 2 distinct pixel values (expected 0 and one foreground value)',
      });
    return out;
  } catch (err) {
    if (err instanceof InputError) return [{ where: entry.where, problem: err.problem }];
    throw err;
  }
}
