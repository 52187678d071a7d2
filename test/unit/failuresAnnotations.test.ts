import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { annotationsPlace, NoWorkspaceFolderError, WorkspaceAnnotations } from '../../src/host/annotations/annotations';
import { annotationsLocation } from '../helpers/annotationsLocation';
import { snapshotTree } from '../helpers/badData';
import { tempDir, writeTinyDataset } from '../helpers/tinyDataset';

test('no workspace folder: a clear error for edits, a problem (not a failure) for the panel', async () => {
  const annotations = new WorkspaceAnnotations(annotationsLocation(undefined));
  assert.equal(annotations.file, undefined);
  await assert.rejects(
    annotations.set('v', '0', { tags: ['x'] }),
    (err: unknown) => err instanceof NoWorkspaceFolderError && /open a folder|File > Open Folder/.test(err.message),
  );
  const { store, problem } = await annotations.lookup();
  assert.equal(store, undefined);
  assert.match(problem!, /no workspace folder is open/);
});

test('edits are saved in order to <workspace>/.rvos/annotations.json, readable, and listeners hear of each', async () => {
  const ws = await tempDir('ws');
  const annotations = new WorkspaceAnnotations(annotationsLocation(ws));
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
  assert.deepEqual(json, {
    version: 1,
    videos: { vidA: { '0': { note: 'mask drifts onto the second cat', tags: ['blur', 'small'] } } },
  });
  assert.equal(changes, 4);
  assert.deepEqual(await readdir(path.join(ws, '.rvos')), ['annotations.json'], 'no temp file left');
  // A second instance (a reload) reads the same.
  const again = await new WorkspaceAnnotations(annotationsLocation(ws)).load();
  assert.deepEqual(again.keysWithTag('blur'), new Set(['vidA\u00000']));
});

