// "Run YOFO on Split…" without the UI (no vscode import, so it is unit-tested in Node): runs a model over some videos
// of the open split with the shared `rvos eval` pipeline and writes the predictions into the extension's storage as
// <storage>/yofo-runs/<model>-<split>-<dataset hash>/Annotations/…. The folder is built under a temp name and renamed
// into place at the end, so a cancelled or failed run leaves nothing that could be imported, and a second run of the
// same model and split replaces the first as a whole. Only folders under <storage>/yofo-runs are ever removed.

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Dataset } from '../../core/dataset';
import { refuseInsideDataset, replaceFolder } from '../../core/report/outputFile';
import {
  writeSplitPredictions,
  type SplitPredictionOptions,
  type SplitPredictions,
} from '../../inference/splitPredictions';
import type { ImportedRun } from '../session/importedRun';
import type { Session } from '../session/session';
import { modelLabel } from '../../shared/clipViewer/modelLabel';

/** Folder under the extension storage that holds the runs made here (and nothing else). */
export const YOFO_RUNS_FOLDER = 'yofo-runs';
/** Written last into a finished run folder: what made it. */
export const YOFO_RUN_MARKER = 'rvos-yofo-run.json';
const TEMP_PREFIX = '.tmp-';

/** What writeSplitPredictions needs, less the output folder (ours, in the storage), plus registration and progress. */
export interface YofoSplitRunOptions extends Pick<
  SplitPredictionOptions,
  'ds' | 'videoIds' | 'client' | 'modelDir' | 'executionProvider' | 'threads' | 'cache' | 'signal' | 'onSkipped'
> {
  /** The extension's storage folder (context.storageUri or globalStorageUri). */
  storageDir: string;
  /** Where the finished run is registered (replacing an earlier run of the same folder); a plain object in tests. */
  session: Pick<Session, 'dataset' | 'registerOwnedRun'>;
  /** True when `videoIds` is not the whole split: the run is then scored on these videos only. */
  partial?: boolean;
  /** Frames written so far out of all, and frames per second since the model was loaded. */
  onProgress?: (done: number, total: number, fps: number) => void;
}

export interface YofoSplitRun {
  /** The run name to register: `YOFO <model name>`. */
  name: string;
  /** The finished run folder (holds Annotations/). */
  dir: string;
  predictions: SplitPredictions;
  /** The registered run; undefined when another dataset or split was opened meanwhile (the folder stays, unregistered). */
  imported?: ImportedRun;
}

/** The run name shown in the pickers for a model. */
export function yofoRunName(modelName: string): string {
  return modelLabel(modelName);
}

/** `<storage>/yofo-runs`: the only place runs made by the extension are written to, and removed from. */
export function yofoRunsRoot(storageDir: string): string {
  return path.join(path.resolve(storageDir), YOFO_RUNS_FOLDER);
}

/** The folder of a model's run on a split: named after both (readable), plus a hash telling datasets apart. */
export function yofoRunDir(storageDir: string, modelName: string, ds: Pick<Dataset, 'root' | 'split'>): string {
  const slug = (s: string): string =>
    s
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 60) || 'model';
  const hash = createHash('sha256').update(path.resolve(ds.root)).digest('hex').slice(0, 8);
  return path.join(yofoRunsRoot(storageDir), `${slug(modelName)}-${slug(ds.split)}-${hash}`);
}

/** True for a folder this extension made under `storageDir` (never a user's folder). */
export function isOwnYofoRunDir(storageDir: string, dir: string): boolean {
  const root = yofoRunsRoot(storageDir);
  const abs = path.resolve(dir);
  return path.dirname(abs) === root && !path.basename(abs).startsWith(TEMP_PREFIX);
}

/** Removes a run folder made here; refuses anything else, so a user's imported folder is never deleted. */
export async function removeOwnYofoRun(storageDir: string, dir: string): Promise<boolean> {
  if (!isOwnYofoRunDir(storageDir, dir)) return false;
  await rm(dir, { recursive: true, force: true });
  return true;
}

/** Removes temp folders left by runs interrupted in an earlier session (a crash, a killed window). */
export async function sweepYofoRunTemps(storageDir: string): Promise<void> {
  const root = yofoRunsRoot(storageDir);
  const entries = await readdir(root).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((e) => e.startsWith(TEMP_PREFIX))
      .map((e) => rm(path.join(root, e), { recursive: true, force: true })),
  );
}

/**
 * Runs the model, moves the finished folder into place and registers it as a prediction run; on cancel or failure the
 * temp folder is removed and nothing is registered.
 */
export async function runYofoOnSplit(o: YofoSplitRunOptions): Promise<YofoSplitRun> {
  const root = yofoRunsRoot(o.storageDir);
  // The storage never lies in the dataset in VS Code; checked anyway, as the folder is replaced as a whole.
  refuseInsideDataset(root, o.ds.root, 'storage folder', { what: 'predictions', around: true });
  await mkdir(root, { recursive: true });
  const temp = await mkdtemp(path.join(root, TEMP_PREFIX));
  try {
    let started = 0;
    const predictions = await writeSplitPredictions({
      ...o,
      outDir: temp,
      onModel: () => (started = performance.now()),
      onFrames: (done, total) => {
        const seconds = (performance.now() - started) / 1000;
        o.onProgress?.(done, total, seconds > 0 ? done / seconds : 0);
      },
    });
    o.signal.throwIfAborted();
    const { model } = predictions;
    const marker = {
      dataset: o.ds.root,
      split: o.ds.split,
      videos: o.videoIds,
      model: o.modelDir,
      modelId: model.modelId,
      modelName: model.modelName,
      device: model.device,
      frames: predictions.frames,
      seconds: predictions.seconds,
      date: new Date().toISOString(),
    };
    await writeFile(path.join(temp, YOFO_RUN_MARKER), JSON.stringify(marker, null, 2) + '\n');
    const dir = yofoRunDir(o.storageDir, model.modelName, o.ds);
    await replaceFolder(temp, dir);
    const name = yofoRunName(model.modelName);
    const imported =
      o.session.dataset === o.ds
        ? await o.session.registerOwnedRun(dir, name, o.partial ? o.videoIds : undefined)
        : undefined;
    return { name, dir, predictions, imported };
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}
