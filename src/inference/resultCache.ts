// On-disk cache of YOFO results (no vscode import: the extension passes its storage folder, the CLI --cache). One entry
// per (model, dataset root, split, video, expression text) holds every frame's mask as run lengths plus a small JSON
// without scores. Entries are written into a temp folder and renamed into place, so a crash mid-write leaves only a
// `.tmp-*` folder that is never read as an entry; a present entry is complete.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Mask } from '../core/types';
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
}

const FORMAT = 'rvos-yofo-cache';
const VERSION = 1;
const ENTRY_FILE = 'entry.json';
const MASKS_FILE = 'masks.bin';
const TEMP_PREFIX = '.tmp-';

interface EntryJson {
  format: string;
  version: number;
  key: CacheKey;
  frames: string[];
  masksBytes: number;
  info: Record<string, unknown>;
  createdAt: string;
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

  constructor(root: string) {
    this.dir = path.join(path.resolve(root), `yofo-cache-v${VERSION}`);
  }

  static keyHash(key: CacheKey): string {
    const canonical = JSON.stringify([key.modelId, path.resolve(key.datasetRoot), key.split, key.video, key.expression]);
    return createHash('sha256').update(canonical).digest('hex');
  }

  entryDir(key: CacheKey): string {
    return path.join(this.dir, ResultCache.keyHash(key));
  }

  /**
   * The cached result for `key`, or undefined when there is none or it doesn't cover exactly `frames` (the dataset's
   * frame list changed). Anything unreadable counts as a miss, never as an error.
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
    if (!Array.isArray(entry.frames) || entry.frames.length !== frames.length || entry.frames.some((f, i) => f !== frames[i])) return undefined;
    const masks = unpackMasks(bytes, frames.length);
    if (!masks) return undefined;
    return { frames: entry.frames, masks, info: entry.info ?? {}, createdAt: entry.createdAt };
  }

  /** Stores a complete result atomically (temp folder + rename); replaces an older entry for the same key. */
  async put(key: CacheKey, frames: readonly string[], masks: readonly Mask[], info: Record<string, unknown> = {}): Promise<void> {
    if (frames.length !== masks.length) throw new RangeError(`cache put: ${frames.length} frames but ${masks.length} masks`);
    const hash = ResultCache.keyHash(key);
    await mkdir(this.dir, { recursive: true });
    const temp = path.join(this.dir, `${TEMP_PREFIX}${hash.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    const bytes = packMasks(masks);
    const entry: EntryJson = {
      format: FORMAT,
      version: VERSION,
      key: { ...key, datasetRoot: path.resolve(key.datasetRoot) },
      frames: [...frames],
      masksBytes: bytes.length,
      info,
      createdAt: new Date().toISOString(),
    };
    try {
      await mkdir(temp);
      await writeFile(path.join(temp, MASKS_FILE), bytes);
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

  /** Deletes every entry (and leftover temp folder). */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
