// `rvos score <dataset> --pred <dir>`: J, F and J&F of a prediction run against a split's ground truth.

import { BENCHMARK_IDS } from '../core/benchmarks';
import { predictionsDir } from '../core/predictions';
import type { ExpressionScore, SplitScore } from '../core/types';
import { scoreBenchmark } from './benchmarkScore';
import { summarizeRevosScores } from '../core/benchmarks/revos/metrics';
import { formatRevosHuman, revosJson } from './revosScore';
import { listOption, stringOption, UsageError, type Command } from './command';
import {
  openForCli,
  scoreRunForCli,
  skipUnscorableHelp,
  PREDICTION_RUN_OPTIONS,
  skippedLine,
} from './predictionRunCli';
import { count, formatTable, percent, truncate } from './table';

const help = `usage: rvos score <dataset> --pred <dir> [--split <name>] [--benchmark <name>] [--videos <id,id,…>] [--variants]
                  [--json] [--skip-unscorable]

Scores predicted masks against the ground truth of one split with the DAVIS 2017 J (region IoU) and F (boundary
F-measure), aggregated as the benchmark's official evaluation does. A ground-truth frame without a prediction counts
as an empty mask.

  <dataset>          Ref-YouTube-VOS: folder holding meta_expressions/<split>/meta_expressions.json and <split>/Annotations
                     MeViS: folder holding <split>/meta_expressions.json and <split>/mask_dict.json
                     ReVOS: folder holding meta_expressions_<split>_.json, mask_dict.json, mask_dict_foreground.json
  --pred <dir>       prediction run: folder holding Annotations/<video>/<exp_id>/<frame>.png (or that Annotations folder;
                     MeViS, ReVOS: any folder holding <video>/<exp_id>/<frame>.png)
  --split <name>     split to score (default: train when present, else the first split)
  --benchmark <name> ref-youtube-vos, mevis, revos or ref-davis17 (default: detected from the dataset's layout)
                     ref-youtube-vos: means over the listed frames, each annotated (DAVIS 2017 evaluation);
                     mevis: means over all frames, the truth being the union of the anno_id masks; an empty
                     prediction scores 1 where no target is present; a video without predictions scores 0
                     (henghuiding/MeViS tools/eval_mevis.py);
                     revos: J, F, A, R over all frames, per type_id (referring, reasoning, no-target) and
                     overall = mean of referring and reasoning (cilinyan/VISA tools/eval_revos.py);
                     ref-davis17: the converted Ref-DAVIS17 (split valid by default): --pred holding anno_0 …
                     anno_3 is scored as the published number (four annotator runs, DAVIS 2017 unsupervised
                     protocol, averaged), --pred holding Annotations/ per expression
  --videos <ids>     only these videos, comma-separated
  --variants         also re-score under the protocol variants that move published numbers and per subset
                     (all vs annotated frames, first/last dropped, per object, target frames only; no target,
                     one/several objects, Ref-DAVIS17 first-frame/full-video and annotator, ReVOS referring /
                     reasoning / no-target): J, F, J&F, ΔJ&F
  --json             print one JSON object {J, F, JF, expressions: [{video, expId, expression, J, F, JF, frames}]}
                     (with ref-davis17 or --variants: {benchmark, mode, J, F, JF, …, variants: [rows]}; revos: J, F,
                     JF, A, R the overall number, typeId, A, R per expression, revos: the script's summary in percent)
${skipUnscorableHelp(21)}  -h, --help         show this help
`;

/** Dataset profiles (core/benchmarks), plus Ref-DAVIS17 (a Ref-YouTube-VOS layout scored by cli/benchmarkScore.ts). */
const SCORE_BENCHMARKS: readonly string[] = [...BENCHMARK_IDS, 'ref-davis17'];

/** Means of J, F and J&F over expressions, per category, in order of first appearance. */
function byCategory(expressions: ExpressionScore[]): [string, { J: number; F: number; JF: number; n: number }][] {
  const groups = new Map<string, { J: number; F: number; JF: number; n: number }>();
  for (const e of expressions) {
    if (e.category === undefined) continue;
    const g = groups.get(e.category) ?? { J: 0, F: 0, JF: 0, n: 0 };
    g.J += e.J;
    g.F += e.F;
    g.JF += e.JF;
    g.n++;
    groups.set(e.category, g);
  }
  return [...groups].map(([name, g]) => [name, { J: g.J / g.n, F: g.F / g.n, JF: g.JF / g.n, n: g.n }]);
}

function formatHuman(score: SplitScore): string {
  const rows = score.expressions.map((e) => {
    const missing = e.frames.filter((f) => f.missing).length;
    return [
      e.video,
      e.expId,
      percent(e.J),
      percent(e.F),
      percent(e.JF),
      missing ? `${missing}/${e.frames.length}` : '',
      truncate(e.expression, 60),
    ];
  });
  let out = formatTable(['video', 'exp', 'J', 'F', 'J&F', 'missing', 'expression'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'left',
  ]);
  const categories = byCategory(score.expressions);
  if (categories.length > 0) {
    const catRows = categories.map(([name, g]) => [name, String(g.n), percent(g.J), percent(g.F), percent(g.JF)]);
    out +=
      '\n' +
      formatTable(['category', 'expressions', 'J', 'F', 'J&F'], catRows, ['left', 'right', 'right', 'right', 'right']);
  }
  const frames = score.expressions.reduce((n, e) => n + e.frames.length, 0);
  const missing = score.expressions.reduce((n, e) => n + e.frames.filter((f) => f.missing).length, 0);
  out += `\n${count(score.expressions.length, 'expression')}, ${count(frames, 'scored frame')}`;
  out += missing ? `, ${missing} without a prediction (scored as empty masks)\n` : '\n';
  out += skippedLine(score);
  out += `J ${percent(score.J)}  F ${percent(score.F)}  J&F ${percent(score.JF)}  (percent)\n`;
  return out;
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score a prediction run against a split (J, F, J&F)',
  help,
  positionals: 1,
  options: {
    ...PREDICTION_RUN_OPTIONS,
    benchmark: { type: 'string' },
    videos: { type: 'string' },
    variants: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const { values, stdout, stderr } = ctx;
    const benchmark = stringOption(values, 'benchmark');
    if (benchmark !== undefined && !SCORE_BENCHMARKS.includes(benchmark)) {
      throw new UsageError(
        `--benchmark must be one of ${SCORE_BENCHMARKS.join(', ')}, got ${JSON.stringify(benchmark)}`,
        help,
      );
    }
    if (benchmark === 'ref-davis17' || values.variants === true) return scoreBenchmark(ctx, help);
    const { ds, run } = await openForCli(ctx, help);
    const score = await scoreRunForCli(ctx, ds, run, listOption(values, 'videos'));
    const frames = score.expressions.flatMap((e) => e.frames);
    if (frames.length > 0 && frames.every((f) => f.missing)) {
      stderr(
        `warning: ${predictionsDir(run)}: no prediction for any annotated frame of split "${ds.split}"; wrong --pred or --split?\n`,
      );
    }
    if (ds.benchmark === 'revos') {
      const summary = summarizeRevosScores(score.expressions);
      stdout(values.json ? JSON.stringify(revosJson(score, summary)) + '\n' : formatRevosHuman(score, summary));
      return 0;
    }
    stdout(values.json ? JSON.stringify(score) + '\n' : formatHuman(score));
    return 0;
  },
};
