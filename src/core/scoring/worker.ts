// Worker-thread entry for split scoring (bundled as dist/scoreWorker.js; run from sources under tsx in tests).
// Receives VideoJobs, answers with their ExpressionScores or a serialised error.

import { parentPort } from 'node:worker_threads';
import { InputError } from '../errors';
import { scoreVideoJob, type VideoJob } from './video';

export type WorkerRequest = { id: number; job: VideoJob };
export type WorkerReply =
  | { id: number; ok: true; result: Awaited<ReturnType<typeof scoreVideoJob>> }
  | { id: number; ok: false; inputError?: { file: string; problem: string }; message: string };

const port = parentPort;
if (port) {
  port.on('message', (req: WorkerRequest) => {
    scoreVideoJob(req.job).then(
      (result) => port.postMessage({ id: req.id, ok: true, result } satisfies WorkerReply),
      (err: unknown) => {
        const reply: WorkerReply =
          err instanceof InputError
            ? { id: req.id, ok: false, inputError: { file: err.file, problem: err.problem }, message: err.message }
            : { id: req.id, ok: false, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
        port.postMessage(reply);
      },
    );
  });
}
