// Zip archives: a streaming writer (yazl: zip64 when needed, so more than 65,535 entries and 4 GiB work) and a
// reader for plain zips (stored or deflated, no zip64) that checks names, methods, sizes and CRCs — used to check what
// tools such as vsce produce. The writer streams to a temp file beside the output and renames it at the end, keeps
// at most a few MiB queued, and stores already-compressed data (PNG masks) as it is, so the extension host's thread
// is never busy for long.

import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { inflateRawSync } from 'node:zlib';
import { ZipFile } from 'yazl';
import { crc32 } from '../crc32';
import { writeAtomic } from './outputFile';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
/** 1980-01-01 00:00 local time, the earliest DOS time: fixed, so the same content gives the same zip. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Bytes added but not yet on disk before `add` waits for the disk. */
const MAX_QUEUED = 8 * 1024 * 1024;

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

export interface ZipSink {
  /** Adds a file; `compress: false` stores it as it is (for PNGs, which are compressed already). Waits while the disk lags. */
  add(name: string, data: Uint8Array, options?: { compress?: boolean }): Promise<void>;
}

/**
 * Writes the zip `file` atomically: `fill` adds the entries, which stream to a temp file renamed to `file` once
 * complete. When `fill` throws (a cancel, a bad input) nothing is left behind and the old `file` is untouched.
 */
export async function writeZipAtomic(file: string, fill: (zip: ZipSink) => Promise<void>): Promise<void> {
  await writeAtomic(file, async (temp) => {
    const zip = new ZipFile();
    const out = createWriteStream(temp);
    const written = pipeline(zip.outputStream, out);
    let failed: { error: unknown } | undefined;
    written.catch((error: unknown) => (failed = { error }));
    let queued = 0;
    const sink: ZipSink = {
      async add(name, data, options = {}) {
        zip.addBuffer(Buffer.from(data.buffer, data.byteOffset, data.byteLength), name, {
          mtime: FIXED_MTIME,
          forceDosTimestamp: true,
          compress: options.compress ?? true,
        });
        queued += data.byteLength;
        while (queued - out.bytesWritten > MAX_QUEUED) {
          if (failed) throw failed.error;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      },
    };
    try {
      await fill(sink);
    } catch (err) {
      out.destroy();
      await written.catch(() => undefined);
      throw err;
    }
    zip.end();
    await written;
  });
}

/** Reads every entry of a zip (stored or deflated, no zip64), checking sizes and CRCs; Error on anything else. */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let endAt = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) throw new Error('not a zip file: no end of central directory record');
  const count = buf.readUInt16LE(endAt + 10);
  let p = buf.readUInt32LE(endAt + 16);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== CENTRAL_HEADER) throw new Error(`central directory entry ${k} is malformed`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (buf.readUInt32LE(offset) !== LOCAL_HEADER) throw new Error(`${name}: local header missing`);
    const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    const body = buf.subarray(start, start + compressedSize);
    let data: Uint8Array;
    if (method === STORED) data = body;
    else if (method === DEFLATED) data = inflateRawSync(body);
    else throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== size) throw new Error(`${name}: size ${data.length}, header says ${size}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.push({ name, data });
  }
  return entries;
}
