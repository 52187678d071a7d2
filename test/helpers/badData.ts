// Builders of broken inputs for the reliability tests (test/unit/badInput*.test.ts, faults*.test.ts), plus the CLI
// runner and the assertions they share: every bad input must end as one `error: <file>: <problem>` line (exit 1) or a
// `warning: <file>: …` line, never a stack trace.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { generateRefShapes } from '../../src/core/refshapes/generate';
import { tempDir } from './tinyDataset';

export const REPO = path.resolve(__dirname, '../..');
const ENTRY = path.join(REPO, 'src', 'cli', 'rvos.ts');

export interface CliResult {
  code: number;
  /** Signal that ended the process, if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  /** The `rvos` process, for tests that interrupt it or its inference worker. */
  pid: number;
  interrupt(): void;
  done: Promise<CliResult>;
}

/** Starts the real `rvos` entry (sources under tsx, as test/unit/cli.test.ts does); RVOS_DEBUG is cleared. */
export function startRvos(...args: string[]): CliRun {
  const env = { ...process.env };
  delete env.RVOS_DEBUG;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })),
  );
  return { pid: child.pid!, interrupt: () => child.kill('SIGINT'), done };
}

export function rvos(...args: string[]): Promise<CliResult> {
  return startRvos(...args).done;
}

function assertNoStack(r: Pick<CliResult, 'stderr'>): void {
  assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/, r.stderr);
}

/** Exit 1, nothing on stdout, exactly one `error: <file>: <problem>` line matching `problem`, no stack trace. */
export function assertCliError(r: CliResult, file: string, problem: RegExp): string {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0].startsWith(`error: ${file}: `), `expected an error about ${file}, got: ${lines[0]}`);
  assert.match(lines[0].slice(`error: ${file}: `.length), problem);
  assertNoStack(r);
  return lines[0];
}

/**
 * Exit 1 from strict scoring: nothing on stdout, one `error: <file>: video <v>, expression <e>: <reason>` line per
 * expected expression, in that order, then the summary line telling about --skip-unscorable; no stack trace.
 */
export function assertUnscorable(
  r: Pick<CliResult, 'code' | 'stdout' | 'stderr'>,
  expected: [file: string, video: string, expId: string, reason: RegExp][],
): void {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(lines.length, expected.length + 1, r.stderr);
  expected.forEach(([file, video, expId, reason], i) => {
    const head = `error: ${file}: video ${video}, expression ${expId}: `;
    assert.ok(lines[i].startsWith(head), `expected ${head}…, got: ${lines[i]}`);
    assert.match(lines[i].slice(head.length), reason);
  });
  const n = expected.length;
  assert.equal(
    lines[n],
    `error: ${n === 1 ? '1 expression' : `${n} expressions`} cannot be scored; no split score over different ground truth. Fix the files above, or pass --skip-unscorable to score the rest`,
  );
  assertNoStack(r);
}

/**
 * Exit 1 from strict scoring where `file` is what is wrong: the first error line is `error: <file>: video <v>,
 * expression <e>: <problem>` (every expression that file spoils follows, then the summary); no stack trace.
 */
export function assertUnscorableFile(r: CliResult, file: string, problem: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  const head = new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: video [^,]+, expression [^:]+: `);
  assert.ok(head.test(lines[0] ?? ''), `expected an unscorable expression naming ${file}, got:\n${r.stderr}`);
  assert.match(lines[0].replace(head, ''), problem);
  assert.match(
    lines[lines.length - 1],
    /^error: \d+ expressions? cannot be scored; .*--skip-unscorable to score the rest$/,
  );
  assertNoStack(r);
}

/** Exit 0 with a `warning: <file>: …` line matching `problem` on stderr; returns that line. */
export function assertCliWarning(r: CliResult, file: string, problem: RegExp): string {
  assert.equal(r.code, 0, r.stderr);
  const line = r.stderr
    .split('\n')
    .find((l) => l.startsWith(`warning: ${file}: `) && problem.test(l.slice(`warning: ${file}: `.length)));
  assert.ok(line, `expected a warning about ${file} matching ${problem}, got:\n${r.stderr}`);
  assertNoStack(r);
  return line;
}

/** A Ref-Shapes dataset (real JPEG frames, palette annotations) under a new temp folder: small and quick to run. */
export async function writeSampleDataset(videos = 2, width = 64, height = 48): Promise<string> {
  const root = path.join(await tempDir('bad-sample'), 'ds');
  await generateRefShapes(root, { videos, seed: 5, width, height });
  return root;
}

export function sampleMetaFile(root: string): string {
  return path.join(root, 'meta_expressions', 'train', 'meta_expressions.json');
}

type MetaExpressions = {
  videos: Record<string, { expressions: Record<string, { exp: string; obj_id?: string }>; frames: string[] }>;
};

/** Rewrites meta_expressions.json of `root` through `edit`. */
export async function editMetaExpressions(root: string, edit: (meta: MetaExpressions) => void): Promise<void> {
  const file = sampleMetaFile(root);
  const meta = JSON.parse(await readFile(file, 'utf8')) as MetaExpressions;
  edit(meta);
  await writeFile(file, JSON.stringify(meta));
}

/** A real baseline JPEG of `width`×`height`. */
export async function jpegBytes(width = 32, height = 24): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7) % 256;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

/** A JPEG whose frame header claims `width`×`height` (the data stays small): tests size limits without the memory. */
export function jpegClaimingSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  const sof = out.indexOf(Buffer.from([0xff, 0xc0])); // baseline start-of-frame: length(2) precision(1) height(2) width(2)
  assert.ok(sof > 0, 'baseline JPEG');
  out.writeUInt16BE(height, sof + 5);
  out.writeUInt16BE(width, sof + 7);
  return out;
}

/** A PNG whose IHDR claims `width`×`height` (valid CRC), followed by no image data worth decoding. */
export function pngClaimingSize(png: Uint8Array, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  // Signature (8), IHDR length (4) and type (4), then width and height; the CRC covers type + data (17 bytes).
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

export interface TreeEntry {
  size: number;
  mtimeMs: number;
  kind: 'file' | 'dir' | 'link';
}

/** Every path under `root` with its size, mtime and kind (links not followed): to prove a run wrote nothing there. */
export async function snapshotTree(root: string): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const file = path.join(dir, name);
      const st = await lstat(file);
      const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file';
      out.set(path.relative(root, file), { size: kind === 'dir' ? 0 : st.size, mtimeMs: st.mtimeMs, kind });
      if (kind === 'dir') await walk(file);
    }
  };
  const st = await lstat(root);
  out.set('.', { size: 0, mtimeMs: st.mtimeMs, kind: 'dir' });
  await walk(root);
  return out;
}
