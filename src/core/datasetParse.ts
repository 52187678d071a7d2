// Turns the parsed JSON of meta_expressions.json and meta.json into videos. Damage local to one video becomes a
// DatasetProblem (the video is kept when still usable); only a file that is unusable as a whole throws.

import { InputError } from './errors';
import { countKeyTokens, findDuplicateKeys } from './json';
import { unsafeIdPathReason, unsafeSegmentReason } from './safePath';
import type { DatasetProblem, Expression, Video, VideoObject } from './types';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/** The `videos` object of a metadata file; a file without one is unusable. */
export function videosOf(json: unknown, file: string): Json {
  if (!isObject(json))
    throw new InputError(file, `top level is ${typeName(json)}; expected an object with a "videos" key`);
  if (!('videos' in json)) throw new InputError(file, 'no "videos" key at the top level');
  if (!isObject(json.videos)) throw new InputError(file, `"videos" is ${typeName(json.videos)}; expected an object`);
  return json.videos;
}

function isNumericId(id: string): boolean {
  return /^\d+$/.test(id);
}

/** Numeric order for "0", "1", "10"; ids that are not numbers go last, by text. */
function compareExpIds(a: string, b: string): number {
  const fa = isNumericId(a);
  const fb = isNumericId(b);
  if (fa && fb) return Number(a) - Number(b) || a.length - b.length; // "3" before "03": the plain form wins
  if (fa !== fb) return fa ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Names made of letters, digits, '_' and '-' only: always safe as a path segment. */
const PLAIN_NAME = /^[\w-]+$/;

/** True when every entry is a plain name and the list is strictly increasing (so no name repeats). */
function isPlainIncreasing(list: unknown[]): list is string[] {
  let prev = '';
  for (let i = 0; i < list.length; i++) {
    const f = list[i];
    if (typeof f !== 'string' || !PLAIN_NAME.test(f) || (i > 0 && !(f > prev))) return false;
    prev = f;
  }
  return true;
}

/** Frame names of a video: strings that are plain file names, each once. Takes over the parsed array when valid. */
function parseFrames(value: unknown, report: (message: string) => void): string[] | undefined {
  if (value === undefined) {
    report('no "frames" list; video skipped');
    return undefined;
  }
  if (!Array.isArray(value)) {
    report(`"frames" is ${typeName(value)}; expected a list of frame names; video skipped`);
    return undefined;
  }
  if (isPlainIncreasing(value)) return value; // the usual case, checked without allocating
  const frames: string[] = [];
  const seen = new Set<string>();
  for (const [i, f] of value.entries()) {
    if (typeof f !== 'string') {
      report(`frames[${i}] is ${typeName(f)}; expected a frame name; ignored`);
    } else if (unsafeSegmentReason(f)) {
      report(`frame name ${JSON.stringify(f)} ${unsafeSegmentReason(f)}; ignored`);
    } else if (seen.has(f)) {
      report(`frame ${JSON.stringify(f)} is listed twice; duplicate ignored`);
    } else {
      seen.add(f);
      frames.push(f);
    }
  }
  return frames;
}

/** MeViS `obj_id` / `anno_id`: a list of integer ids (numbers or digit strings), read as strings. */
function parseIdList(
  name: string,
  value: unknown,
  expId: string,
  report: (message: string) => void,
): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const ids = list
    .filter(
      (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v)),
    )
    .map(String);
  if (ids.length !== list.length || !Array.isArray(value)) {
    report(
      `expression ${expId}: "${name}" should be a list of integer ids, got ${JSON.stringify(value)}; ${ids.length ? `read as [${ids.join(', ')}]` : 'ignored'}`,
    );
  }
  return ids;
}

/** Options of the metadata parser: `objectLists` reads MeViS's obj_id and anno_id lists instead of one obj_id. */
export interface MetaParseOptions {
  objectLists?: boolean;
  /** ReVOS: video ids are relative folder paths ("UVO/all/-fbscFfkh4M"), each segment a plain name. */
  nestedVideoIds?: boolean;
  /** ReVOS: each expression's `type_id` (0 referring, 1 reasoning, 2 no target), also its category. */
  typeIds?: boolean;
}

