// Runs YOFO online over a clip with onnxruntime-node: the text graph once per expression, then the frame graph frame
// by frame with the previous frame and the memory ring of past entries (training/CONTRACT.md). Sessions are created
// once per model and reused for every expression. Only plain ONNX graphs are loaded: no custom operator libraries.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { InputError } from '../core/errors';
import type { Mask } from '../core/types';
import { checkGraph, contractSpecs } from './contract';
import { planProviders, type ExecutionProviderSetting } from './executionProvider';
import { loadManifest, type ModelManifest } from './manifest';
import { MemoryRing } from './memoryRing';
import { logitsToMask, NonFiniteLogitsError } from './postprocess';
import { ClipFrameCache, type PreparedFrame } from './clipFrameCache';
import { frameInsight, type FrameInsight } from './frameInsight';
import { decodeRgb, preprocessFrame } from './preprocess';
import { Tokenizer } from './tokenizer';

export interface LoadOptions {
  executionProvider?: ExecutionProviderSetting;
  /** onnxruntime intra-op threads; default: onnxruntime's choice (the physical cores). */
  threads?: number;
}

export interface FrameResult {
  /** Index of the frame in the clip. */
  index: number;
  /** 0/1 mask at the frame's original size. */
  mask: Mask;
  /** Raw mask logits at the model input size (input.width × input.height), as frame.onnx returned them. */
  logits: Float32Array;
  /** This frame's soft weight map W and the memory frames the meta-transfer fit used for it. */
  insight: FrameInsight;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called in frame order; awaited, so a slow consumer slows the run instead of queueing masks. */
  onFrame?: (result: FrameResult) => void | Promise<void>;
  /** Names the expression in errors (e.g. "video/expId"); default "expression". */
  source?: string;
}

export interface RunSummary {
  frames: number;
  /** Expression words missing from the model vocabulary (fed as the unknown token). */
  unknownWords: string[];
}

/** sha256 over model.json and both graphs: identifies the model for the result cache. */
function modelHash(manifestBytes: Uint8Array, text: Uint8Array, frame: Uint8Array): string {
  const h = createHash('sha256');
  for (const part of [manifestBytes, text, frame]) {
    h.update(String(part.length)).update(':').update(part);
  }
  return h.digest('hex').slice(0, 32);
}

