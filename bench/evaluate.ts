// End-to-end split scoring (PNG decoding and file reading included): scoreSplit vs a straightforward Python scorer
// (bench/score_split_ref.py with jf_ref.py), on the same synthetic split, measured in the same run:
//   node --import tsx bench/evaluate.ts [copies=2]
// (run `npm run build` first to also time the bundled CLI, `rvos score`, whose workers start without tsx;
// KEEP_BENCH_DIR=1 keeps the generated split for profiling).
// The split is built in a temp dir from the DAVIS fixture masks: each of the 4 sequences, `copies` times, is a video
// with one expression per object id 1–3; ground truth = the osvos annotation PNGs, predictions = rvos == id written
// as 0/255 PNGs in the evaluation-server layout Annotations/<video>/<exp_id>/<frame>.png.
// Needs ../shared/reference (the Python scorer) and /usr/bin/python3 with numpy, OpenCV and PIL.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { openDataset } from '../src/core/dataset';
import { scoreSplit } from '../src/core/evaluate';
import { buildDavisSplit, DAVIS_SPLIT as SPLIT, FIXTURES, PYTHON, REFERENCE } from './lib/davisSplit';
import { inBenchDir, runBench } from './lib/benchDir';

const TARGET_RATIO = 4;

async function main(): Promise<void> {
  if (!existsSync(FIXTURES)) {
    console.error(`bench/evaluate.ts: shared fixtures not found at ${FIXTURES}`);
    process.exit(2);
  }
  const copies = Number(process.argv[2] ?? 2);
  await inBenchDir('evaluate', async (root) => {
    const split = await buildDavisSplit(root, copies);
    const run = { name: 'rvos', dir: split.run };

    const time = async (workers?: number) => {
      const start = performance.now();
      const ds = await openDataset(split.dataset, SPLIT);
      const score = await scoreSplit(ds, run, { workers });
      return { seconds: (performance.now() - start) / 1000, score };
    };
    await time(0); // warm the page cache and the JIT like the Python run below finds them
    const pooled = await time();
    const single = await time(0);

    // The shipped path: the esbuild bundle, whose workers start from plain JS (no tsx), process start-up included.
    const cli = path.join(__dirname, '../dist/cli.js');
    let cliSeconds: number | undefined;
    if (existsSync(cli)) {
      const start = performance.now();
      const out = JSON.parse(
        execFileSync(process.execPath, [cli, 'score', split.dataset, '--split', SPLIT, '--pred', split.run, '--json'], {
          encoding: 'utf8',
        }),
      ) as { J: number };
      cliSeconds = (performance.now() - start) / 1000;
      if (out.J !== pooled.score.J) throw new Error(`dist/cli.js gives J ${out.J}, scoreSplit ${pooled.score.J}`);
    }

    const py = JSON.parse(
      execFileSync(PYTHON, [path.join(__dirname, 'score_split_ref.py'), split.dataset, SPLIT, split.run, REFERENCE], {
        encoding: 'utf8',
      }),
    ) as {
      J: number;
      F: number;
      JF: number;
      expressions: number;
      seconds: number;
    };
    const diff = Math.max(Math.abs(py.J - pooled.score.J), Math.abs(py.F - pooled.score.F));
    if (diff > 1e-9 || py.expressions !== pooled.score.expressions.length) {
      throw new Error(
        `results differ: ours J ${pooled.score.J} F ${pooled.score.F} (${pooled.score.expressions.length}), Python J ${py.J} F ${py.F} (${py.expressions})`,
      );
    }
    const pairs = split.frames * 3;
    const ratio = py.seconds / pooled.seconds;
    console.log(
      `Scoring a split end to end: ${split.expressions} expressions, ${split.frames} annotated frames, ${pairs} mask pairs (480p)`,
    );
    console.log(`  J ${pooled.score.J.toFixed(6)}  F ${pooled.score.F.toFixed(6)}  (identical to the Python scorer's)`);
    console.log(
      `  ours, ${Math.min(availableParallelism(), 8)} worker threads   ${pooled.seconds.toFixed(2)} s  (${((pooled.seconds * 1000) / pairs).toFixed(2)} ms/pair)`,
    );
    console.log(
      `  ours, 1 thread            ${single.seconds.toFixed(2)} s  (${((single.seconds * 1000) / pairs).toFixed(2)} ms/pair)`,
    );
    if (cliSeconds !== undefined) {
      console.log(
        `  rvos score (dist/cli.js)  ${cliSeconds.toFixed(2)} s  (${((cliSeconds * 1000) / pairs).toFixed(2)} ms/pair, process start included)`,
      );
    }
    console.log(
      `  Python (PIL + jf_ref.py)  ${py.seconds.toFixed(2)} s  (${((py.seconds * 1000) / pairs).toFixed(2)} ms/pair)`,
    );
    const cliRatio = cliSeconds === undefined ? '' : `, ${(py.seconds / cliSeconds).toFixed(1)}× through the CLI`;
    console.log(
      `  speed-up                  ${ratio.toFixed(1)}× with workers, ${(py.seconds / single.seconds).toFixed(1)}× in one thread${cliRatio}  (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
  });
}

runBench(main);
