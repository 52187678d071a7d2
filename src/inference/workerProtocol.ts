// Messages between the extension host / CLI (InferenceClient) and the inference child process (worker.ts). Sent over
// the fork IPC channel with `serialization: 'advanced'`, so typed arrays cross without JSON encoding.

import type { ExecutionProviderSetting } from './executionProvider';
import type { FrameInsight } from './frameInsight';

/** One expression to segment over one clip. */
export interface InferenceRequest {
  /** Model folder (model.json, text.onnx, frame.onnx). */
  modelDir: string;
  executionProvider?: ExecutionProviderSetting;
  threads?: number;
  /** Frame image paths in clip order. */
  frames: string[];
  /** The referring expression. */
  text: string;
  /** Names the expression in errors, e.g. "<video>/<expId>". */
  source?: string;
}

/** The model part of a request: enough to load it ahead of the first run. */
export type ModelRequest = Pick<InferenceRequest, 'modelDir' | 'executionProvider' | 'threads'>;

export type HostMessage =
  | { type: 'run'; id: number; request: InferenceRequest }
  /** Load (or keep) the model without running it; answered by `model` then `done` with 0 frames. */
  | { type: 'load'; id: number; request: ModelRequest }
  | { type: 'cancel'; id: number };

export interface ModelInfo {
  modelId: string;
  modelName: string;
  /** Execution providers in use, e.g. "cpu" or "cuda+cpu". */
  device: string;
  /** Why the CPU is used although a GPU was wanted; for the user. */
  notice?: string;
}

export type WorkerMessage =
  | ({ type: 'model'; id: number } & ModelInfo)
  /** A frame's mask as run lengths (see maskRle.ts), with its W map and the memory frames its fit used. */
  | { type: 'mask'; id: number; index: number; width: number; height: number; runs: Uint32Array; insight: FrameInsight }
  | { type: 'done'; id: number; frames: number; unknownWords: string[] }
  /** `file`/`problem` are set for InputErrors so the host can show `<file>: <problem>` as is. */
  | { type: 'error'; id: number; message: string; file?: string; problem?: string; cancelled?: boolean };
