// `rvos score … --benchmark ref-davis17` and `rvos score … --variants`: chooses the evaluation, calls the pure modules
// in src/core/benchmarks/{davis17,variants} and prints. Both read Ref-YouTube-VOS-layout splits (the converted
// Ref-DAVIS17 is one); the per-expression scores of every layout go through the profiles (core/evaluate.ts).

import * as path from 'node:path';
import { openDataset, selectVideos, type Dataset } from '../core/dataset';
import {
  evaluateRefDavis,
  expressionIdOf,
  hasAnnotatorRuns,
  refDavisSubsets,
  type RefDavisScore,
} from '../core/benchmarks/davis17/refDavis';
import type { DavisStatistics } from '../core/benchmarks/davis17/numpyStats';
import { detectBenchmark, openBenchmarkDataset } from '../core/benchmarks';
import { runVariantTable } from '../core/benchmarks/variants/forRun';
import {
  variantTable,
  type ExpressionFrames,
  type FrameRule,
  type VariantRow,
} from '../core/benchmarks/variants/variants';
import { InputError } from '../core/errors';
import { openPredictionRun } from '../core/predictions';
import { listOption, stringOption, UsageError, type CommandContext } from './command';
import { printSkipped } from './predictionRunCli';
import { printProblems } from './problems';
import { formatTable, percent } from './table';

export const BENCHMARKS = ['ref-youtube-vos', 'ref-davis17', 'revos'] as const;

/** The matched objects of the four runs as "expressions" (4·k + a), for the variant table. */
function runsAsExpressions(score: RefDavisScore): ExpressionFrames[] {
  return score.runs.flatMap(({ run, summary }) =>
    summary.objects.map((o) => {
      const expId = expressionIdOf(o.trueId - 1, run);
      return {
        video: o.sequence,
        expId,
        objectKey: `${o.sequence}/${o.trueId}`,
        targets: 1,
        tags: refDavisSubsets(expId),
        frames: o.jFrames.map((J, t) => ({
          frame: String(t),
          annotated: true,
          gtEmpty: o.trueEmptyFrames[t],
          J,
          F: o.fFrames[t],
        })),
      };
    }),
  );
}