test('a malformed file is reported with its name and never overwritten; fixed on disk, it is read again', async () => {
  const ws = await tempDir('ws');
  const file = path.join(ws, '.rvos', 'annotations.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '{"version": 1, "videos": {"v": {"0": {"tags": "not a list"}}}}');
  const annotations = new WorkspaceAnnotations(annotationsLocation(ws));
  await assert.rejects(
    annotations.set('v', '0', { note: 'x' }),
    (err: unknown) => err instanceof Error && err.message.startsWith(file) && /tags must be an array/.test(err.message),
  );
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
  const annotations = new WorkspaceAnnotations({ ...annotationsLocation(a), workspaceDir: () => dir });
  await annotations.set('v', '0', { tags: ['in-a'] });
  dir = b;
  assert.deepEqual((await annotations.load()).allTags(), []);
  await annotations.set('v', '0', { tags: ['in-b'] });
  assert.match(await readFile(path.join(a, '.rvos', 'annotations.json'), 'utf8'), /in-a/);
  assert.match(await readFile(path.join(b, '.rvos', 'annotations.json'), 'utf8'), /in-b/);
});

test('the workspace folder is the dataset: edits go to the storage, the dataset is untouched, the user is told once', async () => {
  const ds = await writeTinyDataset();
  const storage = path.join(await tempDir('storage'), 'ws-storage');
  const location = annotationsLocation(ds, { datasetRoot: ds, storageDir: storage });
  const annotations = new WorkspaceAnnotations(location);
  const before = await snapshotTree(ds);
  const saved = path.join(storage, 'annotations.json');
  assert.equal(annotations.file, saved);
  await annotations.set('vidA', '0', { tags: ['blur'] });
  await annotations.set('vidA', '1', { note: 'second edit' });
  assert.deepEqual(await snapshotTree(ds), before, 'nothing written inside the dataset');
  assert.deepEqual(JSON.parse(await readFile(saved, 'utf8')).videos, {
    vidA: { '0': { tags: ['blur'] }, '1': { note: 'second edit' } },
  });
  assert.equal(location.notices.length, 1, 'told once');
  const inDataset = path.join(ds, '.rvos', 'annotations.json');
  assert.equal(
    location.notices[0],
    `tags and notes are not written to ${inDataset}: it lies inside the dataset folder ${ds}, which is never modified. ` +
      `They are read from there until the first edit and saved to ${saved}; set rvos.annotationsFile to a file outside the dataset to keep them elsewhere.`,
  );
});

test('a file the user keeps inside the dataset is read, never written; the storage copy takes over after the first edit', async () => {
  const ds = await writeTinyDataset();
  const theirs = path.join(ds, 'notes', 'tags.json');
  await mkdir(path.dirname(theirs), { recursive: true });
  const text = '{"version": 1, "videos": {"vidB": {"0": {"tags": ["theirs"]}}}}';
  await writeFile(theirs, text);
  const ws = await tempDir('ws');
  const storage = await tempDir('storage');
  // Relative to the workspace folder, through a link into the dataset: still inside it.
  await symlink(ds, path.join(ws, 'data'));
  const location = annotationsLocation(ws, {
    setting: path.join('data', 'notes', 'tags.json'),
    datasetRoot: ds,
    storageDir: storage,
  });
  const annotations = new WorkspaceAnnotations(location);
  assert.deepEqual((await annotations.load()).allTags(), ['theirs'], 'read from the dataset');
  const before = await snapshotTree(ds);
  await annotations.set('vidA', '0', { tags: ['mine'] });
  assert.deepEqual(await snapshotTree(ds), before);
  assert.equal(await readFile(theirs, 'utf8'), text, 'their file is as it was');
  assert.deepEqual(
    (await new WorkspaceAnnotations(location).load()).allTags(),
    ['mine', 'theirs'],
    'a reload reads the storage copy',
  );
  assert.match(
    location.notices[0],
    new RegExp(
      `not written to ${path.join(ws, 'data', 'notes', 'tags.json')}: it lies inside the dataset folder ${ds}`,
    ),
  );
});

test('rvos.annotationsFile outside the dataset is written as set: absolute (even without a workspace folder) or relative', async () => {
  const ds = await writeTinyDataset();
  const dir = await tempDir('notes');
  const absolute = path.join(dir, 'team', 'annotations.json');
  const noFolder = annotationsLocation(undefined, { setting: absolute, datasetRoot: ds });
  await new WorkspaceAnnotations(noFolder).set('vidA', '0', { tags: ['a'] });
  assert.deepEqual(JSON.parse(await readFile(absolute, 'utf8')).videos.vidA['0'].tags, ['a']);
  const relative = annotationsLocation(dir, { setting: 'rel.json', datasetRoot: ds });
  await new WorkspaceAnnotations(relative).set('vidA', '0', { note: 'n' });
  assert.equal(JSON.parse(await readFile(path.join(dir, 'rel.json'), 'utf8')).videos.vidA['0'].note, 'n');
  assert.deepEqual([...noFolder.notices, ...relative.notices], []);
  assert.equal(annotationsPlace('rel.json', undefined, ds, '/s'), undefined, 'relative needs a workspace folder');
});

test('the place follows the open dataset: a workspace folder inside a dataset opened later is redirected from then on', async () => {
  const ds = await writeTinyDataset();
  const ws = path.join(ds, 'train');
  const storage = await tempDir('storage');
  let datasetRoot: string | undefined;
  const location = { ...annotationsLocation(ws, { storageDir: storage }), datasetRoot: () => datasetRoot };
  const annotations = new WorkspaceAnnotations(location);
  assert.equal(annotations.file, path.join(ws, '.rvos', 'annotations.json'), 'no dataset open: nothing to keep out of');
  datasetRoot = ds;
  assert.equal(annotations.file, path.join(storage, 'annotations.json'));
  const before = await snapshotTree(ds);
  await annotations.set('vidA', '0', { tags: ['x'] });
  assert.deepEqual(await snapshotTree(ds), before);
});
