// A minimal zip writer and reader (PKWARE APPNOTE 6.3): stored or deflated entries, UTF-8 names, no zip64 (so at
// most 65,535 entries and 4 GiB), which is plenty for a submission of masks. The reader checks what the writer makes
// (and any plain zip of that kind): names, methods, sizes and CRCs.

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { crc32 } from '../crc32';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
const UTF8_FLAG = 0x0800;
/** 1980-01-01 00:00, the earliest DOS time: fixed, so the same content gives the same zip. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

interface Written {
  name: Uint8Array;
  crc: number;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** Collects entries in memory and produces the archive bytes. */
export class ZipWriter {
  private readonly parts: Uint8Array[] = [];
  private readonly written: Written[] = [];
  private offset = 0;

  /** Adds a file; deflated unless that does not make it smaller (PNGs usually are already compressed). */
  add(name: string, data: Uint8Array): void {
    if (this.written.length >= MAX_ENTRIES) throw new RangeError(`a zip without zip64 holds at most ${MAX_ENTRIES} entries`);
    if (data.length > MAX_SIZE) throw new RangeError(`${name}: ${data.length} bytes is too large for a zip without zip64`);
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data);
    const [method, body] = deflated.length < data.length ? [DEFLATED, deflated] : [STORED, data];
    const entry: Written = { name: nameBytes, crc: crc32(data), method, compressedSize: body.length, size: data.length, offset: this.offset };
    if (this.offset + 30 + nameBytes.length + body.length > MAX_SIZE) throw new RangeError('zip would exceed 4 GiB');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    header.writeUInt16LE(UTF8_FLAG, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    header.writeUInt32LE(entry.crc, 14);
    header.writeUInt32LE(entry.compressedSize, 18);
    header.writeUInt32LE(entry.size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    this.parts.push(header, nameBytes, body);
    this.offset += header.length + nameBytes.length + body.length;
    this.written.push(entry);
  }

  /** The archive: local entries, central directory, end record. */
  finish(): Uint8Array {
    const central: Uint8Array[] = [];
    let size = 0;
    for (const e of this.written) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CENTRAL_HEADER, 0);
      h.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(UTF8_FLAG, 8);
      h.writeUInt16LE(e.method, 10);
      h.writeUInt16LE(DOS_TIME, 12);
      h.writeUInt16LE(DOS_DATE, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressedSize, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42); // extra, comment, disk, attributes: 0
      central.push(h, e.name);
      size += h.length + e.name.length;
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL, 0);
    end.writeUInt16LE(this.written.length, 8);
    end.writeUInt16LE(this.written.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(this.offset, 16);
    return Buffer.concat([...this.parts, ...central, end]);
  }
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
