// `rvos eval <dataset>`: runs YOFO on every expression of a split (or of chosen videos), writes the masks in the
// evaluation-server layout Annotations/<video>/<exp_id>/<frame>.png, scores them with the exact J&F, and reports the
// speed of the whole pipeline (decode + infer + write). The dataset folder is never written to.

import { setMaxListeners } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { framePath, metaExpressionsPath, openDataset, selectVideos, type Dataset } from '../core/dataset';
import { InputError, isInputError } from '../core/errors';
import { encodeGrayPng } from '../core/png';
import { refuseInsideDataset, replaceFolder } from '../core/report/outputFile';
import type { Mask } from '../core/types';
import { defaultModelDir } from '../inference/defaultModel';
import type { FrameInsight } from '../inference/frameInsight';
import { EXECUTION_PROVIDER_SETTINGS, type ExecutionProviderSetting } from '../inference/executionProvider';
import { InferenceClient } from '../inference/inferenceClient';
import { MANIFEST_FILE } from '../inference/manifest';
import { ResultCache, type CacheKey } from '../inference/resultCache';
import { listOption, stringOption, UsageError, type Command, type OptionValues } from './command';
import { printProblems } from './problems';
import { percent } from './table';
import { unannotatedFrames } from './unannotatedFrames';

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
  -h, --help                show this help
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
    throw new InputError(target, `folder is not empty and is not an rvos eval output (no ${MARKER}); refusing to write into it`);
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
    throw new UsageError(`--execution-provider must be one of ${EXECUTION_PROVIDER_SETTINGS.join(', ')}, got ${JSON.stringify(v)}`, help);
  }
  return v as ExecutionProviderSetting;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'run YOFO on a split, write its masks and score them (J, F, J&F, frames/s)',
  help,
  positionals: 1,
  options: {
    split: { type: 'string' },
    model: { type: 'string' },
    videos: { type: 'string' },
    out: { type: 'string' },
    cache: { type: 'string' },
    'execution-provider': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values, stdout, stderr, signal }) {
    const provider = executionProvider(values);
    const ds = await openDataset(positionals[0], stringOption(values, 'split'));
    printProblems(ds.problems, stderr);
    const videoIds = selectVideos(ds, listOption(values, 'videos')).map((v) => v.id);
    const modelDir = path.resolve(stringOption(values, 'model') ?? defaultModelDir());
    const cacheDir = stringOption(values, 'cache');
    if (cacheDir !== undefined) refuseInsideDataset(path.resolve(cacheDir), ds.root, '--cache', { what: 'the result cache' });
    const cache = cacheDir === undefined ? undefined : new ResultCache(cacheDir);
    const { dir, replaces } = await prepareOutput(stringOption(values, 'out'), ds);
    const client = new InferenceClient();
    const progress = process.stderr.isTTY;
    let committed = false;
    try {
      const model = await client.load({ modelDir, executionProvider: provider }, signal);
      if (model.notice && !values.json) stderr(`note: ${model.notice}\n`);
      const total = videoIds.reduce((n, id) => n + ds.videoById.get(id)!.expressions.length, 0);
      let done = 0;
      let frames = 0;
      // Expression words missing from the model vocabulary (fed as the unknown token): word → expressions using it.
      const unknownWords = new Map<string, number>();
      let withUnknown = 0;
      const noteUnknown = (words: unknown): void => {
        if (!Array.isArray(words) || words.length === 0) return;
        withUnknown++;
        for (const w of new Set(words.map(String))) unknownWords.set(w, (unknownWords.get(w) ?? 0) + 1);
      };
      const start = performance.now();
      // Each queued run listens on the signal until it settles (then removes its listener); a video with more than
      // Node's default 10 expressions is not a leak, so don't let Node warn about one.
      setMaxListeners(0, signal);
      for (const id of videoIds) {
        signal.throwIfAborted();
        const video = ds.videoById.get(id)!;
        const paths = video.frames.map((f) => framePath(ds, id, f));
        // All expressions of a video are submitted at once: the worker runs them back to back (sharing the decoded
        // frames) while this process encodes and writes the PNGs of the previous ones.
        await Promise.all(
          video.expressions.map(async (exp) => {
            const expDir = path.join(dir, 'Annotations', id, exp.expId);
            await mkdir(expDir, { recursive: true });
            const writes: Promise<void>[] = [];
            const write = (index: number, mask: Mask): void => {
              const png = encodeGrayPng({ width: mask.width, height: mask.height, data: mask.data.map((v) => (v ? 255 : 0)) });
              writes.push(writeFile(path.join(expDir, `${video.frames[index]}.png`), png));
            };
            const key: CacheKey = { modelId: model.modelId, datasetRoot: ds.root, split: ds.split, video: id, expression: exp.text };
            try {
              const cached = await cache?.get(key, video.frames);
              if (cached) {
                cached.masks.forEach((m, i) => write(i, m));
                noteUnknown(cached.info.unknownWords);
              } else {
                const masks: Mask[] = [];
                const insights: (FrameInsight | undefined)[] = [];
                // Errors about the text (e.g. no words) name the file it comes from and where in it.
                const source = `${metaExpressionsPath(ds)}: video ${id}, expression ${exp.expId}`;
                const request = { modelDir, executionProvider: provider, frames: paths, text: exp.text, source };
                const result = await client.run(request, {
                  signal,
                  onFrame: ({ index, mask, insight }) => {
                    masks[index] = mask;
                    insights[index] = insight;
                    write(index, mask);
                  },
                });
                noteUnknown(result.unknownWords);
                // With the W maps and memory use, so the viewer can replay the entry too.
                await cache?.put(key, video.frames, masks, { modelName: model.modelName, device: model.device, unknownWords: result.unknownWords }, insights);
              }
            } catch (err) {
              // One unusable expression (e.g. no words) or frame must not sink the whole evaluation.
              if (!isInputError(err)) throw err;
              stderr(`warning: ${err.message}; expression skipped (scored as empty masks)\n`);
            } finally {
              await Promise.all(writes);
            }
            frames += writes.length;
            done++;
            if (progress) stderr(`\rinference ${done}/${total} expressions`);
          }),
        );
      }
      const seconds = (performance.now() - start) / 1000;
      if (progress) stderr('\n');
      if (withUnknown > 0) {
        const top = [...unknownWords].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
        const list = top.map(([w, n]) => (n > 1 ? `${w} (${n})` : w)).join(', ') + (unknownWords.size > top.length ? ', …' : '');
        stderr(`note: ${path.join(modelDir, MANIFEST_FILE)}: ${withUnknown} of ${total} expressions use words not in the model vocabulary, read as the unknown word: ${list}\n`);
      }
      await writeFile(path.join(dir, MARKER), JSON.stringify({ dataset: ds.root, split: ds.split, videos: videoIds, model: modelDir, modelId: model.modelId, device: model.device, frames, seconds, date: new Date().toISOString() }, null, 2) + '\n');
      const outDir = await commitOutput(dir, replaces);
      committed = true;
      const fps = seconds > 0 ? frames / seconds : 0;
      if (!ds.hasAnnotations) {
        if (values.json) throw new InputError(path.join(ds.root, ds.split, 'Annotations'), `no ground truth for split "${ds.split}"; predictions written to ${outDir} but cannot score`);
        stdout(`predictions: ${outDir}\n${frames} frames in ${seconds.toFixed(1)} s (${fps.toFixed(1)} frames/s, ${model.device}); no ground truth in split "${ds.split}", not scored\n`);
        return 0;
      }
      const { scoreSplit } = await import('../core/evaluate'); // loaded on use, as in `rvos score`
      const score = await scoreSplit(ds, { name: 'yofo', dir: outDir }, { videos: videoIds, signal });
      printProblems(unannotatedFrames(ds, score, videoIds), stderr);
      if (values.json) {
        stdout(JSON.stringify({ ...score, fps }) + '\n');
      } else {
        stdout(
          `predictions: ${outDir}\n` +
            `${score.expressions.length} expressions, ${frames} frames in ${seconds.toFixed(1)} s (${fps.toFixed(1)} frames/s, ${model.device})\n` +
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
