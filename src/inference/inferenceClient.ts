// Host side of YOFO inference (extension host and CLI; no vscode import): runs the model in a child process so neither
// the UI thread nor the host process can be blocked or crashed by onnxruntime. The worker starts on the first request
// and keeps the model loaded; requests queue in the worker and run one at a time, each with its own memory ring, so two
// runs on the same clip cannot disturb each other. If the worker dies (native crash, kill, out of memory), the running
// requests fail with a clear error and the next request starts a fresh worker.

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { FaultError, InputError } from '../core/errors';
import type { Mask } from '../core/types';
import type { FrameInsight } from './frameInsight';
import { decodeRle } from './maskRle';
import type { HostMessage, InferenceRequest, ModelInfo, ModelRequest, WorkerMessage } from './workerProtocol';

export interface FrameMask {
  index: number;
  /** 0/1 mask at the frame's original size. */
  mask: Mask;
  /** The frame's W map and the memory frames its fit used (always sent by the worker; optional for other engines). */
  insight?: FrameInsight;
}

export interface InferenceResult extends ModelInfo {
  frames: number;
  unknownWords: string[];
}

export interface RunCallbacks {
  onFrame?: (frame: FrameMask) => void;
  /** Aborting rejects the run at once (with the signal's reason); the worker stops before its next frame. */
  signal?: AbortSignal;
}

export interface InferenceClientOptions {
  /** The worker script; default: dist/inferenceWorker.js next to the running bundle, or worker.ts under tsx. */
  workerPath?: string;
  /** Node options for the worker (default: ['--import', 'tsx'] when running worker.ts from sources). */
  execArgv?: string[];
}

interface Pending {
  resolve: (result: InferenceResult) => void;
  reject: (err: Error) => void;
  onFrame?: (frame: FrameMask) => void;
  model?: ModelInfo;
}

/** Where the worker lives: the bundle's sibling dist/inferenceWorker.js, else this folder's worker.ts (tests, tsx). */
export function defaultWorker(): { workerPath: string; execArgv: string[] } {
  const bundled = path.join(__dirname, 'inferenceWorker.js');
  if (existsSync(bundled)) return { workerPath: bundled, execArgv: [] };
  return { workerPath: path.join(__dirname, 'worker.ts'), execArgv: ['--import', 'tsx'] };
}

export class InferenceClient {
  private worker: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: InferenceClientOptions = {}) {}

  /** Process id of the current worker (undefined before the first run or after it exited). */
  get workerPid(): number | undefined {
    return this.worker?.pid;
  }

  /** Segments `request.text` over `request.frames`, streaming masks to `onFrame` in frame order. */
  run(request: InferenceRequest, callbacks: RunCallbacks = {}): Promise<InferenceResult> {
    return this.submit({ type: 'run', id: 0, request }, callbacks);
  }

  /** Starts the worker and loads the model now, so the first run's first mask comes without the load delay. */
  async load(request: ModelRequest, signal?: AbortSignal): Promise<ModelInfo> {
    const {
      frames: _frames,
      unknownWords: _unknown,
      ...model
    } = await this.submit({ type: 'load', id: 0, request }, { signal });
    return model;
  }

  private submit(message: HostMessage & { type: 'run' | 'load' }, callbacks: RunCallbacks): Promise<InferenceResult> {
    if (this.disposed) return Promise.reject(new Error('the inference client was disposed'));
    const { signal, onFrame } = callbacks;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<InferenceResult>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        this.send(worker, { type: 'cancel', id });
        this.updateRef();
        reject(signal!.reason);
      };
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T): void => {
          signal?.removeEventListener('abort', onAbort);
          fn(value);
        };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject), onFrame });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.updateRef();
      this.send(worker, { ...message, id });
    });
  }

  /** Stops the worker; pending runs fail. */
  dispose(): void {
    this.disposed = true;
    this.failAll(new Error('the inference client was disposed'));
    this.worker?.kill();
    this.worker = undefined;
  }

  private ensureWorker(): ChildProcess {
    if (this.worker) return this.worker;
    const fallback = defaultWorker();
    const workerPath = this.options.workerPath ?? fallback.workerPath;
    const execArgv = this.options.execArgv ?? (this.options.workerPath ? [] : fallback.execArgv);
    const worker = fork(workerPath, [], {
      serialization: 'advanced',
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('exit', (code, signal) => {
      if (this.worker === worker) this.worker = undefined;
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      this.failAll(new FaultError(`the YOFO inference process ${how} during the run; the next run starts a fresh one`));
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new FaultError(`the YOFO inference process failed: ${err.message}`));
    });
    this.worker = worker;
    return worker;
  }

  private send(worker: ChildProcess, message: HostMessage): void {
    if (worker.connected) worker.send(message);
  }

  private onMessage(message: WorkerMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return; // cancelled: late masks are dropped
    switch (message.type) {
      case 'model': {
        const { type: _type, id: _id, ...model } = message;
        pending.model = model;
        break;
      }
      case 'mask':
        pending.onFrame?.({ index: message.index, mask: decodeRle(message), insight: message.insight });
        break;
      case 'done':
        this.pending.delete(message.id);
        this.updateRef();
        pending.resolve({ ...pending.model!, frames: message.frames, unknownWords: message.unknownWords });
        break;
      case 'error':
        this.pending.delete(message.id);
        this.updateRef();
        pending.reject(
          message.file !== undefined && message.problem !== undefined
            ? new InputError(message.file, message.problem)
            : new Error(message.message),
        );
        break;
    }
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }

  /** An idle worker must not keep a CLI process alive; a busy one must. */
  private updateRef(): void {
    const worker = this.worker;
    if (!worker) return;
    const channel = worker.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (this.pending.size > 0) {
      worker.ref();
      channel?.ref?.();
    } else {
      worker.unref();
      channel?.unref?.();
    }
  }
}
