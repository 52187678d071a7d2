// `rvos eval <dataset>`: runs YOFO on every expression of a split (or of chosen videos), writes the masks in the
// evaluation-server layout Annotations/<video>/<exp_id>/<frame>.png, scores them with the exact J&F, and reports the
// speed of the whole pipeline (decode + infer + write). The dataset folder is never written to.

import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openBenchmarkDataset } from '../core/benchmarks';
import { selectVideos, type Dataset } from '../core/dataset';
import { InputError } from '../core/errors';
import { refuseInsideDataset, replaceFolder } from '../core/report/outputFile';
import { defaultModelDir } from '../inference/defaultModel';
import { EXECUTION_PROVIDER_SETTINGS, type ExecutionProviderSetting } from '../inference/executionProvider';
import { InferenceClient } from '../inference/inferenceClient';
import { ResultCache } from '../inference/resultCache';
import { unknownWordsNote, writeSplitPredictions } from '../inference/splitPredictions';
import { listOption, stringOption, UsageError, type Command, type OptionValues } from './command';
import { printProblems } from './problems';
import { skipUnscorableHelp, SKIP_UNSCORABLE_OPTION, scoreRunForCli, skippedLine } from './predictionRunCli';
import { percent } from './table';

const help = `usage: rvos eval <dataset> [--split <name>] [--model <dir>] [--videos <id,id,…>] [--out <dir>] [--cache <dir>]
                 [--execution-provider auto|cuda|cpu] [--json]

Runs the YOFO model on every expression of a split, writes the predicted masks (0/255 PNGs) in the evaluation-server
layout Annotations/<video>/<exp_id>/<frame>.png, scores them with J, F and J&F, and reports frames per second of the
whole pipeline (decoding, inference and writing).

  <dataset>                 folder holding meta_expressions/<split>/meta_expressions.json and <split>/JPEGImages
  --split <name>            split to run (default: train when present, else the first split)
  --model <dir>             YOFO model folder (model.json, text.onnx, frame.onnx; default: the bundled model)
  --videos <ids>            only these videos, comma-separated
  --out <dir>               where to write the predictions: a new or empty folder, or an earlier rvos eval output;
                            never inside the dataset (default: a new folder under the system temp folder)
  --cache <dir>             reuse and store results in this cache folder (same model, dataset, split, video, text);
                            never inside the dataset
  --execution-provider <p>  auto (CUDA when installed, else CPU; default), cuda or cpu
  --json                    print one JSON object: the rvos score object {J, F, JF, expressions} plus "fps"
${skipUnscorableHelp(28)}  -h, --help                show this help
`;

/** Written last into an output folder; marks it as ours, so a later run may replace it. */
const MARKER = 'rvos-eval.json';