async function readGraph(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new InputError(
      file,
      `cannot read ONNX graph: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

async function createSession(
  file: string,
  bytes: Uint8Array,
  providers: string[],
  threads?: number,
): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: providers,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3, // errors only: shape-inference warnings on stderr would reach CLI users
      ...(threads ? { intraOpNumThreads: threads } : {}),
    });
  } catch (err) {
    throw new InputError(
      file,
      `cannot load ONNX graph (${providers.join('+')}): ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

export class YofoRunner {
  private readonly frameCache = new ClipFrameCache();

  private constructor(
    readonly manifest: ModelManifest,
    /** Content hash of the model files. */
    readonly modelId: string,
    /** Execution providers in use, e.g. "cuda+cpu" or "cpu". */
    readonly device: string,
    /** Set when the CPU is used instead of a GPU the setting asked for: show it to the user. */
    readonly notice: string | undefined,
    private readonly text: ort.InferenceSession,
    private readonly frame: ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
  ) {}

  static async load(modelDir: string, options: LoadOptions = {}): Promise<YofoRunner> {
    const manifest = await loadManifest(modelDir);
    const [manifestBytes, textBytes, frameBytes] = await Promise.all([
      readFile(manifest.file),
      readGraph(manifest.graphs.text),
      readGraph(manifest.graphs.frame),
    ]);
    const plan = planProviders(options.executionProvider ?? 'auto');
    let lastError: unknown;
    for (const providers of plan.attempts) {
      let text: ort.InferenceSession | undefined;
      let frame: ort.InferenceSession | undefined;
      try {
        text = await createSession(manifest.graphs.text, textBytes, providers, options.threads);
        frame = await createSession(manifest.graphs.frame, frameBytes, providers, options.threads);
      } catch (err) {
        await text?.release();
        lastError = err;
        continue;
      }
      try {
        const specs = contractSpecs(manifest);
        const bound = checkGraph(manifest.graphs.text, text, specs.text);
        checkGraph(manifest.graphs.frame, frame, specs.frame, bound);
      } catch (err) {
        await Promise.all([text.release(), frame.release()]);
        throw err;
      }
      const usesCpuOnly = providers.length === 1 && providers[0] === 'cpu';
      return new YofoRunner(
        manifest,
        modelHash(manifestBytes, textBytes, frameBytes),
        providers.join('+'),
        usesCpuOnly ? plan.cpuNotice : undefined,
        text,
        frame,
        new Tokenizer(manifest.tokenizer),
      );
    }
    throw lastError;
  }

  /**
   * Segments the object `text` refers to in `frames` (image paths, in clip order). Cancelling through `signal` takes
   * effect before the next frame; the run then rejects with the signal's reason.
   */
  async runExpression(frames: readonly string[], text: string, options: RunOptions = {}): Promise<RunSummary> {
    const { signal, onFrame } = options;
    const tokens = this.tokenizer.encode(text, options.source);
    signal?.throwIfAborted();
    const { maxTokens } = this.manifest.tokenizer;
    const { width: W, height: H } = this.manifest.input;
    const m = this.manifest.memory;
    const textOut = await this.text.run({ tokens: new ort.Tensor('int64', tokens.ids, [1, maxTokens]) });
    const words = textOut.words;
    const sentence = textOut.sentence;
    const wordMask = new ort.Tensor('float32', tokens.mask, [1, maxTokens]);
    const ring = new MemoryRing(m);
    const memX = new ort.Tensor('float32', ring.x, [1, m.length, m.channels, m.height, m.width]);
    const memY = new ort.Tensor('float32', ring.y, [1, m.length, m.channels, m.height, m.width]);
    const memW = new ort.Tensor('float32', ring.w, [1, m.length, 1, m.height, m.width]);
    const memValid = new ort.Tensor('float32', ring.valid, [1, m.length]);

    // Preparing the next frame overlaps with running the current one (sharp and onnxruntime both work off-thread).
    const inputKey = JSON.stringify(this.manifest.input);
    const prepare = (i: number): Promise<PreparedFrame> => {
      const p = this.frameCache.get(frames, i, inputKey, async () => {
        const rgb = await decodeRgb(frames[i]);
        return { image: preprocessFrame(rgb, this.manifest.input), width: rgb.width, height: rgb.height };
      });
      p.catch(() => undefined); // a prefetch abandoned by cancellation must not become an unhandled rejection
      return p;
    };
    let next = frames.length > 0 ? prepare(0) : undefined;
    let prev: ort.Tensor | undefined;
    for (let i = 0; i < frames.length; i++) {
      signal?.throwIfAborted();
      const rgb = await next!;
      next = i + 1 < frames.length ? prepare(i + 1) : undefined;
      const image = new ort.Tensor('float32', rgb.image, [1, 3, H, W]);
      const out = await this.frame.run({
        image,
        prev_image: prev ?? image,
        words,
        word_mask: wordMask,
        sentence,
        mem_x: memX,
        mem_y: memY,
        mem_w: memW,
        mem_valid: memValid,
      });
      const logits = out.logits.data as Float32Array;
      let mask: Mask;
      try {
        mask = logitsToMask(logits, W, H, rgb.width, rgb.height);
      } catch (err) {
        if (err instanceof NonFiniteLogitsError) {
          throw new InputError(frames[i], `${err.message}; the model (${this.manifest.file}) or this frame is broken`);
        }
        throw err;
      }
      const w = out.w.data as Float32Array;
      // The fit that produced this mask used the ring as it was before this frame's entry goes in.
      const insight = frameInsight(w, m.width, m.height, ring.entries());
      ring.push(out.x.data as Float32Array, out.y.data as Float32Array, w, i);
      prev = image;
      await onFrame?.({ index: i, mask, logits, insight });
    }
    return { frames: frames.length, unknownWords: tokens.unknown };
  }

  async release(): Promise<void> {
    await Promise.all([this.text.release(), this.frame.release()]);
  }
}
