// Runs YOFO on every expression of some videos of a split and writes the masks (0/255 PNGs) in the evaluation-server
// layout <outDir>/Annotations/<video>/<exp_id>/<frame>.png. Shared by `rvos eval` and the extension's "Run YOFO on
// Split…", so both produce the same folder from the same model and data. Never writes inside the dataset: `outDir`
// is chosen (and checked) by the caller.

import { setMaxListeners } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { framePath, metaExpressionsPath, type Dataset } from '../core/dataset';
import { isInputError } from '../core/errors';
import { encodeGrayPng } from '../core/png';
import type { Mask } from '../core/types';
import type { ExecutionProviderSetting } from './executionProvider';
import type { FrameInsight } from './frameInsight';
import type { InferenceClient } from './inferenceClient';
import { MANIFEST_FILE } from './manifest';
import type { CacheKey, ResultCache } from './resultCache';
import type { ModelInfo } from './workerProtocol';

export interface SplitPredictionOptions {
  ds: Dataset;
  /** Ids of the videos to run, in order. */
  videoIds: readonly string[];
  client: InferenceClient;
  modelDir: string;
  executionProvider: ExecutionProviderSetting;
  /** onnxruntime threads; undefined = its default. */
  threads?: number;
  /** Reused when it holds an entry for (model, dataset, split, video, text); filled otherwise. */
  cache?: ResultCache;
  /** The folder the Annotations/ tree is written into. */
  outDir: string;
  signal: AbortSignal;
  /** Called once the model is loaded (before any frame). */
  onModel?: (model: ModelInfo) => void;
  /** Frames written so far (from the model or the cache) out of all frames of all expressions. */
  onFrames?: (done: number, total: number) => void;
  /** Expressions finished so far out of all of them. */
  onExpressions?: (done: number, total: number) => void;
  /** An expression that could not be run (bad text or frame); it is left without masks, scored as empty. */
  onSkipped?: (message: string) => void;
}

export interface SplitPredictions {
  model: ModelInfo;
  expressions: number;
  /** Mask files written. */
  frames: number;
  /** Wall time of the whole pipeline (decode, infer, encode, write). */
  seconds: number;
  /** Expression words missing from the model vocabulary (fed as the unknown token): word → expressions using it. */
  unknownWords: Map<string, number>;
  /** Expressions that used at least one unknown word. */
  withUnknown: number;
}

export async function writeSplitPredictions(o: SplitPredictionOptions): Promise<SplitPredictions> {
  const { ds, client, modelDir, executionProvider, cache, signal } = o;
  const model = await client.load({ modelDir, executionProvider, threads: o.threads }, signal);
  o.onModel?.(model);
  const videos = o.videoIds.map((id) => ds.videoById.get(id)!);
  const total = videos.reduce((n, v) => n + v.expressions.length, 0);
  const totalFrames = videos.reduce((n, v) => n + v.expressions.length * v.frames.length, 0);
  let done = 0;
  let frames = 0;
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
  for (const video of videos) {
    signal.throwIfAborted();
    const id = video.id;
    const paths = video.frames.map((f) => framePath(ds, id, f));
    // All expressions of a video are submitted at once: the worker runs them back to back (sharing the decoded
    // frames) while this process encodes and writes the PNGs of the previous ones. All of them are settled before a
    // failure (or a cancel) is passed on, so no write lands in `outDir` after the caller removed it.
    const settled = await Promise.allSettled(
      video.expressions.map(async (exp) => {
        const expDir = path.join(o.outDir, 'Annotations', id, exp.expId);
        await mkdir(expDir, { recursive: true });
        const writes: Promise<void>[] = [];
        const write = (index: number, mask: Mask): void => {
          const png = encodeGrayPng({
            width: mask.width,
            height: mask.height,
            data: mask.data.map((v) => (v ? 255 : 0)),
          });
          writes.push(
            writeFile(path.join(expDir, `${video.frames[index]}.png`), png).then(() => {
              frames++;
              o.onFrames?.(frames, totalFrames);
            }),
          );
        };
        const key: CacheKey = {
          modelId: model.modelId,
          datasetRoot: ds.root,
          split: ds.split,
          video: id,
          expression: exp.text,
        };
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
            const request = { modelDir, executionProvider, threads: o.threads, frames: paths, text: exp.text, source };
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
            await cache?.put(
              key,
              video.frames,
              masks,
              { modelName: model.modelName, device: model.device, unknownWords: result.unknownWords },
              insights,
            );
          }
        } catch (err) {
          // One unusable expression (e.g. no words) or frame must not sink the whole run.
          if (!isInputError(err)) throw err;
          o.onSkipped?.(`${err.message}; expression skipped (scored as empty masks)`);
        } finally {
          await Promise.all(writes);
        }
        done++;
        o.onExpressions?.(done, total);
      }),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return { model, expressions: total, frames, seconds: (performance.now() - start) / 1000, unknownWords, withUnknown };
}

/** The note about words outside the model vocabulary (the 10 most used), or undefined when there were none. */
export function unknownWordsNote(modelDir: string, result: SplitPredictions): string | undefined {
  if (result.withUnknown === 0) return undefined;
  const top = [...result.unknownWords].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  const list =
    top.map(([w, n]) => (n > 1 ? `${w} (${n})` : w)).join(', ') + (result.unknownWords.size > top.length ? ', …' : '');
  return `${path.join(modelDir, MANIFEST_FILE)}: ${result.withUnknown} of ${result.expressions} expressions use words not in the model vocabulary, read as the unknown word: ${list}`;
}
