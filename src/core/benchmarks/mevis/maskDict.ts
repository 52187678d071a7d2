// MeViS `<split>/mask_dict.json`: {"<anno_id>": [rle | null per frame of the video], …}. The train split's file is
// hundreds of MB, so it is never parsed whole: one streaming pass records where each anno_id's list lies in the file
// (byte range and length), and the lists a frame needs are read and parsed on demand.

import { open } from 'node:fs/promises';
import { InputError } from '../../errors';
import { describeFsError } from '../../json';
import { asCocoRle, paintRle, RleError, type CocoRle } from '../../rle/coco';
import type { Mask } from '../../types';

/**
 * What the indexed file maps its keys to: MeViS / ReVOS mask_dict.json an anno_id to a list of masks, ReVOS
 * mask_dict_foreground.json a video id to an object {"masks_rle": [...], …}. `name` says what the file should be.
 */
export interface IndexedShape {
  name: string;
  key: string;
  value: 'list' | 'object';
}

export const MASK_DICT_SHAPE: IndexedShape = { name: 'a MeViS mask_dict', key: 'anno_id', value: 'list' };

/**
 * Where one key's value is: bytes [start, end) of the file, and how many entries it has (list items, or object keys).
 */
export interface MaskListLocation {
  start: number;
  end: number;
  count: number;
}

/** The index of a mask_dict.json: plain data, so it can be posted to scoring workers. */
export interface MaskDictIndex {
  file: string;
  lists: Record<string, MaskListLocation>;
}

const CHUNK = 8 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Indexes mask_dict.json in one streaming pass. The structure is checked down to "an object of lists"; the
 * entries of a list are checked when read (readMaskList).
 */
export async function indexMaskDict(
  file: string,
  chunkBytes = CHUNK,
  shape: IndexedShape = MASK_DICT_SHAPE,
): Promise<MaskDictIndex> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new InputError(file, describeFsError(err));
  }
  const lists: Record<string, MaskListLocation> = Object.create(null) as Record<string, MaskListLocation>;
  const fail = (offset: number, what: string): never => {
    throw new InputError(file, `not ${shape.name} (at byte ${offset}): ${what}`);
  };
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let base = 0; // file offset of buf[0]
    let depth = 0;
    let inString = false;
    let escaped = false;
    let started = false; // the top-level '{' was seen
    let ended = false; // and its '}'
    let expectKey = false; // at depth 1: the next string is a key
    let keyParts: Buffer[] | undefined; // the raw bytes of the depth-1 key being read
    let key = '';
    let entry: MaskListLocation | undefined; // the list being scanned
    let valueOpen = false; // inside a list: an entry started since '[' or the last ','
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, chunkBytes, base);
      if (bytesRead === 0) break;
      let i = 0;
      while (i < bytesRead) {
        if (inString) {
          if (escaped) {
            if (keyParts) keyParts.push(Buffer.from(buf.subarray(i, i + 1)));
            escaped = false;
            i++;
            continue;
          }
          // Skip to the next quote or backslash with native searches: strings are most of the file.
          let q = buf.indexOf(QUOTE, i);
          if (q < 0 || q >= bytesRead) q = bytesRead;
          let b = buf.indexOf(BACKSLASH, i);
          if (b < 0 || b >= q) b = -1;
          if (b >= 0) {
            if (keyParts) keyParts.push(Buffer.from(buf.subarray(i, b + 1)));
            escaped = true;
            i = b + 1;
            continue;
          }
          if (keyParts) keyParts.push(Buffer.from(buf.subarray(i, q)));
          if (q === bytesRead) {
            i = q;
            continue;
          }
          inString = false;
          if (keyParts) {
            key = JSON.parse(`"${Buffer.concat(keyParts).toString('utf8')}"`) as string;
            keyParts = undefined;
          }
          i = q + 1;
          continue;
        }
        const c = buf[i];
        if (isSpace(c)) {
          i++;
          continue;
        }
        const offset = base + i;
        if (ended) fail(offset, 'text after the end of the top-level object');
        if (!started) {
          if (c !== 0x7b)
            fail(
              offset,
              `the top level is not an object of ${shape.key} → ${shape.value === 'list' ? 'mask list' : 'object'}`,
            );
          started = true;
          depth = 1;
          expectKey = true;
          i++;
          continue;
        }
        if (depth === 1) {
          if (expectKey) {
            if (c === 0x7d && Object.keys(lists).length === 0) {
              depth = 0;
              ended = true;
            } else if (c !== QUOTE) fail(offset, `expected an ${shape.key} as key`);
            else {
              inString = true;
              keyParts = [];
              expectKey = false;
            }
          } else if (c === 0x3a) {
            // ':' then the value: must be a list
          } else if (c === (shape.value === 'list' ? 0x5b : 0x7b)) {
            entry = { start: offset, end: offset, count: 0 };
            valueOpen = false;
            depth = 2;
          } else if (c === 0x2c) {
            expectKey = true;
          } else if (c === 0x7d) {
            depth = 0;
            ended = true;
          } else
            fail(offset, `${shape.key} "${key}": expected ${shape.value === 'list' ? 'a list of masks' : 'an object'}`);
          i++;
          continue;
        }
        // depth ≥ 2: inside an anno_id's list; count its entries at depth 2
        if (depth === 2) {
          if (c === (shape.value === 'list' ? 0x5d : 0x7d)) {
            entry!.end = offset + 1;
            lists[key] = entry!;
            entry = undefined;
            depth = 1;
            i++;
            continue;
          }
          if (c === 0x2c) valueOpen = false;
          else if (!valueOpen && c !== 0x3a) {
            entry!.count++;
            valueOpen = true;
          }
        }
        if (c === QUOTE) inString = true;
        else if (c === 0x5b || c === 0x7b) depth++;
        else if (c === 0x5d || c === 0x7d) depth--;
        i++;
      }
      base += bytesRead;
    }
    if (!ended) fail(base, started ? 'the file ends before the top-level object closes (truncated?)' : 'empty file');
  } finally {
    await handle.close();
  }
  return { file, lists };
}

