// Runs VideoJobs on a small pool of worker threads (decoding and scoring are CPU-bound and independent per video).
// The worker script is dist/scoreWorker.js next to the bundle (CLI, extension) or worker.ts under tsx (tests);
// without either, or with `workers: 0`, jobs run in this thread.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors';
import { scoreVideoJob, type VideoJob, type VideoResult } from './video';
import type { WorkerReply, WorkerRequest } from './worker';

export interface PoolOptions {
  /** Worker threads; default: the number of CPUs (at most 8); 0 runs in this thread. */
  workers?: number;
  signal?: AbortSignal;
  /** Called as each job completes (in completion order). */
  onJobDone?: (index: number) => void;
}

function startWorker(): Worker | undefined {
  if (__filename.endsWith('.ts')) {
    // Sources under tsx: the loader is not inherited by worker threads, so the worker registers it first.
    // (A variable, not a literal, so that esbuild does not try to resolve tsx into the bundles.)
    const loader = 'tsx/cjs';
    const entry = path.join(__dirname, 'worker.ts');
    if (!existsSync(entry)) return undefined; // e.g. loaded through an ESM data: URL: no usable __dirname
    const tsx = require.resolve(loader);
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true });
  }
  const bundled = path.join(__dirname, 'scoreWorker.js');
  return existsSync(bundled) ? new Worker(bundled) : undefined;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

async function runInThread(jobs: VideoJob[], options: PoolOptions): Promise<VideoResult[]> {
  const results: VideoResult[] = [];
  for (let i = 0; i < jobs.length; i++) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    results.push(await scoreVideoJob(jobs[i]));
    options.onJobDone?.(i);
  }
  return results;
}

/** Scores the jobs; results are in job order. Rejects with the first job's error, or the abort reason. */
export async function runVideoJobs(jobs: VideoJob[], options: PoolOptions = {}): Promise<VideoResult[]> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const count = Math.min(options.workers ?? Math.min(availableParallelism(), 8), jobs.length);
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const w = startWorker();
    if (!w) break;
    workers.push(w);
  }
  if (workers.length === 0) return runInThread(jobs, options);

  const results = new Array<VideoResult>(jobs.length);
  try {
    await new Promise<void>((resolve, reject) => {
      let nextJob = 0;
      let done = 0;
      const onAbort = () => reject(abortReason(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (err?: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (err === undefined) resolve();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a worker's error, passed on as it came
        else reject(err);
      };
      const feed = (w: Worker) => {
        if (nextJob < jobs.length) w.postMessage({ id: nextJob, job: jobs[nextJob++] } satisfies WorkerRequest);
      };
      for (const w of workers) {
        w.on('message', (reply: WorkerReply) => {
          if (!reply.ok) {
            finish(
              reply.inputError
                ? new InputError(reply.inputError.file, reply.inputError.problem)
                : new Error(`scoring worker: ${reply.message}`),
            );
            return;
          }
          results[reply.id] = reply.result;
          done++;
          options.onJobDone?.(reply.id);
          if (done === jobs.length) finish();
          else feed(w);
        });
        w.on('error', (err) => finish(err));
        w.on('exit', (code) => {
          if (done < jobs.length) finish(new Error(`scoring worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