/** ReVOS `type_id` → the subset name eval_revos.py reports it under (2 enters none of its means). */
export const REVOS_TYPE_NAMES: readonly string[] = ['referring', 'reasoning', 'no-target'];

function parseTypeId(expression: Expression, value: unknown, report: (message: string) => void): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < REVOS_TYPE_NAMES.length) {
    expression.typeId = value;
    expression.category = REVOS_TYPE_NAMES[value];
  } else {
    const what = value === undefined ? 'has no "type_id"' : `"type_id" is ${JSON.stringify(value)}`;
    report(`expression ${expression.expId} ${what}; expected 0 (referring), 1 (reasoning) or 2 (no target)`);
  }
}

function parseExpression(
  expId: string,
  value: unknown,
  report: (message: string) => void,
  options: MetaParseOptions,
): Expression | undefined {
  if (!isObject(value)) {
    report(`expression ${expId} is ${typeName(value)}; expected an object with "exp"; expression skipped`);
    return undefined;
  }
  if (typeof value.exp !== 'string') {
    const what = value.exp === undefined ? 'has no "exp" text' : `"exp" is ${typeName(value.exp)}`;
    report(`expression ${expId} ${what}; expression skipped`);
    return undefined;
  }
  const expression: Expression = { expId, text: value.exp };
  if (options.objectLists) {
    const objIds = parseIdList('obj_id', value.obj_id, expId, report);
    const annoIds = parseIdList('anno_id', value.anno_id, expId, report);
    if (objIds) expression.objIds = objIds;
    if (annoIds) expression.annoIds = annoIds;
    if (typeof value.category === 'string') expression.category = value.category;
    if (options.typeIds) parseTypeId(expression, value.type_id, report);
    return expression;
  }
  const objId = value.obj_id;
  if (typeof objId === 'string') {
    expression.objId = objId;
  } else if (typeof objId === 'number' && Number.isInteger(objId)) {
    expression.objId = String(objId);
    report(`expression ${expId}: obj_id is the number ${objId}; read as "${objId}" (should be a string)`);
  } else if (objId !== undefined) {
    report(`expression ${expId}: obj_id is ${typeName(objId)}; expected a string; ignored`);
  }
  if (typeof value.category === 'string') expression.category = value.category;
  return expression;
}

function parseExpressions(value: unknown, report: (message: string) => void, options: MetaParseOptions): Expression[] {
  if (!isObject(value)) {
    report(value === undefined ? 'no "expressions"' : `"expressions" is ${typeName(value)}; expected an object`);
    return [];
  }
  const ids = Object.keys(value).sort(compareExpIds);
  const expressions: Expression[] = [];
  const seenNumbers = new Map<number, string>();
  for (const expId of ids) {
    // "1" and "01" are different keys but the same expression number; predictions could not tell them apart.
    const n = isNumericId(expId) ? Number(expId) : undefined;
    if (n !== undefined && seenNumbers.has(n)) {
      report(`expression ids ${seenNumbers.get(n)} and ${expId} are the same number; ${expId} skipped`);
      continue;
    }
    if (n !== undefined) seenNumbers.set(n, expId);
    const reason = unsafeSegmentReason(expId);
    if (reason) {
      report(`expression id ${JSON.stringify(expId)} ${reason}; expression skipped`);
      continue;
    }
    const expression = parseExpression(expId, value[expId], report, options);
    if (expression) expressions.push(expression);
  }
  return expressions;
}

