// What `rvos score`, `rvos report` and `rvos export` share: opening the dataset and the `--pred` run, scoring it with
// progress and warnings, and resolving output files (never inside the dataset).

import * as path from 'node:path';
import { BENCHMARK_IDS, openBenchmarkDataset } from '../core/benchmarks';
import type { BenchmarkId } from '../core/benchmarks/profile';
import type { Dataset } from '../core/dataset';
import { openPredictionRun, type PredictionRun } from '../core/predictions';
import { refuseInsideDataset } from '../core/report/outputFile';
import type { SplitScore } from '../core/types';
import { stringOption, UsageError, type CommandContext } from './command';
import { printProblems } from './problems';
import { unannotatedFrames } from './unannotatedFrames';

/** The `--benchmark` option (a command that has it), or undefined: detect the layout. */
function benchmarkOption(ctx: CommandContext, help: string): BenchmarkId | undefined {
  const value = stringOption(ctx.values, 'benchmark');
  if (value === undefined) return undefined;
  if (!(BENCHMARK_IDS as string[]).includes(value)) throw new UsageError(`--benchmark must be one of ${BENCHMARK_IDS.join(', ')}, got ${JSON.stringify(value)}`, help);
  return value as BenchmarkId;
}

/**
 * Opens the dataset in its benchmark's layout (detected, or `--benchmark`), warning about its problems on stderr, and
 * the run named by the required `--pred`.
 */
export async function openForCli(ctx: CommandContext, help: string): Promise<{ ds: Dataset; run: PredictionRun }> {
  const predDir = stringOption(ctx.values, 'pred');
  if (predDir === undefined) throw new UsageError('missing --pred <dir>', help);
  const ds = await openBenchmarkDataset(ctx.positionals[0], { split: stringOption(ctx.values, 'split'), benchmark: benchmarkOption(ctx, help) });
  printProblems(ds.problems, ctx.stderr);
  return { ds, run: await openPredictionRun(predDir, undefined, { videoFolders: ds.benchmark === 'mevis' }) };
}

/** Scores the run: progress on a terminal, warnings about listed frames without an annotation file. */
export async function scoreRunForCli(ctx: CommandContext, ds: Dataset, run: PredictionRun, videos?: string[]): Promise<SplitScore> {
  const { stderr, signal } = ctx;
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => stderr(`\rscoring ${done}/${total}${done === total ? '\n' : ''}`)
    : undefined;
  const { scoreSplit } = await import('../core/evaluate'); // loaded on use: `rvos --help` stays instant
  const score = await scoreSplit(ds, run, { videos, signal, onProgress: progress });
  printProblems(unannotatedFrames(ds, score, videos), stderr);
  return score;
}

/** An output file option, resolved, refused inside the dataset; undefined when not given. */
export function outputOption(ctx: CommandContext, name: string, datasetRoot: string): string | undefined {
  const value = stringOption(ctx.values, name);
  if (value === undefined) return undefined;
  const file = path.resolve(value);
  refuseInsideDataset(file, datasetRoot, `--${name}`);
  return file;
}
