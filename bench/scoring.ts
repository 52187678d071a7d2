// Per-pair J + F time on the 480p DAVIS fixture pairs (PNG decoding excluded), ours vs the Python reference
// (/work/shared/reference/jf_ref.py, numpy + OpenCV), measured in the same run:
//   node --import tsx bench/scoring.ts [repeats=5]
// Needs ../shared and /usr/bin/python3 with numpy, OpenCV and PIL (Debian python3-numpy, python3-opencv, python3-pil).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeIndexMask } from '../src/core/png';
import { scorePair } from '../src/core/scoring';
import type { Mask } from '../src/core/types';

const SHARED = path.join(__dirname, '../../shared');
const FIXTURES = path.join(SHARED, 'fixtures/davis2017-masks');
const REFERENCE = path.join(SHARED, 'reference');
const PYTHON = '/usr/bin/python3';
const TARGET_RATIO = 10;

if (!existsSync(FIXTURES)) {
  console.error(`bench/scoring.ts: shared fixtures not found at ${FIXTURES}`);
  process.exit(2);
}
const repeats = Number(process.argv[2] ?? 5);
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
  pairs: { sequence: string; frame: string; object: number; J: number; F: number }[];
};

const decoded = new Map<string, Mask>();
function load(method: string, seq: string, frame: string): Mask {
  const file = path.join(FIXTURES, method, seq, `${frame}.png`);
  let m = decoded.get(file);
  if (!m) decoded.set(file, (m = decodeIndexMask(readFileSync(file), file)));
  return m;
}
const select = (m: Mask, id: number): Mask => ({
  width: m.width,
  height: m.height,
  data: m.data.map((v) => (v === id ? 1 : 0)),
});
const pairs = expected.pairs.map(
  (p) =>
    [
      select(load('osvos', p.sequence, p.frame), p.object),
      select(load('rvos', p.sequence, p.frame), p.object),
    ] as const,
);

// Correctness first: a fast wrong answer is no result.
let worst = 0;
expected.pairs.forEach((p, i) => {
  const s = scorePair(pairs[i][0], pairs[i][1]);
  worst = Math.max(worst, Math.abs(s.J - p.J), Math.abs(s.F - p.F));
});
if (worst > 1e-9) throw new Error(`scores differ from expected.json by up to ${worst}`);

let best = Infinity;
let checksum = 0;
for (let r = 0; r < repeats + 1; r++) {
  const start = performance.now();
  checksum = 0;
  for (const [gt, pred] of pairs) {
    const s = scorePair(gt, pred);
    checksum += s.J + s.F;
  }
  const ms = performance.now() - start;
  if (r > 0) best = Math.min(best, ms); // the first pass warms up the JIT
}
const ours = best / pairs.length;

const py = JSON.parse(
  execFileSync(
    PYTHON,
    [path.join(__dirname, 'jf_ref_pairs.py'), FIXTURES, REFERENCE, String(Math.max(1, Math.min(repeats, 3)))],
    { encoding: 'utf8' },
  ),
) as {
  pairs: number;
  ms_per_pair: number;
  checksum: number;
};
if (Math.abs(py.checksum - checksum) > 1e-6)
  throw new Error(`checksums differ: ours ${checksum}, reference ${py.checksum}`);

const ratio = py.ms_per_pair / ours;
console.log(`J+F per 480p pair, decoding excluded (${pairs.length} DAVIS fixture pairs, best of ${repeats} passes):`);
console.log(`  ours (TypeScript)        ${ours.toFixed(3)} ms`);
console.log(`  jf_ref.py (numpy+cv2)    ${py.ms_per_pair.toFixed(3)} ms`);
console.log(
  `  speed-up                 ${ratio.toFixed(1)}×  (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
);
