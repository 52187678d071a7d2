// The world a YofoRuns test needs: the tiny dataset with real frames, the tiny real model, an empty result cache
// folder and the real inference worker. Tests differ only in the frames' pixels (what they make the masks do).
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset, type Dataset } from '../../src/core/dataset';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { writeTinyModel, type TinyModel } from '../unit/inferenceTinyModel';
import { tempDir, writeTinyDataset, writeTinyFrames } from './tinyDataset';

export interface YofoRunsFixture {
  ds: Dataset;
  tiny: TinyModel;
  client: InferenceClient;
  cacheRoot: string;
  /** Stops the worker and removes every folder the fixture made. */
  dispose(): Promise<void>;
}

/** frameByte(pixel index, frame index, video): the grey level of the tiny dataset's frames (see writeTinyFrames). */
export async function openYofoRunsFixture(frameByte: Parameters<typeof writeTinyFrames>[1]): Promise<YofoRunsFixture> {
  const root = await writeTinyDataset();
  const modelRoot = await tempDir('model');
  const cacheRoot = await tempDir('cache');
  await writeTinyFrames(root, frameByte);
  const ds = await openDataset(root);
  const tiny = await writeTinyModel(path.join(modelRoot, 'tiny'));
  const client = new InferenceClient();
  return {
    ds,
    tiny,
    client,
    cacheRoot,
    async dispose() {
      client.dispose();
      for (const d of [root, modelRoot, cacheRoot]) await rm(d, { recursive: true, force: true });
    },
  };
}
