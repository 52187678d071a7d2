// `rvos check <dataset> --pred <dir|zip>`: submission preflight, everything a server would reject or mis-score.

import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { BENCHMARK_IDS, openBenchmarkDataset } from '../core/benchmarks';
import { InputError } from '../core/errors';
import { describeFsError } from '../core/json';
import { checkSubmission, type SubmissionSource } from '../core/submission/check';
import { folderEntries, zipEntries } from '../core/submission/entries';
import { frameSizes } from '../core/submission/frameSizes';
import { submissionLayoutOf } from '../core/submission/layouts';
import { stringOption, UsageError, type Command } from './command';
import { benchmarkOption } from './predictionRunCli';
import { printProblems } from './problems';
import { count } from './table';

const help = `usage: rvos check <dataset> --pred <dir|zip> [--split <name>] [--benchmark ${BENCHMARK_IDS.join('|')}]

Lists everything an evaluation server would reject or mis-score in a submission, with paths: the wrong zip root,
missing videos, expressions or frames, files that are not PNGs or not binary, masks of another size than the frames,
zip entries that would leave their folder. Exits 1 when anything is found. The zip is read, never extracted.

  <dataset>          a Ref-YouTube-VOS or MeViS dataset folder (its layout is detected)
  --pred <dir|zip>   the submission: a folder or a .zip
  --split <name>     split it is for (default: train when present, else the first split)
  --benchmark <b>    open the dataset as this benchmark instead of detecting it; its server's layout applies:
                     ref-youtube-vos: Annotations/<video>/<exp_id>/<frame>.png; mevis: <video>/<exp_id>/<frame>.png
                     at the root (mask sizes from mask_dict.json's RLE sizes, else the frames)
  -h, --help         show this help
`;

async function openSource(pred: string): Promise<SubmissionSource & { close(): void }> {
  const abs = path.resolve(pred);
  const info = await stat(abs).catch((err: unknown) => {
    throw new InputError(pred, describeFsError(err));
  });
  if (info.isDirectory())
    return { path: abs, isZip: false, entries: await folderEntries(abs), unsafe: [], close: () => undefined };
  const zip = await zipEntries(abs);
  return { path: abs, isZip: true, entries: zip.entries, unsafe: zip.unsafe, close: () => zip.close() };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check a submission folder or zip before sending it to an evaluation server',
  help,
  positionals: 1,
  options: { pred: { type: 'string' }, split: { type: 'string' }, benchmark: { type: 'string' } },
  async run(ctx) {
    const { values, stdout, stderr } = ctx;
    const pred = stringOption(values, 'pred');
    if (pred === undefined) throw new UsageError('missing --pred <dir|zip>', help);
    const ds = await openBenchmarkDataset(ctx.positionals[0], {
      split: stringOption(values, 'split'),
      benchmark: benchmarkOption(ctx, help),
    });
    printProblems(ds.problems, stderr);
    const { layout } = submissionLayoutOf(ds);
    const source = await openSource(pred);
    try {
      const problems = await checkSubmission(ds, source, { layout, frameSize: frameSizes(ds) });
      for (const p of problems) stdout(`${p.where}: ${p.problem}\n`);
      if (problems.length > 0) {
        stdout(`${count(problems.length, 'problem')}: a server would reject or mis-score this submission\n`);
        return 1;
      }
      const expressions = ds.videos.reduce((n, v) => n + v.expressions.length, 0);
      stdout(
        `ok: ${count(source.entries.length, 'file')} cover the ${count(expressions, 'expression')} of split "${ds.split}" (${layout.root})\n`,
      );
      return 0;
    } finally {
      source.close();
    }
  },
};
