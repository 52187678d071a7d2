// Prediction runs in the evaluation-server layout Annotations/<video>/<exp_id>/<frame>.png. Read-only; ids are
// checked before they become paths and symlinks leading out of the run folder are refused.

import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from './errors';
import { isDirectory } from './fileKind';
import { describeFsError } from './json';
import { checkIdPath, checkSegment, readFileInside } from './safePath';

export interface PredictionRun {
  name: string;
  /** Folder that holds Annotations/. */
  dir: string;
  /** Folder that holds the <video> folders when it is not `dir`/Annotations (a MeViS run given as that folder). */
  masksDir?: string;
}

const LAYOUT = 'expected a folder holding Annotations/<video>/<exp_id>/<frame>.png (or that Annotations folder itself)';

/**
 * Opens a run from the folder that contains Annotations/ or from the Annotations folder itself; with `videoFolders`
 * (MeViS, whose script takes the folder of the <video> folders), any other folder is taken as holding them.
 */
export async function openPredictionRun(
  dir: string,
  name?: string,
  options: { videoFolders?: boolean } = {},
): Promise<PredictionRun> {
  const abs = path.resolve(dir);
  try {
    if (!(await stat(abs)).isDirectory()) throw new InputError(dir, `not a folder; ${LAYOUT}`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(dir, describeFsError(err));
  }
  let runDir: string;
  if (await isDirectory(path.join(abs, 'Annotations'))) runDir = abs;
  else if (path.basename(abs) === 'Annotations') runDir = path.dirname(abs);
  else if (options.videoFolders) return { name: name ?? path.basename(abs), dir: abs, masksDir: abs };
  else throw new InputError(dir, `no Annotations folder; ${LAYOUT}`);
  return { name: name ?? path.basename(runDir), dir: runDir };
}

/** The folder that holds the run's <video>/<exp_id>/<frame>.png. */
export function predictionsDir(run: PredictionRun): string {
  return run.masksDir ?? path.join(run.dir, 'Annotations');
}

/** Path of one predicted mask; ids that are not plain names are an InputError. */
export function predictionPath(run: PredictionRun, videoId: string, expId: string, frame: string): string {
  const annotations = predictionsDir(run);
  checkIdPath(videoId, 'video id', annotations);
  checkSegment(expId, 'expression id', path.join(annotations, videoId));
  checkSegment(frame, 'frame name', path.join(annotations, videoId, expId));
  return path.join(annotations, videoId, expId, `${frame}.png`);
}

/** The bytes of one predicted mask, or undefined when the run has no such file. */
export async function readPredictionFile(
  run: PredictionRun,
  videoId: string,
  expId: string,
  frame: string,
): Promise<Uint8Array | undefined> {
  return readFileInside(run.dir, predictionPath(run, videoId, expId, frame));
}
