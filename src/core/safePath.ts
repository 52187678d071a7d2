// Path safety for ids that come from files or users (video ids, expression ids, frame names): they become single
// path segments, and files read through symlinks must stay inside the folder the user chose.

import { readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from './errors';
import { describeFsError } from './json';

/** Why `id` cannot be used as one path segment, or undefined when it can. */
export function unsafeSegmentReason(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  if (id.includes('\0')) return 'contains a NUL character';
  if (id.includes('/') || id.includes('\\')) return "contains a path separator ('/' or '\\')";
  if (id.includes('..')) return "contains '..'";
  if (id === '.') return "is '.'";
  if (path.isAbsolute(id) || path.win32.isAbsolute(id) || /^[a-zA-Z]:/.test(id)) return 'is an absolute path';
  return undefined;
}

/** Throws an InputError on `file` when `id` (a `what`, e.g. "video id") is not a plain file name. */
export function checkSegment(id: string, what: string, file: string): void {
  const reason = unsafeSegmentReason(id);
  if (reason) throw new InputError(file, `${what} ${JSON.stringify(id)} ${reason}; refusing a path outside the folder`);
}

/**
 * Why `id` cannot be a relative path of plain segments ("UVO/all/-fbscFfkh4M", a ReVOS video id), or undefined when
 * it can: '/'-separated segments, each one a plain file name.
 */
export function unsafeIdPathReason(id: string): string | undefined {
  if (id.includes('\\')) return "contains a backslash ('\\')";
  for (const segment of id.split('/')) {
    const reason = unsafeSegmentReason(segment);
    if (reason) return segment === id ? reason : `has a segment ${JSON.stringify(segment)} that ${reason}`;
  }
  return undefined;
}

/** checkSegment for ids that may be relative paths of plain segments (video ids: ReVOS nests them in folders). */
export function checkIdPath(id: string, what: string, file: string): void {
  const reason = unsafeIdPathReason(id);
  if (reason) throw new InputError(file, `${what} ${JSON.stringify(id)} ${reason}; refusing a path outside the folder`);
}

/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Reads `file`, which must lie in `root`, after resolving symlinks: undefined when it does not exist, an InputError
 * when it resolves outside `root` (a symlink pointing elsewhere) or cannot be read.
 */
export async function readFileInside(root: string, file: string): Promise<Uint8Array | undefined> {
  let real: string;
  try {
    real = await realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(file, describeFsError(err));
  }
  const realRoot = await realpath(root).catch((err) => {
    throw new InputError(root, describeFsError(err));
  });
  if (!isInside(realRoot, real)) {
    throw new InputError(file, `resolves to ${real}, outside ${root}; refusing to follow it`);
  }
  return readRegularFile(real, file);
}

/**
 * Reads `real` (named `file` in messages) when it is a regular file: a FIFO would block the read forever and a device
 * could be endless, so anything else is an InputError saying what it is.
 */
export async function readRegularFile(real: string, file = real): Promise<Uint8Array> {
  const bytes = await readRegularFileIfExists(real, file);
  if (bytes === undefined) throw new InputError(file, describeFsError(Object.assign(new Error(), { code: 'ENOENT' })));
  return bytes;
}

/** As readRegularFile, but undefined when nothing exists at `real`. */
export async function readRegularFileIfExists(real: string, file = real): Promise<Uint8Array | undefined> {
  try {
    const info = await stat(real);
    if (info.isDirectory()) throw new InputError(file, 'is a folder, expected a file');
    if (!info.isFile())
      throw new InputError(
        file,
        `is ${info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : 'a device'}, not a regular file; refusing to read it`,
      );
    return await readFile(real);
  } catch (err) {
    if (err instanceof InputError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(file, describeFsError(err));
  }
}
