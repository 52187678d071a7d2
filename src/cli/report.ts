// `rvos report <dataset> --pred <dir> --out <file.html>`: a self-contained HTML failure report of a prediction run
// (worst expressions first, with their worst frames' difference overlays, tags and notes).

import { AnnotationsStore } from '../core/analysis/annotationsStore';
import { refuseOverwritingInput, writeFileAtomic } from '../core/report/outputFile';
import { integerOption, stringOption, UsageError, type Command } from './command';
import {
  openForCli,
  outputOption,
  scoreRunForCli,
  skipUnscorableHelp,
  PREDICTION_RUN_OPTIONS,
} from './predictionRunCli';
import { count } from './table';

const help = `usage: rvos report <dataset> --pred <dir> --out <file.html> [--split <name>] [--worst <n>] [--annotations <file>]
                   [--skip-unscorable]

Writes a self-contained HTML failure report of a prediction run: J, F and J&F, the histogram of per-expression J&F,
and the worst expressions with their worst frame shown with the difference overlay (true positives, false positives,
false negatives), their tags and notes. No scripts, no external resources.

  <dataset>            folder holding meta_expressions/<split>/meta_expressions.json and <split>/Annotations
  --pred <dir>         prediction run: folder holding Annotations/<video>/<exp_id>/<frame>.png
  --out <file.html>    the report to write (replaced atomically; never inside the dataset)
  --split <name>       split to score (default: train when present, else the first split)
  --worst <n>          how many expressions to show (default 50)
  --annotations <file> tags and notes (default: .rvos/annotations.json in the current folder, when present)
${skipUnscorableHelp(23)}  -h, --help           show this help
`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML failure report of a prediction run',
  help,
  positionals: 1,
  options: {
    ...PREDICTION_RUN_OPTIONS,
    out: { type: 'string' },
    worst: { type: 'string' },
    annotations: { type: 'string' },
  },
  async run(ctx) {
    const { values, stdout, signal } = ctx;
    if (stringOption(values, 'out') === undefined) throw new UsageError('missing --out <file.html>', help);
    const worst = integerOption(values, 'worst', 50, help);
    const annotationsFile = stringOption(values, 'annotations') ?? AnnotationsStore.fileIn(process.cwd());
    const annotations = await AnnotationsStore.load(annotationsFile);
    const { ds, run } = await openForCli(ctx, help);
    const out = outputOption(ctx, 'out', ds, run)!;
    refuseOverwritingInput(out, annotationsFile, '--out', 'tags and notes file (--annotations)');
    const score = await scoreRunForCli(ctx, ds, run);
    const { buildReport } = await import('../core/report/buildReport'); // sharp loads on use
    const { renderHtmlReport } = await import('../core/report/htmlReport');
    const input = await buildReport(ds, run, score, { worst, annotations, signal });
    await writeFileAtomic(out, renderHtmlReport(input));
    stdout(`wrote ${out}: ${count(input.items.length, 'expression')} of ${score.expressions.length}\n`);
    return 0;
  },
};