function formatVariants(rows: VariantRow[]): string {
  const signed = (d: number) => (Number.isFinite(d) ? `${d >= 0 ? '+' : ''}${(100 * d).toFixed(1)}` : '–');
  const body = rows.map((r) => [
    r.name,
    r.kind,
    String(r.expressions),
    percent(r.J),
    percent(r.F),
    percent(r.JF),
    r.name === 'official' ? '' : signed(r.delta),
  ]);
  return formatTable(['variant', 'kind', 'expressions', 'J', 'F', 'J&F', 'ΔJ&F'], body, [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

function formatStats(s: DavisStatistics): string[] {
  return [percent(s.mean), percent(s.recall), percent(s.decay)];
}

function formatRuns(score: RefDavisScore): string {
  const rows = score.runs.map((r) => [
    `anno_${r.run}`,
    r.name,
    percent(r.summary.JF),
    ...formatStats(r.summary.J),
    ...formatStats(r.summary.F),
  ]);
  rows.push([
    'mean',
    'reported Ref-DAVIS17 number',
    percent(score.JF),
    percent(score.J),
    '',
    '',
    percent(score.F),
    '',
    '',
  ]);
  const header = ['run', 'expressions', 'J&F', 'J-Mean', 'J-Recall', 'J-Decay', 'F-Mean', 'F-Recall', 'F-Decay'];
  return formatTable(header, rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']);
}

/** `rvos score <revos root> --variants`: the official summary, then the variant rows. */
async function scoreRevosVariants(ctx: CommandContext, predDir: string, videos?: string[]): Promise<number> {
  const ds = await openBenchmarkDataset(ctx.positionals[0], {
    split: stringOption(ctx.values, 'split'),
    benchmark: 'revos',
  });
  printProblems(ds.problems, ctx.stderr);
  const run = await openPredictionRun(predDir, undefined, { videoFolders: true });
  const skipUnscorable = ctx.values['skip-unscorable'] === true;
  const { rows, score } = await runVariantTable(ds, run, { videos, signal: ctx.signal, skipUnscorable });
  printSkipped(score, ctx.stderr);
  const o = rows[0];
  if (ctx.values.json) {
    ctx.stdout(
      JSON.stringify({ benchmark: 'revos', mode: 'per-expression', J: o.J, F: o.F, JF: o.JF, variants: rows }) + '\n',
    );
  } else {
    ctx.stdout(
      `ReVOS (cilinyan/VISA tools/eval_revos.py): overall J ${percent(o.J)}  F ${percent(o.F)}  J&F ${percent(o.JF)}  (percent, mean of the referring and reasoning means)\n\n${formatVariants(rows)}`,
    );
  }
  return 0;
}

async function openSplit(ctx: CommandContext, defaultSplit: string | undefined): Promise<Dataset> {
  const root = ctx.positionals[0];
  const ds = await openDataset(root, stringOption(ctx.values, 'split') ?? defaultSplit);
  printProblems(ds.problems, ctx.stderr);
  return ds;
}

/** Runs `rvos score` for --benchmark / --variants; returns the exit code. */
export async function scoreBenchmark(ctx: CommandContext, help: string): Promise<number> {
  const { values, stdout, signal } = ctx;
  const detected = (await detectBenchmark(path.resolve(ctx.positionals[0])))?.id;
  const benchmark = stringOption(values, 'benchmark') ?? (detected === 'revos' ? 'revos' : 'ref-youtube-vos');
  if (!(BENCHMARKS as readonly string[]).includes(benchmark))
    throw new UsageError(`--variants works on ${BENCHMARKS.join(' and ')} splits, not ${benchmark}`, help);
  const predDir = stringOption(values, 'pred');
  if (predDir === undefined) throw new UsageError('missing --pred <dir>', help);
  const wantVariants = values.variants === true;
  const videos = listOption(values, 'videos');
  if (benchmark === 'revos') return scoreRevosVariants(ctx, predDir, videos);
  const ds = await openSplit(ctx, benchmark === 'ref-davis17' && values.split === undefined ? 'valid' : undefined);

  let expressions: ExpressionFrames[];
  let official: FrameRule;
  let head: string;
  let json: Record<string, unknown>;
  if (benchmark === 'ref-davis17' && (await hasAnnotatorRuns(path.resolve(predDir)))) {
    const sequences = selectVideos(ds, videos).map((v) => v.id);
    const score = await evaluateRefDavis(
      path.join(ds.root, ds.split, 'Annotations'),
      path.resolve(predDir),
      sequences,
      signal,
    );
    expressions = runsAsExpressions(score);
    official = 'all';
    head = `Ref-DAVIS17, mode: annotator runs (anno_0 … anno_3, DAVIS 2017 unsupervised protocol, mean of the four runs)\n${formatRuns(score)}`;
    json = {
      benchmark,
      mode: score.mode,
      J: score.J,
      F: score.F,
      JF: score.JF,
      runs: score.runs.map((r) => ({ run: r.run, name: r.name, ...r.summary })),
    };
  } else {
    const run = await openPredictionRun(predDir).catch((err: unknown) => {
      if (benchmark === 'ref-davis17' && err instanceof InputError)
        throw new InputError(err.file, `${err.problem}; or folders anno_0 … anno_3 (annotator runs)`);
      throw err;
    });
    // The official number is scoreSplit's, strict as `rvos score` (unscorable expressions refuse it, or are left out
    // with --skip-unscorable); the variants re-score the same expressions.
    const tagsOf = benchmark === 'ref-davis17' ? refDavisSubsets : undefined;
    const skipUnscorable = values['skip-unscorable'] === true;
    const table = await runVariantTable(ds, run, { videos, tagsOf, signal, skipUnscorable });
    printSkipped(table.score, ctx.stderr);
    expressions = table.expressions;
    const score = table.score;
    official = 'annotated';
    const o = { J: score.J, F: score.F, JF: score.JF, expressions: score.expressions.length };
    const mode =
      benchmark === 'ref-davis17'
        ? 'Ref-DAVIS17, mode: per expression (binary masks, Ref-YouTube-VOS rules; papers report the annotator runs)'
        : 'Ref-YouTube-VOS';
    head = `${mode}\nJ ${percent(o.J)}  F ${percent(o.F)}  J&F ${percent(o.JF)}  (percent, ${o.expressions} expressions)\n`;
    json = { benchmark, mode: 'per-expression', J: o.J, F: o.F, JF: o.JF, expressions: o.expressions };
  }
  const rows = wantVariants ? variantTable(expressions, official) : undefined;
  if (values.json) stdout(JSON.stringify(rows ? { ...json, variants: rows } : json) + '\n');
  else stdout(rows ? `${head}\n${formatVariants(rows)}` : head);
  return 0;
}
