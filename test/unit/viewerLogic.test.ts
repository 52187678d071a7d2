import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isHostResponse,
  REQUEST_ANSWERS,
  type FrameMasks,
  type HostNotification,
  type WebviewRequest,
} from '../../src/shared/clipViewer/protocol';
import { FrameStore } from '../../src/webview/clipViewer/frameStore';
import { keyAction, playNext, prefetchIndices, stepFrame } from '../../src/webview/clipViewer/playback';
import { HostError, RpcChannel } from '../../src/webview/shared/rpc';

test('keys: arrows step, Home/End jump, space toggles playback', () => {
  assert.equal(keyAction('ArrowLeft'), 'prev');
  assert.equal(keyAction('ArrowRight'), 'next');
  assert.equal(keyAction('Home'), 'first');
  assert.equal(keyAction('End'), 'last');
  assert.equal(keyAction(' '), 'togglePlay');
  assert.equal(keyAction('a'), undefined);
});

test('stepping is clamped to the clip; playback wraps; prefetch looks ahead with wrap', () => {
  assert.equal(stepFrame(0, 5, 'prev'), 0);
  assert.equal(stepFrame(4, 5, 'next'), 4);
  assert.equal(stepFrame(2, 5, 'next'), 3);
  assert.equal(stepFrame(2, 5, 'first'), 0);
  assert.equal(stepFrame(2, 5, 'last'), 4);
  assert.equal(stepFrame(9, 5, 'prev'), 4);
  assert.equal(stepFrame(0, 0, 'last'), 0);
  assert.equal(playNext(4, 5), 0);
  assert.equal(playNext(1, 5), 2);
  assert.deepEqual(prefetchIndices(3, 5, 3), [4, 0, 1]);
  assert.deepEqual(prefetchIndices(0, 3, 10), [1, 2]);
  assert.deepEqual(prefetchIndices(0, 1, 4), []);
  assert.deepEqual(prefetchIndices(3, 5, 3, -1), [2, 1, 0], 'scrubbing backwards fetches the frames before');
  assert.deepEqual(prefetchIndices(1, 5, 3, -1), [0, 4, 3]);
});

test('rpc: answers match their request ids in any order; errors reject; notifications pass through', async () => {
  const posted: WebviewRequest[] = [];
  const notes: HostNotification[] = [];
  const rpc = new RpcChannel(
    (m: WebviewRequest) => posted.push(m),
    (n: HostNotification) => notes.push(n),
    isHostResponse,
    REQUEST_ANSWERS,
  );
  const a = rpc.request({ type: 'getFrame', expId: '0', frameIndex: 1 });
  const b = rpc.request({ type: 'getFrame', expId: '0', frameIndex: 2 });
  const c = rpc.request({ type: 'getClip' });
  assert.deepEqual(
    posted.map((p) => p.requestId),
    [1, 2, 3],
  );
  rpc.receive({ type: 'frame', requestId: 2, frame: { frameIndex: 2, notes: [] } });
  rpc.receive({ type: 'invalidate' });
  rpc.receive({ type: 'frame', requestId: 1, frame: { frameIndex: 1, notes: [] } });
  rpc.receive({ type: 'error', requestId: 3, message: '/d/meta.json: bad' });
  rpc.receive({ type: 'frame', requestId: 99, frame: { frameIndex: 9, notes: [] } }); // stale: ignored
  assert.equal((await a).frame.frameIndex, 1);
  assert.equal((await b).frame.frameIndex, 2);
  await assert.rejects(c, (e: Error) => e instanceof HostError && e.message === '/d/meta.json: bad');
  assert.deepEqual(notes, [{ type: 'invalidate' }]);
  assert.equal(rpc.inFlight, 0);
});

test('rpc: each request type gets its own answer type; an answer of another type rejects instead of resolving', async () => {
  const rpc = new RpcChannel(
    (_: WebviewRequest) => undefined,
    (_: HostNotification) => undefined,
    isHostResponse,
    REQUEST_ANSWERS,
  );
  const scores = rpc.request({ type: 'getScores', run: 'r' });
  const clip = rpc.request({ type: 'getClip' });
  rpc.receive({ type: 'scores', requestId: 1, run: 'r', expressions: [] });
  rpc.receive({ type: 'frame', requestId: 2, frame: { frameIndex: 0, notes: [] } });
  const answer = await scores;
  assert.deepEqual(answer.expressions, []);
  // @ts-expect-error: a getScores answer has no frame (the answer type follows the request type)
  assert.equal(answer.frame, undefined);
  await assert.rejects(
    clip,
    (e: Error) => e instanceof HostError && e.message === 'the host answered "frame" where "clip" was expected',
  );
});

test('frame store: one fetch per frame, prefetch skips cached frames, failures are retried, LRU bound', async () => {
  const calls: string[] = [];
  let fail = true;
  const store = new FrameStore(async (expId, frameIndex): Promise<FrameMasks> => {
    calls.push(`${expId}:${frameIndex}`);
    if (frameIndex === 7 && fail) throw new Error('boom');
    return { frameIndex, expId, notes: [] };
  }, 3);
  await store.get('0', 1);
  await store.get('0', 1);
  store.prefetch('0', [1, 2]);
  await store.get('1', 1);
  assert.deepEqual(calls, ['0:1', '0:2', '1:1']);
  await assert.rejects(store.get('0', 7), /boom/);
  fail = false;
  assert.equal((await store.get('0', 7)).frameIndex, 7);
  assert.equal(store.size, 3);
  await store.get('0', 2); // still cached
  await store.get('0', 1); // evicted by the bound: fetched again
  assert.deepEqual(calls, ['0:1', '0:2', '1:1', '0:7', '0:7', '0:1']);
  store.clear();
  assert.equal(store.size, 0);
});
