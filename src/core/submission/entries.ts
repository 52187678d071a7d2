// The files of a submission, from a folder or a zip read with yauzl, as relative '/'-separated names with a reader.
// A zip is never extracted: entries whose names could leave their folder are reported, not followed.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import yauzl from 'yauzl';
import { InputError } from '../errors';
import { describeFsError } from '../json';
import { readRegularFile } from '../safePath';

/** A mask PNG is far smaller; an entry declaring more is not inflated (yauzl checks the declared size is the real one). */
const MAX_ENTRY_BYTES = 64 << 20;

export interface SubmissionEntry {
  /** Relative name, '/'-separated ("Annotations/vid/0/00000.png"). */
  name: string;
  /** Where it is, for messages: the file, or `<zip>:<name>`. */
  where: string;
  read(): Promise<Uint8Array>;
}

/** Why a zip entry name is unsafe (absolute, '..', a backslash or a drive), or undefined. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\\')) return 'has a backslash in its name (a Windows path)';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return "has '..' in its path; it would escape its folder";
  return undefined;
}

/** Every file below `dir` (symlinks not followed into loops: readdir lists them, reading checks them). */
export async function folderEntries(dir: string): Promise<SubmissionEntry[]> {
  const out: SubmissionEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    let items;
    try {
      items = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (err) {
      throw new InputError(path.join(dir, rel), describeFsError(err));
    }
    for (const item of items) {
      const name = rel === '' ? item.name : `${rel}/${item.name}`;
      if (item.isDirectory()) await walk(name);
      else {
        const file = path.join(dir, name);
        out.push({ name, where: file, read: () => readRegularFile(file) });
      }
    }
  };
  await walk('');
  return out;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
      (err, zip) => (err ? reject(new InputError(file, `not a readable zip: ${err.message}`)) : resolve(zip)),
    ),
  );
}

/** The entries of zip `file` (folders left out) and a close function; reading an entry inflates only that one. */
export async function zipEntries(
  file: string,
): Promise<{ entries: SubmissionEntry[]; unsafe: { where: string; problem: string }[]; close(): void }> {
  const zip = await openZip(file);
  const entries: SubmissionEntry[] = [];
  const unsafe: { where: string; problem: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      // Raw names (decodeStrings off): yauzl would reject the whole zip on one '../' entry; we report each instead.
      const name = Buffer.from(entry.fileName as unknown as Uint8Array).toString('utf8');
      const problem = unsafeEntryName(name);
      if (problem) unsafe.push({ where: `${file}:${name}`, problem });
      else if (!name.endsWith('/'))
        entries.push({ name, where: `${file}:${name}`, read: () => readEntry(zip, entry, `${file}:${name}`) });
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', (err: Error) => reject(new InputError(file, `corrupt zip: ${err.message}`)));
    zip.readEntry();
  });
  return { entries, unsafe, close: () => zip.close() };
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, where: string): Promise<Uint8Array> {
  if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
    return Promise.reject(
      new InputError(
        where,
        `entry inflates to ${entry.uncompressedSize} bytes; masks over ${MAX_ENTRY_BYTES >> 20} MB are refused (a zip bomb?)`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(new InputError(where, `cannot read the entry: ${err.message}`));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', (e: Error) => reject(new InputError(where, `corrupt entry: ${e.message}`)));
    });
  });
}
