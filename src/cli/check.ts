// `rvos check <dataset> --pred <dir|zip>`: submission preflight, everything a server would reject or mis-score.

import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { framePath, openDataset } from '../core/dataset';
import { InputError } from '../core/errors';
import { describeFsError } from '../core/json';
import { checkSubmission, type SubmissionSource } from '../core/submission/check';
import { folderEntries, zipEntries } from '../core/submission/entries';
import { isSubmissionBenchmark, SUBMISSION_LAYOUTS } from '../core/submission/layouts';
import { stringOption, UsageError, type Command } from './command';
import { printProblems } from './problems';
import { count } from './table';

const help = `usage: rvos check <dataset> --pred <dir|zip> [--split <name>] [--benchmark ${Object.keys(SUBMISSION_LAYOUTS).join('|')}]

Lists everything an evaluation server would reject or mis-score in a submission, with paths: the wrong zip root,
missing videos, expressions or frames, files that are not PNGs or not binary, masks of another size than the frames,
zip entries that would leave their folder. Exits 1 when anything is found. The zip is read, never extracted.

  <dataset>          folder holding meta_expressions/<split>/meta_expressions.json and <split>/JPEGImages
  --pred <dir|zip>   the submission: a folder or a .zip
  --split <name>     split it is for (default: train when present, else the first split)
  --benchmark <b>    whose layout: ref-youtube-vos (default: Annotations/<video>/<exp_id>/<frame>.png) or mevis
                     (<video>/<exp_id>/<frame>.png at the root)
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
    const benchmark = stringOption(values, 'benchmark') ?? 'ref-youtube-vos';
    if (!isSubmissionBenchmark(benchmark))
      throw new UsageError(
        `--benchmark must be one of ${Object.keys(SUBMISSION_LAYOUTS).join(', ')}, got ${JSON.stringify(benchmark)}`,
        help,
      );
    const ds = await openDataset(ctx.positionals[0], stringOption(values, 'split'));
    printProblems(ds.problems, stderr);
    const source = await openSource(pred);
    try {
      const { checkFrameImage } = await import('../core/frameImage'); // sharp loads on use
      const frameSize = async (video: string) => {
        const first = ds.videoById.get(video)?.frames[0];
        return first === undefined ? undefined : checkFrameImage(framePath(ds, video, first)).catch(() => undefined);
      };
      const problems = await checkSubmission(ds, source, { benchmark, frameSize });
      for (const p of problems) stdout(`${p.where}: ${p.problem}\n`);
      if (problems.length > 0) {
        stdout(`${count(problems.length, 'problem')}: a server would reject or mis-score this submission\n`);
        return 1;
      }
      const expressions = ds.videos.reduce((n, v) => n + v.expressions.length, 0);
      stdout(
        `ok: ${count(source.entries.length, 'file')} cover the ${count(expressions, 'expression')} of split "${ds.split}" (${SUBMISSION_LAYOUTS[benchmark].root})\n`,
      );
      return 0;
    } finally {
      source.close();
    }
  },
};