/** The parsed values of some keys, read from their byte ranges (one open of the file); a key not indexed is an error. */
export async function readIndexedValues(
  index: MaskDictIndex,
  keys: readonly string[],
  keyName = 'anno_id',
): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  if (keys.length === 0) return out;
  let handle;
  try {
    handle = await open(index.file, 'r');
  } catch (err) {
    throw new InputError(index.file, describeFsError(err));
  }
  try {
    for (const key of keys) {
      if (out.has(key)) continue;
      const at = index.lists[key];
      if (at === undefined) throw new InputError(index.file, `${keyName} ${key} is not in this file`);
      const bytes = Buffer.allocUnsafe(at.end - at.start);
      await handle.read(bytes, 0, bytes.length, at.start);
      try {
        out.set(key, JSON.parse(bytes.toString('utf8')));
      } catch (err) {
        throw new InputError(index.file, `${keyName} ${key}: the value is not valid JSON (${(err as Error).message})`);
      }
    }
  } finally {
    await handle.close();
  }
  return out;
}

/** The parsed mask lists of some anno_ids (mask_dict.json). */
export async function readMaskLists(index: MaskDictIndex, annoIds: readonly string[]): Promise<Map<string, unknown[]>> {
  return (await readIndexedValues(index, annoIds)) as Map<string, unknown[]>;
}

/** Entry `frameIndex` of an anno_id's list: an RLE, or null where the object is absent. */
export function maskAt(
  index: MaskDictIndex,
  list: readonly unknown[],
  annoId: string,
  frameIndex: number,
  frame: string,
): CocoRle | null {
  const value = list[frameIndex];
  if (value === null) return null;
  try {
    return asCocoRle(value);
  } catch (err) {
    if (err instanceof RleError) throw new InputError(index.file, `anno_id ${annoId}, frame ${frame}: ${err.message}`);
    throw err;
  }
}

/** paintRle (a union into `target`, or a uint8 sum with 'add'), its errors naming the file, the anno_id and the frame. */
export function paintMaskAt(
  index: MaskDictIndex,
  rle: CocoRle,
  annoId: string,
  frame: string,
  target: Mask,
  mode: 'set' | 'add' = 'set',
): void {
  try {
    paintRle(rle, target, mode);
  } catch (err) {
    if (err instanceof RleError) throw new InputError(index.file, `anno_id ${annoId}, frame ${frame}: ${err.message}`);
    throw err;
  }
}

/** The size of the first mask in `lists` (anno_id → parsed list) within the video's `frames`, or undefined for none. */
export function firstMaskSize(
  index: MaskDictIndex,
  lists: ReadonlyMap<string, readonly unknown[]>,
  frames: readonly string[],
): { width: number; height: number } | undefined {
  for (const [annoId, list] of lists) {
    const i = list.findIndex((m) => m !== null);
    if (i < 0 || i >= frames.length) continue;
    const rle = maskAt(index, list, annoId, i, frames[i])!;
    return { width: rle.size[1], height: rle.size[0] };
  }
  return undefined;
}
