// `rvos export <dataset> --pred <dir> --csv <file> | --frames-csv <file> | --json <file> | --zip <file>`: the scores
// of a prediction run as CSV / JSON, or the run as a submission zip in the evaluation-server layout.

import { expressionScoresCsv, frameScoresCsv } from '../core/report/csv';
import { refuseOverwritingInput, writeFileAtomic } from '../core/report/outputFile';
import { writeSubmissionZip } from '../core/report/submission';
import { stringOption, UsageError, type Command } from './command';
import {
  openForCli,
  outputOption,
  scoreRunForCli,
  skipUnscorableHelp,
  PREDICTION_RUN_OPTIONS,
} from './predictionRunCli';
import { count } from './table';

const help = `usage: rvos export <dataset> --pred <dir> [--split <name>] [--csv <file>] [--frames-csv <file>] [--json <file>]
                   [--zip <file>] [--benchmark <name>] [--skip-unscorable]

Exports a prediction run: its scores per expression (CSV), per frame (CSV) or both (JSON, the rvos score --json object),
or the masks as a submission zip in the layout of the benchmark's evaluation server: Ref-YouTube-VOS
Annotations/<video>/<exp_id>/<frame>.png, MeViS <video>/<exp_id>/<frame>.png at the root (no ground truth needed:
works for valid/test splits; \`rvos check\` accepts it). Give at least one output; each is written atomically, never
inside the dataset.

  <dataset>            a Ref-YouTube-VOS or MeViS dataset folder (its layout is detected; --benchmark forces one)
  --pred <dir>         prediction run: folder holding Annotations/<video>/<exp_id>/<frame>.png (MeViS: or the
                       folder of the <video> folders)
  --split <name>       split (default: train when present, else the first split)
  --benchmark <name>   ref-youtube-vos or mevis (default: detected from the dataset's layout)
  --csv <file>         per-expression scores: video, exp_id, expression, category, J, F, JF, frames, missing
  --frames-csv <file>  per-frame scores: video, exp_id, frame, J, F, JF, missing
  --json <file>        {J, F, JF, expressions: [{video, expId, expression, J, F, JF, frames: [{frame, J, F, missing}]}]}
  --zip <file>         submission zip of every listed frame of every expression that has a mask
${skipUnscorableHelp(23)}  -h, --help           show this help
`;

const SCORE_OUTPUTS = ['csv', 'frames-csv', 'json'] as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export scores (CSV, JSON) or a submission zip of a prediction run',
  help,
  positionals: 1,
  options: {
    ...PREDICTION_RUN_OPTIONS,
    benchmark: { type: 'string' },
    csv: { type: 'string' },
    'frames-csv': { type: 'string' },
    json: { type: 'string' },
    zip: { type: 'string' },
  },
  async run(ctx) {
    const { values, stdout, stderr, signal } = ctx;
    const wanted = [...SCORE_OUTPUTS, 'zip'].filter((name) => stringOption(values, name) !== undefined);
    if (wanted.length === 0) throw new UsageError('nothing to export: give --csv, --frames-csv, --json or --zip', help);
    const { ds, run } = await openForCli(ctx, help);
    const outputs = new Map(wanted.map((name) => [name, outputOption(ctx, name, ds, run)!]));
    wanted.forEach((name, i) =>
      wanted
        .slice(0, i)
        .forEach((earlier) =>
          refuseOverwritingInput(outputs.get(name)!, outputs.get(earlier)!, `--${name}`, `--${earlier} output`),
        ),
    );

    if (SCORE_OUTPUTS.some((name) => outputs.has(name))) {
      const score = await scoreRunForCli(ctx, ds, run);
      const texts: Record<(typeof SCORE_OUTPUTS)[number], () => string> = {
        csv: () => expressionScoresCsv(score),
        'frames-csv': () => frameScoresCsv(score),
        json: () => JSON.stringify(score, null, 2) + '\n',
      };
      for (const name of SCORE_OUTPUTS) {
        const out = outputs.get(name);
        if (out === undefined) continue;
        await writeFileAtomic(out, texts[name]());
        stdout(`wrote ${out}\n`);
      }
    }
    const zipOut = outputs.get('zip');
    if (zipOut !== undefined) {
      const result = await writeSubmissionZip(zipOut, ds, run, { signal });
      if (result.missing.length > 0) {
        const m = result.missing[0];
        stderr(
          `warning: ${run.dir}: ${count(result.missing.length, 'listed frame')} without a mask, left out of the zip (first: ${m.video}/${m.expId}/${m.frame}.png)\n`,
        );
      }
      stdout(`wrote ${zipOut}: ${count(result.files, 'mask')}\n`);
    }
    return 0;
  },
};
