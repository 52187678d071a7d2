// What `rvos score`, `rvos report` and `rvos export` share: opening the dataset and the `--pred` run, scoring it with
// progress and warnings, and resolving output files (never inside the dataset).

import * as path from 'node:path';
import { BENCHMARK_IDS, openBenchmarkDataset } from '../core/benchmarks';
import type { BenchmarkId } from '../core/benchmarks/profile';
import type { Dataset } from '../core/dataset';
import { openPredictionRun, type PredictionRun } from '../core/predictions';
import { refuseInsideDataset } from '../core/report/outputFile';
import type { SplitScore } from '../core/types';
import { stringOption, UsageError, type CommandContext, type OptionSpec } from './command';
import { printProblems } from './problems';
import { describeSkipped } from '../core/errors';
import { count } from './table';

/** The `--benchmark` option (a command that has it), or undefined: detect the layout. */
export function benchmarkOption(ctx: CommandContext, help: string): BenchmarkId | undefined {
  const value = stringOption(ctx.values, 'benchmark');
  if (value === undefined) return undefined;
  if (!(BENCHMARK_IDS as string[]).includes(value))
    throw new UsageError(`--benchmark must be one of ${BENCHMARK_IDS.join(', ')}, got ${JSON.stringify(value)}`, help);
  return value as BenchmarkId;
}

/**
 * Opens the dataset in its benchmark's layout (detected, or `--benchmark`), warning about its problems on stderr, and
 * the run named by the required `--pred`.
 */
export async function openForCli(ctx: CommandContext, help: string): Promise<{ ds: Dataset; run: PredictionRun }> {
  const predDir = stringOption(ctx.values, 'pred');
  if (predDir === undefined) throw new UsageError('missing --pred <dir>', help);
  const ds = await openBenchmarkDataset(ctx.positionals[0], {
    split: stringOption(ctx.values, 'split'),
    benchmark: benchmarkOption(ctx, help),
  });
  printProblems(ds.problems, ctx.stderr);
  return {
    ds,
    run: await openPredictionRun(predDir, undefined, {
      videoFolders: ds.benchmark === 'mevis' || ds.benchmark === 'revos',
    }),
  };
}

/** The option of every scoring command that turns strict scoring off. */
export const SKIP_UNSCORABLE_OPTION: OptionSpec = { 'skip-unscorable': { type: 'boolean' } };

/** The options of every command that scores a prediction run: --pred, --split and --skip-unscorable. */
export const PREDICTION_RUN_OPTIONS: OptionSpec = {
  ...SKIP_UNSCORABLE_OPTION,
  pred: { type: 'string' },
  split: { type: 'string' },
};

/** Its help text, the description starting at column `column` as in the command's other option lines. */
export function skipUnscorableHelp(column: number): string {
  const pad = ' '.repeat(column);
  return `${'  --skip-unscorable'.padEnd(column)}score the rest when expressions cannot be scored (unknown obj_id, missing
${pad}ground truth, unreadable mask) and list them; by default the split is refused (exit 1, all listed)
`;
}

/**
 * Scores the run (progress on a terminal), strictly unless --skip-unscorable: then each skipped expression is a
 * warning on stderr and the score lists them in `skipped`.
 */
export async function scoreRunForCli(
  ctx: CommandContext,
  ds: Dataset,
  run: PredictionRun,
  videos?: string[],
): Promise<SplitScore> {
  const { stderr, signal } = ctx;
  const skipUnscorable = ctx.values['skip-unscorable'] === true;
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => stderr(`\rscoring ${done}/${total}${done === total ? '\n' : ''}`)
    : undefined;
  const { scoreSplit } = await import('../core/evaluate'); // loaded on use: `rvos --help` stays instant
  const score = await scoreSplit(ds, run, { videos, signal, onProgress: progress, skipUnscorable });
  printSkipped(score, stderr);
  return score;
}

/** Warnings for the expressions --skip-unscorable left out, then their count. */
export function printSkipped(score: SplitScore, stderr: (text: string) => void): void {
  const skipped = score.skipped ?? [];
  for (const s of skipped) stderr(`warning: ${describeSkipped(s)}; skipped\n`);
  if (skipped.length > 0)
    stderr(`warning: ${count(skipped.length, 'expression')} skipped (--skip-unscorable): the split score is partial\n`);
}

/** An output file option, resolved, refused inside the dataset and inside the prediction run; undefined when not given. */
export function outputOption(ctx: CommandContext, name: string, ds: Dataset, run: PredictionRun): string | undefined {
  const value = stringOption(ctx.values, name);
  if (value === undefined) return undefined;
  const file = path.resolve(value);
  refuseInsideDataset(file, ds.root, `--${name}`);
  refuseInsideDataset(file, run.dir, `--${name}`, { folder: 'the prediction run' });
  return file;
}

/** The text output's line about skipped expressions ('' when none were). */
export function skippedLine(score: SplitScore): string {
  const n = score.skipped?.length ?? 0;
  return n > 0
    ? `${count(n, 'expression')} skipped: cannot be scored (listed on stderr); the score below is partial\n`
    : '';
}
