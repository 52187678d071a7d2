// The inference child process through InferenceClient: streaming, serialised runs, cancel, crash recovery.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { InputError } from '../../src/core/errors';
import type { Mask } from '../../src/core/types';
import { InferenceClient } from '../../src/inference/inferenceClient';
import { YofoRunner } from '../../src/inference/yofoRunner';
import { writeTinyModel, type TinyModel } from './inferenceTinyModel';

let dir: string;
let tiny: TinyModel;
let frames: string[];
let client: InferenceClient;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rvos-worker-'));
  tiny = await writeTinyModel(path.join(dir, 'tiny'));
  frames = [];
  for (let k = 0; k < 6; k++) {
    const raw = Buffer.alloc(40 * 24 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = ((i % 120) * 2 + k * 40) % 256;
    frames.push(path.join(dir, `${k}.png`));
    await sharp(raw, { raw: { width: 40, height: 24, channels: 3 } })
      .png()
      .toFile(frames[k]);
  }
  client = new InferenceClient();
});
after(async () => {
  client.dispose();
  await rm(dir, { recursive: true, force: true });
});

const request = (text: string, clip = frames) => ({
  modelDir: tiny.dir,
  executionProvider: 'cpu' as const,
  frames: clip,
  text,
});

async function inProcess(text: string): Promise<Mask[]> {
  const runner = await YofoRunner.load(tiny.dir, { executionProvider: 'cpu' });
  const masks: Mask[] = [];
  await runner.runExpression(frames, text, { onFrame: ({ mask }) => void masks.push(mask) });
  await runner.release();
  return masks;
}

test('streams every frame mask in order from the child process, equal to an in-process run', async () => {
  const got: { index: number; mask: Mask }[] = [];
  const result = await client.run(request('the red square'), { onFrame: (f) => void got.push(f) });
  assert.equal(result.frames, 6);
  assert.equal(result.device, 'cpu');
  assert.equal(result.modelName, 'tiny-test');
  assert.match(result.modelId, /^[0-9a-f]{32}$/);
  assert.deepEqual(
    got.map((f) => f.index),
    [0, 1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    got.map((f) => f.mask),
    await inProcess('the red square'),
  );
  assert.ok(
    got.some((f) => f.mask.data.includes(1)) && got.some((f) => f.mask.data.includes(0)),
    'masks are not trivial',
  );
});

test('concurrent runs on the same clip do not disturb each other', async () => {
  const a: Mask[] = [];
  const b: Mask[] = [];
  await Promise.all([
    client.run(request('red square'), { onFrame: (f) => void a.push(f.mask) }),
    client.run(request('left circle moving'), { onFrame: (f) => void b.push(f.mask) }),
  ]);
  assert.deepEqual(a, await inProcess('red square'));
  assert.deepEqual(b, await inProcess('left circle moving'));
});

test('bad input comes back as an InputError; cancel rejects at once and the worker stays usable', async () => {
  await assert.rejects(
    client.run(request('  ')),
    (e: unknown) => e instanceof InputError && /expression is empty/.test(e.message),
  );
  const pid = client.workerPid;
  const long = Array.from({ length: 3000 }, (_, i) => frames[i % frames.length]);
  const controller = new AbortController();
  let seen = 0;
  await assert.rejects(
    client.run(request('red', long), {
      signal: controller.signal,
      onFrame: () => {
        if (++seen === 2) controller.abort();
      },
    }),
    { name: 'AbortError' },
  );
  assert.equal(seen, 2, 'no mask is delivered after cancelling');
  const after: number[] = [];
  const result = await client.run(request('red'), { onFrame: (f) => void after.push(f.index) });
  assert.equal(result.frames, 6);
  assert.deepEqual(after, [0, 1, 2, 3, 4, 5]);
  assert.equal(client.workerPid, pid, 'same worker, model still loaded');
});

test('a killed worker fails the running request clearly, and the next request starts a fresh one', async () => {
  await client.run(request('red'));
  const pid = client.workerPid!;
  const long = Array.from({ length: 3000 }, (_, i) => frames[i % frames.length]);
  let killed = false;
  await assert.rejects(
    client.run(request('red', long), {
      onFrame: () => {
        if (!killed) process.kill(pid, 'SIGKILL');
        killed = true;
      },
    }),
    /YOFO inference process was killed \(SIGKILL\) during the run; the next run starts a fresh one/,
  );
  const result = await client.run(request('red'));
  assert.equal(result.frames, 6);
  assert.notEqual(client.workerPid, pid);
});
