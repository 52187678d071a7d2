// File reading for one scoring job: hundreds of small PNGs in a handful of folders. Each folder is resolved once
// (a prediction folder must stay inside the run, as readFileInside checks); a file is then opened without following
// a symlink, and only a file that is one pays for the full check. In a worker thread the calls are synchronous: the
// thread has nothing else to do meanwhile, and each asynchronous call costs two hops through libuv's thread pool.

import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { InputError } from '../errors';
import { describeFsError } from '../json';
import { isInside, readFileInside, readRegularFileIfExists } from '../safePath';

const NO_FOLLOW = constants.O_NOFOLLOW as number | undefined;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/**
 * The whole file at `file` through one descriptor opened without following a final symlink (ELOOP when it is one).
 * Non-blocking open, then fstat: a FIFO would block the read forever and a device could be endless, so anything but
 * a regular file is an InputError saying what it is.
 */
function readNoFollowSync(file: string, shown: string): Uint8Array {
  const fd = openSync(file, constants.O_RDONLY | NO_FOLLOW! | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new InputError(shown, 'is a folder, expected a file');
    if (!info.isFile())
      throw new InputError(
        shown,
        `is ${info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : 'a device'}, not a regular file; refusing to read it`,
      );
    const size = info.size;
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return done === size ? bytes : bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

export class JobFiles {
  private readonly sync = !isMainThread && NO_FOLLOW !== undefined;
  private realRoot: string | undefined;
  /** Resolved folders; null: the folder does not exist. `outside`: it leads out of the root. */
  private readonly folders = new Map<string, { real: string; outside: boolean } | null>();

  /** Reads files inside `root` (a prediction run), or anywhere when root is undefined (ground truth). */
  constructor(private readonly root?: string) {}

  private resolveFolder(dir: string): { real: string; outside: boolean } | null {
    const known = this.folders.get(dir);
    if (known !== undefined) return known;
    let resolved: { real: string; outside: boolean } | null = null;
    try {
      const real = realpathSync.native(dir);
      if (this.root !== undefined) this.realRoot ??= realpathSync.native(this.root);
      resolved = { real, outside: this.realRoot !== undefined && !isInside(this.realRoot, real) };
    } catch (err) {
      if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw new InputError(dir, describeFsError(err));
    }
    this.folders.set(dir, resolved);
    return resolved;
  }

  /** The file's bytes, or undefined when it does not exist; InputError when unreadable or leading outside the root. */
  async read(file: string): Promise<Uint8Array | undefined> {
    if (!this.sync) {
      if (this.root !== undefined) return readFileInside(this.root, file);
      return readRegularFileIfExists(file);
    }
    const folder = this.resolveFolder(path.dirname(file));
    if (folder === null) return undefined;
    const real = path.join(folder.real, path.basename(file));
    if (folder.outside) throw new InputError(file, `resolves to ${real}, outside ${this.root}; refusing to follow it`);
    try {
      return readNoFollowSync(real, file);
    } catch (err) {
      if (err instanceof InputError) throw err;
      if (code(err) === 'ENOENT') return undefined;
      if (code(err) === 'ELOOP' && this.root !== undefined) return readFileInside(this.root, file); // a symlink: the full check
      if (code(err) === 'ELOOP') return readRegularFileIfExists(file);
      throw new InputError(file, describeFsError(err));
    }
  }
}
