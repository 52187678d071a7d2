import assert from 'node:assert/strict';
import { mkdir, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { findDatasetRoot } from '../../src/host/session/detectDataset';
import { tempDir, writeTinyDataset } from '../helpers/tinyDataset';

test('finds a dataset at a workspace folder or in one of its immediate subfolders, not deeper', async () => {
  const ds = await writeTinyDataset();
  assert.equal(await findDatasetRoot([ds]), ds);

  const ws = await tempDir('ws');
  await mkdir(path.join(ws, 'a'));
  await rename(ds, path.join(ws, 'b'));
  assert.equal(await findDatasetRoot([path.join(ws, 'missing'), ws]), path.join(ws, 'b'));

  const deep = await tempDir('ws');
  await mkdir(path.join(deep, 'x'));
  await rename(path.join(ws, 'b'), path.join(deep, 'x', 'b'));
  assert.equal(await findDatasetRoot([deep]), undefined);
  assert.equal(await findDatasetRoot([]), undefined);
});
