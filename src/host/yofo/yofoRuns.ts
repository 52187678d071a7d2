// YOFO for the clip viewer, host side and without vscode (unit-tested with a real tiny model): load the model (its
// content hash keys the result cache) → cached result, or a run streamed frame by frame → per-frame J/F against the
// expression's ground truth as masks arrive → expression J&F → the complete result into the cache. A cancelled or
// failed run caches nothing; the frames already streamed stay with the caller.

import { expressionHasGroundTruth } from '../../core/benchmarks';
import { framePath, type Dataset } from '../../core/dataset';
import { isInputError } from '../../core/errors';
import { scorePair } from '../../core/scoring';
import { mean } from '../../core/scoring/video';
import type { Expression, Mask, Video } from '../../core/types';
import type { ExecutionProviderSetting } from '../../inference/executionProvider';
import type { FrameInsight } from '../../inference/frameInsight';
import type { InferenceResult, RunCallbacks } from '../../inference/inferenceClient';
import type { ResultCache } from '../../inference/resultCache';
import type { InferenceRequest, ModelInfo, ModelRequest } from '../../inference/workerProtocol';
import { expressionTruth, IndexMaskCache } from '../clipViewer/frameMasks';

export interface YofoSettings {
  /** Resolved model folder. */
  modelDir: string;
  executionProvider: ExecutionProviderSetting;
  /** onnxruntime threads; undefined = its default. */
  threads?: number;
  /** Look up and store results in the result cache. */
  cacheResults: boolean;
}

/** What YofoRuns needs of InferenceClient. */
export interface YofoEngine {
  load(request: ModelRequest, signal?: AbortSignal): Promise<ModelInfo>;
  run(request: InferenceRequest, callbacks: RunCallbacks): Promise<InferenceResult>;
}

export interface YofoJob {
  ds: Dataset;
  video: Video;
  /** A dataset expression or a user expression (with the linked object as objId). */
  expression: Expression;
}

export interface YofoStarted {
  modelName: string;
  modelId: string;
  device: string;
  /** Frames to come. */
  total: number;
  /** True when the masks come from the result cache. */
  cached: boolean;
}

export interface YofoFrame {
  index: number;
  /** 0/1 mask at the frame's size. */
  mask: Mask;
  /** J and F of this frame when the expression has ground truth for it. */
  score?: { J: number; F: number };
  /** Why the frame could not be scored (unreadable annotation, size mismatch). */
  note?: string;
  /** The frame's W map and the memory frames YOFO's fit used for it. */
  insight?: FrameInsight;
}

export interface YofoListener {
  started?(info: YofoStarted): void;
  /** Called in frame order. */
  frame?(frame: YofoFrame): void;
}

export interface YofoOutcome extends YofoStarted {
  unknownWords: string[];
  /** Means over the frames the benchmark scores (MeViS: all; else the annotated ones); absent without ground truth. */
  score?: { J: number; F: number; JF: number };
  /** Set when storing the result in the cache failed (the result itself is fine). */
  cacheProblem?: string;
}

/**
 * Per-frame scores of one expression against its ground truth as the dataset's benchmark defines it (the union of its
 * anno_id masks in MeViS, where every frame counts; its obj_id's pixels in the annotated frames of Ref-YouTube-VOS).
 */
class ExpressionScorer {
  private readonly J: number[] = [];
  private readonly F: number[] = [];
  private readonly scored: boolean;

  constructor(
    private readonly job: YofoJob,
    private readonly annotations: IndexMaskCache,
  ) {
    this.scored = expressionHasGroundTruth(job.ds, job.expression);
  }

  async frame(index: number, mask: Mask, insight?: FrameInsight): Promise<YofoFrame> {
    return { ...(await this.score(index, mask)), ...(insight ? { insight } : {}) };
  }

  private async score(index: number, mask: Mask): Promise<YofoFrame> {
    if (!this.scored) return { index, mask };
    const { ds, video, expression } = this.job;
    try {
      const truth = await expressionTruth(ds, video, expression, index, this.annotations);
      if (!truth || (!truth.mask && !truth.absentIsEmpty)) return { index, mask }; // not annotated: not scored
      const gt = truth.mask ?? { width: mask.width, height: mask.height, data: new Uint8Array(mask.data.length) };
      const score = scorePair(gt, mask, truth.file, `YOFO mask of frame ${video.frames[index]}`);
      this.J.push(score.J);
      this.F.push(score.F);
      return { index, mask, score };
    } catch (err) {
      if (!isInputError(err)) throw err;
      return { index, mask, note: err.message };
    }
  }

