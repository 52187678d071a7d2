// How masks should cross from the extension host to the clip viewer webview: raw 0/1 bytes (W×H) or the run-length
// encoding of src/inference/maskRle.ts. Uses the real DAVIS 2017 masks in ../shared/fixtures (480p, one object each)
// and prints, measured in this run: bytes per mask, the encode cost on the host and the decode cost in the webview,
// and the structured-clone cost (v8.serialize/deserialize, what postMessage does) for both forms.
//   node --import tsx bench/mask-transfer.ts

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { decodeBinaryMask } from '../src/core/png';
import type { Mask } from '../src/core/types';
import { decodeRle, encodeRle } from '../src/inference/maskRle';

const ROOT = path.resolve(__dirname, '..', '..', 'shared', 'fixtures', 'davis2017-masks');

async function pngFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await pngFiles(p)));
    else if (e.name.endsWith('.png')) out.push(p);
  }
  return out.sort();
}

function time(fn: () => void, reps: number): number {
  fn(); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / reps;
}

async function main(): Promise<void> {
  if (!existsSync(ROOT)) {
    console.log(`skipped: ${ROOT} not found (the shared fixtures are needed)`);
    return;
  }
  const files = (await pngFiles(ROOT)).slice(0, 200);
  const masks: Mask[] = [];
  for (const f of files) masks.push(decodeBinaryMask(await readFile(f), f));
  const rles = masks.map(encodeRle);
  const rawBytes = masks.reduce((n, m) => n + m.data.byteLength, 0);
  const rleBytes = rles.reduce((n, r) => n + r.runs.byteLength, 0);
  const reps = 3;
  const encodeMs = time(() => masks.forEach(encodeRle), reps) / masks.length;
  const decodeMs = time(() => rles.forEach((r) => decodeRle(r)), reps) / masks.length;
  const cloneRawMs = time(() => masks.forEach((m) => deserialize(serialize(m))), reps) / masks.length;
  const cloneRleMs = time(() => rles.forEach((r) => deserialize(serialize(r))), reps) / masks.length;
  const { width, height } = masks[0];
  console.log(`${masks.length} DAVIS masks (first ${width}×${height})`);
  console.log(
    `bytes per mask: raw ${(rawBytes / masks.length).toFixed(0)}, RLE ${(rleBytes / masks.length).toFixed(0)} (${(rawBytes / rleBytes).toFixed(0)}× smaller)`,
  );
  console.log(`host encode RLE: ${encodeMs.toFixed(3)} ms/mask; webview decode RLE: ${decodeMs.toFixed(3)} ms/mask`);
  console.log(
    `structured clone: raw ${cloneRawMs.toFixed(3)} ms/mask, RLE ${cloneRleMs.toFixed(3)} ms/mask (${(cloneRawMs / cloneRleMs).toFixed(1)}×)`,
  );
}

void main();
