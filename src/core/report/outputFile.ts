// Our own output files (reports, exports, annotations): written atomically (a temp file in the same folder, then a
// rename, so readers never see half a file and a failure leaves the old one), and never inside the dataset folder.

import { realpathSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../errors';
import { describeFsError } from '../json';
import { isInside } from '../safePath';

/** Throws an InputError when output `file` (named by `option`) is the input file `input` (symlinks resolved). */
export function refuseOverwritingInput(file: string, input: string, option: string, inputName: string): void {
  if (resolveExisting(file) === resolveExisting(input)) {
    throw new InputError(file, `is also the ${inputName}; refusing to write over it, choose another ${option}`);
  }
}

/** Writes `data` to `file` atomically, creating its folder; failures are InputErrors naming the file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeAtomic(file, (temp) => writeFile(temp, data));
}

/**
 * Creates `file` atomically: `write` fills a temp file beside it (streams welcome), which then replaces `file`. File
 * system failures are InputErrors naming the file; other errors (a cancel, a bad input) pass through. The temp file
 * never stays behind.
 */
export async function writeAtomic(file: string, write: (temp: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    await mkdir(dir, { recursive: true });
    await write(temp);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (!isFsError(err)) throw err;
    throw new InputError(file, `cannot write: ${describeFsError(err).replace(/^cannot read: /, '')}`);
  }
}

function isFsError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Moves the finished folder `temp` to `target` (a sibling), replacing whatever folder is there: the old one is moved
 * aside first and put back if the move fails, so `target` is always either the old or the new output.
 */
export async function replaceFolder(temp: string, target: string): Promise<void> {
  const old = `${temp}.old`;
  const hadOld = await rename(target, old).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  try {
    await rename(temp, target);
  } catch (err) {
    if (hadOld) await rename(old, target);
    throw err;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** `p` with the symlinks of its deepest existing ancestor resolved, so a link into a folder is seen through. */
export function resolveExisting(p: string): string {
  let rest = '';
  for (let dir = path.resolve(p); ; rest = path.join(path.basename(dir), rest), dir = path.dirname(dir)) {
    try {
      return path.join(realpathSync(dir), rest);
    } catch {
      if (path.dirname(dir) === dir) return path.resolve(p);
    }
  }
}

/** What `refuseInsideDataset` says it refuses, and whether it also refuses a folder that holds the dataset. */
export interface RefuseOptions {
  /** Named in the message ("refusing to write <what> inside …"), e.g. "predictions". */
  what?: string;
  /** Also refuse when `file` contains the dataset: for a folder that is replaced as a whole. */
  around?: boolean;
  /** What the protected folder is, in the message (default "the dataset folder"). */
  folder?: string;
}

/** Throws an InputError when `file` (an output named by `option`) would lie inside (or, with `around`, around) the dataset folder. */
export function refuseInsideDataset(
  file: string,
  datasetRoot: string,
  option: string,
  { what, around = false, folder = 'the dataset folder' }: RefuseOptions = {},
): void {
  const root = resolveExisting(datasetRoot);
  const real = resolveExisting(file);
  if (isInside(root, real) || (around && isInside(real, root))) {
    const refused = `${what === undefined ? '' : `${what} `}inside ${around ? '(or around) ' : ''}${folder} ${datasetRoot}`;
    throw new InputError(file, `refusing to write ${refused}; choose another ${option}`);
  }
}
