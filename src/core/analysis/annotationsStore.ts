// Tags and notes on expressions, kept in the workspace as `.rvos/annotations.json`: readable and safe to commit
// (stable key order, pretty-printed, one schema version, written atomically). Fields this version does not know —
// at the top, per video or per expression — are kept as they were, so an older tool never drops a newer one's data.
//
//   { "version": 1, "videos": { "<video>": { "<expId>": { "note": "…", "tags": ["…"] } } } }

import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../errors';
import { describeFsError, parseJsonFile } from '../json';
import { writeFileAtomic } from '../report/outputFile';
import { expressionKey } from './expressionKey';

export const ANNOTATIONS_FILE = path.join('.rvos', 'annotations.json');
export const ANNOTATIONS_VERSION = 1;

export interface Annotation {
  tags: string[];
  note: string;
}

type JsonObject = Record<string, unknown>;

/** obj[key] only when it is the object's own property ("__proto__" or "constructor" as ids read nothing inherited). */
function own<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted at every level: the same content always gives the same bytes (clean diffs). */
function stableStringify(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (!isObject(v)) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sort(v[k])]),
    ); // own keys, even "__proto__"
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}

/** Tags trimmed, empty ones dropped, duplicates removed, sorted. */
function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))].sort();
}

export class AnnotationsStore {
  /** The whole parsed document, unknown fields included; edits change it in place. */
  private readonly doc: JsonObject & { videos: Record<string, Record<string, JsonObject>> };

  private constructor(
    readonly file: string,
    doc: JsonObject & { videos: Record<string, Record<string, JsonObject>> },
  ) {
    this.doc = doc;
  }

  /** `<workspace>/.rvos/annotations.json`. */
  static fileIn(workspaceDir: string): string {
    return path.join(workspaceDir, ANNOTATIONS_FILE);
  }

  /** An empty store that will be saved to `file`. */
  static empty(file: string): AnnotationsStore {
    return new AnnotationsStore(file, { version: ANNOTATIONS_VERSION, videos: {} });
  }

  /** Loads `file`; a missing file is an empty store, a malformed one an InputError naming the line and column or the field. */
  static async load(file: string): Promise<AnnotationsStore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return AnnotationsStore.empty(file);
      throw new InputError(file, describeFsError(err));
    }
    return AnnotationsStore.parse(text, file);
  }

  static parse(text: string, file: string): AnnotationsStore {
    const json = parseJsonFile(text, file);
    if (!isObject(json)) throw new InputError(file, 'expected a JSON object {"version": 1, "videos": {…}}');
    const version = json.version;
    if (!Number.isInteger(version) || (version as number) < 1)
      throw new InputError(file, `"version" must be a positive integer, got ${JSON.stringify(version)}`);
    if (json.videos === undefined) json.videos = {};
    if (!isObject(json.videos)) throw new InputError(file, '"videos" must be an object of video ids');
    for (const [video, exps] of Object.entries(json.videos)) {
      if (!isObject(exps)) throw new InputError(file, `videos["${video}"] must be an object of expression ids`);
      for (const [expId, a] of Object.entries(exps)) {
        const where = `videos["${video}"]["${expId}"]`;
        if (!isObject(a)) throw new InputError(file, `${where} must be an object {"tags": […], "note": "…"}`);
        if (a.tags !== undefined && !(Array.isArray(a.tags) && a.tags.every((t) => typeof t === 'string'))) {
          throw new InputError(file, `${where}.tags must be an array of strings`);
        }
        if (a.note !== undefined && typeof a.note !== 'string')
          throw new InputError(file, `${where}.note must be a string`);
      }
    }
    return new AnnotationsStore(file, json as JsonObject & { videos: Record<string, Record<string, JsonObject>> });
  }

  get(video: string, expId: string): Annotation {
    const a = own(own(this.doc.videos, video), expId);
    return { tags: [...((a?.tags as string[] | undefined) ?? [])], note: (a?.note as string | undefined) ?? '' };
  }

  setTags(video: string, expId: string, tags: readonly string[]): void {
    this.update(video, expId, { tags: normaliseTags(tags) });
  }

  addTag(video: string, expId: string, tag: string): void {
    this.setTags(video, expId, [...this.get(video, expId).tags, tag]);
  }

  removeTag(video: string, expId: string, tag: string): void {
    this.setTags(
      video,
      expId,
      this.get(video, expId).tags.filter((t) => t !== tag.trim()),
    );
  }

  setNote(video: string, expId: string, note: string): void {
    this.update(video, expId, { note });
  }

  /** Sets fields; fields left empty are removed, and so are entries (and videos) with nothing left. */
  private update(video: string, expId: string, fields: Partial<Annotation>): void {
    const videos = this.doc.videos;
    const exps = own(videos, video);
    const entry: JsonObject = { ...(own(exps, expId) ?? {}), ...fields };
    if (Array.isArray(entry.tags) && entry.tags.length === 0) delete entry.tags;
    if (entry.note === '') delete entry.note;
    if (Object.keys(entry).length > 0) {
      if (exps)
        Object.defineProperty(exps, expId, { value: entry, enumerable: true, writable: true, configurable: true });
      else
        Object.defineProperty(videos, video, {
          value: { [expId]: entry },
          enumerable: true,
          writable: true,
          configurable: true,
        });
    } else if (exps) {
      delete exps[expId];
      if (Object.keys(exps).length === 0) delete videos[video];
    }
  }

  /** Every tag in use, sorted. */
  allTags(): string[] {
    const tags = new Set<string>();
    for (const exps of Object.values(this.doc.videos))
      for (const a of Object.values(exps)) for (const t of (a.tags as string[] | undefined) ?? []) tags.add(t);
    return [...tags].sort();
  }

  /** expressionKeys of the expressions carrying `tag` (for ExpressionFilter.keys). */
  keysWithTag(tag: string): Set<string> {
    const keys = new Set<string>();
    for (const [video, exps] of Object.entries(this.doc.videos)) {
      for (const [expId, a] of Object.entries(exps))
        if ((a.tags as string[] | undefined)?.includes(tag)) keys.add(expressionKey(video, expId));
    }
    return keys;
  }

  /** The file's text: sorted keys, two-space indent, final newline. */
  serialize(): string {
    return stableStringify(this.doc);
  }

  /** Writes the file atomically (creating .rvos/). */
  async save(): Promise<void> {
    await writeFileAtomic(this.file, this.serialize());
  }
}
