import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { NoWorkspaceFolderError, WorkspaceAnnotations } from '../../src/host/annotations';
import { tempDir } from '../helpers/tinyDataset';

test('no workspace folder: a clear error for edits, a problem (not a failure) for the panel', async () => {
  const annotations = new WorkspaceAnnotations(() => undefined);
  assert.equal(annotations.file, undefined);
  await assert.rejects(annotations.set('v', '0', { tags: ['x'] }), (err: unknown) => err instanceof NoWorkspaceFolderError && /open a folder|File > Open Folder/.test(err.message));
  const { store, problem } = await annotations.lookup();
  assert.equal(store, undefined);
  assert.match(problem!, /no workspace folder is open/);
});

test('edits are saved in order to <workspace>/.rvos/annotations.json, readable, and listeners hear of each', async () => {
  const ws = await tempDir('ws');
  const annotations = new WorkspaceAnnotations(() => ws);
  let changes = 0;
  annotations.onDidChange(() => changes++);
  const edits = [
    annotations.set('vidA', '0', { tags: [' small ', 'blur', 'small'] }),
    annotations.set('vidA', '0', { note: 'mask drifts onto the second cat' }),
    annotations.set('vidB', '3', { tags: ['occlusion'] }),
    annotations.set('vidB', '3', { tags: [] }),
  ];
  const results = await Promise.all(edits);
  assert.deepEqual(results[1], { tags: ['blur', 'small'], note: 'mask drifts onto the second cat' });
  const file = path.join(ws, '.rvos', 'annotations.json');
  assert.equal(annotations.file, file);
  const json = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(json, { version: 1, videos: { vidA: { '0': { note: 'mask drifts onto the second cat', tags: ['blur', 'small'] } } } });
  assert.equal(changes, 4);
  assert.deepEqual(await readdir(path.join(ws, '.rvos')), ['annotations.json'], 'no temp file left');
  // A second instance (a reload) reads the same.
  const again = await new WorkspaceAnnotations(() => ws).load();
  assert.deepEqual(again.keysWithTag('blur'), new Set(['vidA\u00000']));
});

test('a malformed file is reported with its name and never overwritten; fixed on disk, it is read again', async () => {
  const ws = await tempDir('ws');
  const file = path.join(ws, '.rvos', 'annotations.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '{"version": 1, "videos": {"v": {"0": {"tags": "not a list"}}}}');
  const annotations = new WorkspaceAnnotations(() => ws);
  await assert.rejects(annotations.set('v', '0', { note: 'x' }), (err: unknown) => err instanceof Error && err.message.startsWith(file) && /tags must be an array/.test(err.message));
  assert.match(await readFile(file, 'utf8'), /not a list/, 'left as it was');
  assert.match((await annotations.lookup()).problem!, /tags must be an array/);
  await writeFile(file, '{"version": 1, "videos": {"v": {"0": {"tags": ["ok"]}}}, "owner": "kept"}');
  annotations.reload();
  assert.deepEqual((await annotations.set('v', '0', { note: 'fine now' })).tags, ['ok']);
  assert.equal(JSON.parse(await readFile(file, 'utf8')).owner, 'kept', 'unknown fields survive');
});

test('the store follows the workspace folder when it changes', async () => {
  const [a, b] = [await tempDir('wsa'), await tempDir('wsb')];
  let dir = a;
  const annotations = new WorkspaceAnnotations(() => dir);
  await annotations.set('v', '0', { tags: ['in-a'] });
  dir = b;
  assert.deepEqual((await annotations.load()).allTags(), []);
  await annotations.set('v', '0', { tags: ['in-b'] });
  assert.match(await readFile(path.join(a, '.rvos', 'annotations.json'), 'utf8'), /in-a/);
  assert.match(await readFile(path.join(b, '.rvos', 'annotations.json'), 'utf8'), /in-b/);
});
