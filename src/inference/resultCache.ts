// On-disk cache of YOFO results (no vscode import: the extension passes its storage folder, the CLI --cache). One entry
// per (model, dataset root, split, video, expression text) holds every frame's mask as run lengths, every frame's W map
// (weights.bin) and a small JSON without scores (frame list, info, each frame's memory use). Entries are written into a temp folder and renamed into place, so a crash mid-write leaves only a
// `.tmp-*` folder that is never read as an entry; a present entry is complete.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Mask } from '../core/types';
import type { FrameInsight, MemoryUse } from './frameInsight';
import { decodeRle, encodeRle } from './maskRle';

export interface CacheKey {
  /** Content hash of the model (YofoRunner.modelId). */
  modelId: string;
  datasetRoot: string;
  split: string;
  video: string;
  expression: string;
}

export interface CachedResult {
  frames: string[];
  /** 0/1 masks, one per frame. */
  masks: Mask[];
  /** What the writer stored with the entry (model name, device, …). */
  info: Record<string, unknown>;
  createdAt: string;
  /** Each frame's W map and memory use; absent when the writer had none to store. */
  insights?: FrameInsight[];
}

const FORMAT = 'rvos-yofo-cache';
/** 2: W maps and memory use per frame. Each version has its own folder, so entries of another version never match. */
const VERSION = 2;
const DIR_PREFIX = 'yofo-cache-v';
const ENTRY_FILE = 'entry.json';
const MASKS_FILE = 'masks.bin';
const WEIGHTS_FILE = 'weights.bin';
const TEMP_PREFIX = '.tmp-';

/** A frame's insight without its W bytes (those are in weights.bin). */
interface InsightJson {
  meanWeight: number;
  selfShare: number;
  memory: MemoryUse[];
}

interface EntryJson {
  format: string;
  version: number;
  key: CacheKey;
  frames: string[];
  masksBytes: number;
  /** Present when the entry has insights: every frame's W map is `weightWidth`×`weightHeight` bytes in weights.bin. */
  insights?: { weightWidth: number; weightHeight: number; frames: InsightJson[] };
  info: Record<string, unknown>;
  createdAt: string;
}

/** weights.bin and the JSON part of the insights; all W maps of one model have one size. */
function packInsights(insights: readonly FrameInsight[]): { bytes: Buffer; json: NonNullable<EntryJson['insights']> } {
  const { width, height } = insights[0]?.weight ?? { width: 0, height: 0 };
  const bytes = Buffer.alloc(insights.length * width * height);
  insights.forEach((f, i) => {
    if (f.weight.width !== width || f.weight.height !== height || f.weight.data.length !== width * height) {
      throw new RangeError(
        `cache put: W map of frame ${i} is ${f.weight.width}×${f.weight.height}, expected ${width}×${height}`,
      );
    }
    bytes.set(f.weight.data, i * width * height);
  });
  const frames = insights.map((f) => ({ meanWeight: f.meanWeight, selfShare: f.selfShare, memory: f.memory }));
  return { bytes, json: { weightWidth: width, weightHeight: height, frames } };
}

/** True when every one of `count` frames has its insight (a sparse array's holes count as missing). */
function isComplete(
  insights: readonly (FrameInsight | undefined)[] | undefined,
  count: number,
): insights is readonly FrameInsight[] {
  if (!insights || insights.length !== count) return false;
  for (let i = 0; i < count; i++) if (!insights[i]) return false;
  return true;
}

function isMemoryUse(v: unknown): v is MemoryUse {
  const m = v as MemoryUse;
  return (
    typeof m === 'object' &&
    m !== null &&
    Number.isSafeInteger(m.frame) &&
    typeof m.meanWeight === 'number' &&
    typeof m.share === 'number'
  );
}

/** The insights of an entry, or undefined when its parts don't fit together (not an entry we wrote). */
function unpackInsights(json: EntryJson['insights'], bytes: Buffer, count: number): FrameInsight[] | undefined {
  if (!json || !Array.isArray(json.frames) || json.frames.length !== count) return undefined;
  const { weightWidth: width, weightHeight: height } = json;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || bytes.length !== count * width * height)
    return undefined;
  const out: FrameInsight[] = [];
  for (let i = 0; i < count; i++) {
    const f = json.frames[i];
    if (
      typeof f?.meanWeight !== 'number' ||
      typeof f.selfShare !== 'number' ||
      !Array.isArray(f.memory) ||
      !f.memory.every(isMemoryUse)
    )
      return undefined;
    const data = Uint8Array.from(bytes.subarray(i * width * height, (i + 1) * width * height));
    out.push({ weight: { width, height, data }, meanWeight: f.meanWeight, selfShare: f.selfShare, memory: f.memory });
  }
  return out;
}

/** masks.bin: per frame, uint32 LE width, height, run count, then the runs. */
function packMasks(masks: readonly Mask[]): Buffer {
  const rles = masks.map(encodeRle);
  const words = rles.reduce((n, r) => n + 3 + r.runs.length, 0);
  const out = new Uint32Array(words);
  let pos = 0;
  for (const r of rles) {
    out[pos++] = r.width;
    out[pos++] = r.height;
    out[pos++] = r.runs.length;
    out.set(r.runs, pos);
    pos += r.runs.length;
  }
  return Buffer.from(out.buffer);
}

