// The inference child process (bundled as dist/inferenceWorker.js): keeps one YOFO model loaded and runs requests one
// at a time, streaming each frame's mask back as soon as it exists. Native onnxruntime crashes take down only this
// process; the host notices the exit and starts a fresh one.

import { isInputError } from '../core/errors';
import { encodeRle } from './maskRle';
import type { HostMessage, InferenceRequest, ModelRequest, WorkerMessage } from './workerProtocol';
import { YofoRunner } from './yofoRunner';

let loaded: { key: string; runner: Promise<YofoRunner> } | undefined;
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

/** The runner for the request's model, reusing the loaded one when model folder and settings are unchanged. */
function runnerFor(request: ModelRequest): Promise<YofoRunner> {
  const key = JSON.stringify([request.modelDir, request.executionProvider ?? 'auto', request.threads ?? 0]);
  if (loaded?.key !== key) {
    const previous = loaded?.runner;
    const runner = YofoRunner.load(request.modelDir, {
      executionProvider: request.executionProvider,
      threads: request.threads,
    });
    loaded = { key, runner };
    runner.catch(() => {
      if (loaded?.runner === runner) loaded = undefined; // retry the load on the next request (the file may be fixed)
    });
    previous?.then((r) => r.release()).catch(() => undefined);
  }
  return loaded.runner;
}

async function handleRun(id: number, request: InferenceRequest | ModelRequest): Promise<void> {
  const controller = controllers.get(id);
  if (!controller) return;
  try {
    controller.signal.throwIfAborted();
    const runner = await runnerFor(request);
    await send({
      type: 'model',
      id,
      modelId: runner.modelId,
      modelName: runner.manifest.name,
      device: runner.device,
      notice: runner.notice,
    });
    if (!('frames' in request)) {
      await send({ type: 'done', id, frames: 0, unknownWords: [] });
      return;
    }
    const summary = await runner.runExpression(request.frames, request.text, {
      signal: controller.signal,
      source: request.source,
      onFrame: ({ index, mask, insight }) => {
        const rle = encodeRle(mask);
        void send({ type: 'mask', id, index, width: rle.width, height: rle.height, runs: rle.runs, insight });
      },
    });
    await send({ type: 'done', id, frames: summary.frames, unknownWords: summary.unknownWords });
  } catch (err) {
    const cancelled = controller.signal.aborted;
    const message = err instanceof Error ? err.message : String(err);
    await send({
      type: 'error',
      id,
      message: cancelled ? 'cancelled' : message,
      cancelled,
      ...(isInputError(err) ? { file: err.file, problem: err.problem } : {}),
    });
  } finally {
    controllers.delete(id);
  }
}

process.on('message', (message: HostMessage) => {
  if (message.type === 'run' || message.type === 'load') {
    controllers.set(message.id, new AbortController());
    queue = queue.then(() => handleRun(message.id, message.request));
  } else if (message.type === 'cancel') {
    controllers.get(message.id)?.abort();
  }
});

// The host went away (closed the channel or died): nothing left to serve.
process.on('disconnect', () => process.exit(0));