  summary(): { J: number; F: number; JF: number } | undefined {
    if (this.J.length === 0) return undefined;
    const J = mean(this.J);
    const F = mean(this.F);
    return { J, F, JF: (J + F) / 2 };
  }
}

export class YofoRuns {
  private noticeShown = false;

  constructor(
    private readonly engine: YofoEngine,
    private readonly cache: ResultCache | undefined,
    private readonly settings: () => YofoSettings,
    /** Told once per session when the CPU is used instead of a GPU. */
    private readonly onNotice: (message: string) => void = () => undefined,
    private readonly annotations = new IndexMaskCache(),
  ) {}

  /** Runs (or replays from the cache) one expression over one clip. Rejects with the signal's reason on abort. */
  async run(job: YofoJob, listener: YofoListener, signal: AbortSignal): Promise<YofoOutcome> {
    const { ds, video, expression } = job;
    const settings = this.settings();
    const model = await this.engine.load(
      { modelDir: settings.modelDir, executionProvider: settings.executionProvider, threads: settings.threads },
      signal,
    );
    signal.throwIfAborted();
    if (model.notice && !this.noticeShown) {
      this.noticeShown = true;
      this.onNotice(model.notice);
    }
    const cache = settings.cacheResults ? this.cache : undefined;
    const key = {
      modelId: model.modelId,
      datasetRoot: ds.root,
      split: ds.split,
      video: video.id,
      expression: expression.text,
    };
    const scorer = new ExpressionScorer(job, this.annotations);
    const base = {
      modelName: model.modelName,
      modelId: model.modelId,
      device: model.device,
      total: video.frames.length,
    };

    const cached = await cache?.get(key, video.frames);
    // An entry without W maps (written by a caller that had none) is run again, so the viewer's insight is complete.
    if (cached?.insights) {
      listener.started?.({ ...base, cached: true });
      for (let i = 0; i < cached.masks.length; i++) {
        signal.throwIfAborted();
        const frame = await scorer.frame(i, cached.masks[i], cached.insights[i]); // scored even when nobody listens (the expression J&F needs it)
        listener.frame?.(frame);
      }
      const unknown = cached.info.unknownWords;
      return {
        ...base,
        cached: true,
        unknownWords: Array.isArray(unknown) ? unknown.map(String) : [],
        score: scorer.summary(),
      };
    }

    listener.started?.({ ...base, cached: false });
    const masks: Mask[] = [];
    const insights: (FrameInsight | undefined)[] = [];
    // onFrame is synchronous; scoring reads annotations, so frames are scored and passed on through one chain, in order.
    let chain = Promise.resolve();
    let chainError: unknown;
    const request: InferenceRequest = {
      modelDir: settings.modelDir,
      executionProvider: settings.executionProvider,
      threads: settings.threads,
      frames: video.frames.map((f) => framePath(ds, video.id, f)),
      text: expression.text,
      source: `${video.id}/${expression.expId}`,
    };
    // Frames streamed before a failure reach the listener before the run settles (never after its error).
    const result = await this.engine
      .run(request, {
        signal,
        onFrame: ({ index, mask, insight }) => {
          masks[index] = mask;
          insights[index] = insight;
          chain = chain.then(async () => {
            if (signal.aborted || chainError !== undefined) return;
            try {
              const frame = await scorer.frame(index, mask, insight);
              listener.frame?.(frame);
            } catch (err) {
              chainError = err;
            }
          });
        },
      })
      .finally(() => chain);
    await chain;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what a frame callback threw, as thrown
    if (chainError !== undefined) throw chainError;
    signal.throwIfAborted();
    const outcome: YofoOutcome = { ...base, cached: false, unknownWords: result.unknownWords, score: scorer.summary() };
    if (cache && masks.length === video.frames.length) {
      try {
        await cache.put(
          key,
          video.frames,
          masks,
          { modelName: model.modelName, device: model.device, unknownWords: result.unknownWords },
          insights,
        );
      } catch (err) {
        outcome.cacheProblem = `the result was not cached: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    return outcome;
  }
}