function unpackMasks(bytes: Buffer, count: number): Mask[] | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const masks: Mask[] = [];
  let pos = 0;
  try {
    for (let i = 0; i < count; i++) {
      const [width, height, n] = [words[pos], words[pos + 1], words[pos + 2]];
      if (pos + 3 + n > words.length) return undefined;
      masks.push(decodeRle({ width, height, runs: words.subarray(pos + 3, pos + 3 + n) }));
      pos += 3 + n;
    }
  } catch {
    return undefined; // runs that don't cover the mask: not an entry we wrote
  }
  return pos === words.length ? masks : undefined;
}

export class ResultCache {
  /** Folder holding the entries; everything under it belongs to the cache. */
  readonly dir: string;
  /** The folder given: it holds one cache folder per format version. */
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.dir = path.join(this.root, `${DIR_PREFIX}${VERSION}`);
  }

  static keyHash(key: CacheKey): string {
    const canonical = JSON.stringify([
      key.modelId,
      path.resolve(key.datasetRoot),
      key.split,
      key.video,
      key.expression,
    ]);
    return createHash('sha256').update(canonical).digest('hex');
  }

  entryDir(key: CacheKey): string {
    return path.join(this.dir, ResultCache.keyHash(key));
  }

  /**
   * The cached result for `key`, or undefined when there is none or it doesn't cover exactly `frames` (the dataset's
   * frame list changed). Anything unreadable counts as a miss, never as an error; so do entries of older versions.
   */
  async get(key: CacheKey, frames: readonly string[]): Promise<CachedResult | undefined> {
    const dir = this.entryDir(key);
    let entry: EntryJson;
    let bytes: Buffer;
    try {
      [entry, bytes] = await Promise.all([
        readFile(path.join(dir, ENTRY_FILE), 'utf8').then((t) => JSON.parse(t) as EntryJson),
        readFile(path.join(dir, MASKS_FILE)),
      ]);
    } catch {
      return undefined;
    }
    if (entry.format !== FORMAT || entry.version !== VERSION || entry.masksBytes !== bytes.length) return undefined;
    if (ResultCache.keyHash(entry.key) !== ResultCache.keyHash(key)) return undefined;
    if (
      !Array.isArray(entry.frames) ||
      entry.frames.length !== frames.length ||
      entry.frames.some((f, i) => f !== frames[i])
    )
      return undefined;
    const masks = unpackMasks(bytes, frames.length);
    if (!masks) return undefined;
    const result: CachedResult = { frames: entry.frames, masks, info: entry.info ?? {}, createdAt: entry.createdAt };
    if (entry.insights !== undefined) {
      const weights = await readFile(path.join(dir, WEIGHTS_FILE)).catch(() => undefined);
      const insights = weights && unpackInsights(entry.insights, weights, frames.length);
      if (!insights) return undefined;
      result.insights = insights;
    }
    return result;
  }

  /**
   * Stores a complete result atomically (temp folder + rename); replaces an older entry for the same key. `insights`
   * (indexed by frame, as they arrived) are stored only when every frame has one; else the entry holds the masks only.
   */
  async put(
    key: CacheKey,
    frames: readonly string[],
    masks: readonly Mask[],
    info: Record<string, unknown> = {},
    insights?: readonly (FrameInsight | undefined)[],
  ): Promise<void> {
    if (frames.length !== masks.length)
      throw new RangeError(`cache put: ${frames.length} frames but ${masks.length} masks`);
    const hash = ResultCache.keyHash(key);
    await mkdir(this.dir, { recursive: true });
    const temp = path.join(
      this.dir,
      `${TEMP_PREFIX}${hash.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    const bytes = packMasks(masks);
    const packed = isComplete(insights, frames.length) ? packInsights(insights) : undefined;
    const entry: EntryJson = {
      format: FORMAT,
      version: VERSION,
      key: { ...key, datasetRoot: path.resolve(key.datasetRoot) },
      frames: [...frames],
      masksBytes: bytes.length,
      ...(packed ? { insights: packed.json } : {}),
      info,
      createdAt: new Date().toISOString(),
    };
    try {
      await mkdir(temp);
      await writeFile(path.join(temp, MASKS_FILE), bytes);
      if (packed) await writeFile(path.join(temp, WEIGHTS_FILE), packed.bytes);
      // entry.json last: its size fields are what make the other files count.
      await writeFile(path.join(temp, ENTRY_FILE), JSON.stringify(entry));
      const target = path.join(this.dir, hash);
      await rm(target, { recursive: true, force: true });
      try {
        await rename(temp, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Another writer renamed the same entry in between: theirs is just as complete.
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      }
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  /** Removes temp folders left by interrupted writes that are older than `maxAgeMs`; returns how many. */
  async sweepTemp(maxAgeMs = 60 * 60 * 1000): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs >= maxAgeMs) {
        await rm(file, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Deletes every entry (and leftover temp folder), those of older cache versions included. */
  async clear(): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const versions = names.filter((n) => n.startsWith(DIR_PREFIX) && /^\d+$/.test(n.slice(DIR_PREFIX.length)));
    await Promise.all(
      [...new Set([...versions.map((n) => path.join(this.root, n)), this.dir])].map((d) =>
        rm(d, { recursive: true, force: true }),
      ),
    );
  }
}