/** Videos of meta_expressions.json, in file order. Objects are filled in later from meta.json. */
export function parseMetaExpressions(
  json: unknown,
  file: string,
  problems: DatasetProblem[],
  options: MetaParseOptions = {},
): Video[] {
  const videos: Video[] = [];
  for (const [id, value] of Object.entries(videosOf(json, file))) {
    const report = (message: string) => problems.push({ file, video: id, message });
    const reason = options.nestedVideoIds ? unsafeIdPathReason(id) : unsafeSegmentReason(id);
    if (reason) {
      report(`video id ${JSON.stringify(id)} ${reason}; video skipped`);
      continue;
    }
    if (!isObject(value)) {
      report(`video entry is ${typeName(value)}; expected an object with "expressions" and "frames"; video skipped`);
      continue;
    }
    const frames = parseFrames(value.frames, report);
    if (!frames) continue;
    if (frames.length === 0) {
      report('no usable frames; video skipped');
      continue;
    }
    videos.push({ id, frames, expressions: parseExpressions(value.expressions, report, options), objects: {} });
  }
  return videos;
}

function parseObject(objId: string, value: unknown, report: (message: string) => void): VideoObject | undefined {
  if (!isObject(value)) {
    report(`object ${objId} is ${typeName(value)}; expected an object; ignored`);
    return undefined;
  }
  const category = typeof value.category === 'string' ? value.category : '';
  if (value.category !== undefined && typeof value.category !== 'string') {
    report(`object ${objId}: "category" is ${typeName(value.category)}; expected a string`);
  }
  let frames: string[] = [];
  if (Array.isArray(value.frames)) {
    const list: unknown[] = value.frames;
    frames = list.every((f) => typeof f === 'string') ? list : list.filter((f): f is string => typeof f === 'string');
  }
  if (value.frames !== undefined && (!Array.isArray(value.frames) || frames.length !== value.frames.length)) {
    report(`object ${objId}: "frames" should be a list of frame names; non-names ignored`);
  }
  return { objId, category, frames };
}

/** Objects per video id from `<split>/meta.json`. */
export function parseMetaObjects(
  json: unknown,
  file: string,
  problems: DatasetProblem[],
): Map<string, Record<string, VideoObject>> {
  const byVideo = new Map<string, Record<string, VideoObject>>();
  for (const [id, value] of Object.entries(videosOf(json, file))) {
    const report = (message: string) => problems.push({ file, video: id, message });
    if (!isObject(value) || !isObject(value.objects)) {
      const what = isObject(value) ? `"objects" is ${typeName(value.objects)}` : `video entry is ${typeName(value)}`;
      report(`${what}; expected an object of objects; ignored`);
      continue;
    }
    const objects: Record<string, VideoObject> = {};
    for (const [objId, obj] of Object.entries(value.objects)) {
      const parsed = parseObject(objId, obj, report);
      if (parsed) objects[objId] = parsed;
    }
    byVideo.set(id, objects);
  }
  return byVideo;
}

/**
 * Reports video and expression ids listed twice in meta_expressions.json. JSON.parse keeps only the last entry, so
 * repeats show only in the text: counting the "frames" and "exp" keys there is cheap, and only a mismatch with the
 * parsed value pays for the full scan.
 */
export function reportDuplicateIds(text: string, json: unknown, file: string, problems: DatasetProblem[]): void {
  if (!isObject(json) || !isObject(json.videos)) return;
  let frames = 0;
  let exps = 0;
  for (const video of Object.values(json.videos)) {
    if (!isObject(video)) continue;
    if ('frames' in video) frames++;
    if (!isObject(video.expressions)) continue;
    for (const e of Object.values(video.expressions)) if (isObject(e) && 'exp' in e) exps++;
  }
  if (countKeyTokens(text, 'frames') === frames && countKeyTokens(text, 'exp') === exps) return;
  // Depth 5 covers the root, "videos", each video, its "expressions" and each expression.
  for (const { path, key } of findDuplicateKeys(text, 5)) {
    const video = path[0] === 'videos' ? path[1] : undefined;
    let message = `key "${key}" appears more than once in ${path.length ? path.join(' › ') : 'the top level'}; only the last value is used`;
    if (path.length === 1 && path[0] === 'videos')
      message = 'video id listed more than once; only the last entry is used';
    if (path.length === 3 && path[0] === 'videos' && path[2] === 'expressions') {
      message = `expression id ${key} listed more than once; only the last entry is used`;
    }
    problems.push({ file, video: path.length === 1 && path[0] === 'videos' ? key : video, message });
  }
}