/** Chooses the folder predictions are written to, refusing the dataset and folders with the user's files. */
async function prepareOutput(out: string | undefined, ds: Dataset): Promise<{ dir: string; replaces?: string }> {
  if (out === undefined) return { dir: await mkdtemp(path.join(tmpdir(), 'rvos-eval-')) };
  const target = path.resolve(out);
  // The output folder is replaced as a whole, so it must not hold the dataset either.
  refuseInsideDataset(target, ds.root, '--out', { what: 'predictions', around: true });
  const entries = await readdir(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new InputError(target, `cannot use as --out: ${err.code ?? err.message}`);
  });
  if (entries && entries.length > 0 && !entries.includes(MARKER)) {
    throw new InputError(
      target,
      `folder is not empty and is not an rvos eval output (no ${MARKER}); refusing to write into it`,
    );
  }
  await mkdir(path.dirname(target), { recursive: true });
  // Build the new output next to the target and swap it in at the end: an interrupted run leaves the target as it was.
  const dir = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.tmp-`));
  return { dir, replaces: target };
}

async function commitOutput(dir: string, replaces: string | undefined): Promise<string> {
  if (!replaces) return dir;
  await replaceFolder(dir, replaces);
  return replaces;
}

function executionProvider(values: OptionValues): ExecutionProviderSetting {
  const v = stringOption(values, 'execution-provider') ?? 'auto';
  if (!(EXECUTION_PROVIDER_SETTINGS as readonly string[]).includes(v)) {
    throw new UsageError(
      `--execution-provider must be one of ${EXECUTION_PROVIDER_SETTINGS.join(', ')}, got ${JSON.stringify(v)}`,
      help,
    );
  }
  return v as ExecutionProviderSetting;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'run YOFO on a split, write its masks and score them (J, F, J&F, frames/s)',
  help,
  positionals: 1,
  options: {
    ...SKIP_UNSCORABLE_OPTION,
    split: { type: 'string' },
    model: { type: 'string' },
    videos: { type: 'string' },
    out: { type: 'string' },
    cache: { type: 'string' },
    'execution-provider': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const { positionals, values, stdout, stderr, signal } = ctx;
    const provider = executionProvider(values);
    const ds = await openBenchmarkDataset(positionals[0], { split: stringOption(values, 'split') });
    printProblems(ds.problems, stderr);
    const videoIds = selectVideos(ds, listOption(values, 'videos')).map((v) => v.id);
    const modelDir = path.resolve(stringOption(values, 'model') ?? defaultModelDir());
    const cacheDir = stringOption(values, 'cache');
    if (cacheDir !== undefined)
      refuseInsideDataset(path.resolve(cacheDir), ds.root, '--cache', { what: 'the result cache' });
    const cache = cacheDir === undefined ? undefined : new ResultCache(cacheDir);
    const { dir, replaces } = await prepareOutput(stringOption(values, 'out'), ds);
    const client = new InferenceClient();
    const progress = process.stderr.isTTY;
    let committed = false;
    try {
      const result = await writeSplitPredictions({
        ds,
        videoIds,
        client,
        modelDir,
        executionProvider: provider,
        cache,
        outDir: dir,
        signal,
        onModel: (model) => model.notice && !values.json && stderr(`note: ${model.notice}\n`),
        onExpressions: progress ? (done, total) => stderr(`\rinference ${done}/${total} expressions`) : undefined,
        onSkipped: (message) => stderr(`warning: ${message}\n`),
      });
      const { model, frames, seconds } = result;
      if (progress) stderr('\n');
      const note = unknownWordsNote(modelDir, result);
      if (note) stderr(`note: ${note}\n`);
      await writeFile(
        path.join(dir, MARKER),
        JSON.stringify(
          {
            dataset: ds.root,
            split: ds.split,
            videos: videoIds,
            model: modelDir,
            modelId: model.modelId,
            device: model.device,
            frames,
            seconds,
            date: new Date().toISOString(),
          },
          null,
          2,
        ) + '\n',
      );
      const outDir = await commitOutput(dir, replaces);
      committed = true;
      const fps = seconds > 0 ? frames / seconds : 0;
      if (!ds.hasAnnotations) {
        if (values.json)
          throw new InputError(
            path.join(ds.root, ds.split, 'Annotations'),
            `no ground truth for split "${ds.split}"; predictions written to ${outDir} but cannot score`,
          );
        stdout(
          `predictions: ${outDir}\n${frames} frames in ${seconds.toFixed(1)} s (${fps.toFixed(1)} frames/s, ${model.device}); no ground truth in split "${ds.split}", not scored\n`,
        );
        return 0;
      }
      const score = await scoreRunForCli(ctx, ds, { name: 'yofo', dir: outDir }, videoIds);
      if (values.json) {
        stdout(JSON.stringify({ ...score, fps }) + '\n');
      } else {
        stdout(
          `predictions: ${outDir}\n` +
            `${score.expressions.length} expressions, ${frames} frames in ${seconds.toFixed(1)} s (${fps.toFixed(1)} frames/s, ${model.device})\n` +
            skippedLine(score) +
            `J ${percent(score.J)}  F ${percent(score.F)}  J&F ${percent(score.JF)}  (percent)\n` +
            `details: rvos score ${ds.root} --split ${ds.split} --pred ${outDir}\n`,
        );
      }
      return 0;
    } catch (err) {
      // Ours: the unfinished temp folder, never the --out it would replace. Once committed, the predictions stay: a
      // scoring error (e.g. a ground truth of another size than the frames) names files in them.
      if (!committed) await rm(dir, { recursive: true, force: true });
      throw err;
    } finally {
      client.dispose();
    }
  },
};
