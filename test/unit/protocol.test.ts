import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isHostMessage,
  isHostResponse,
  isViewerState,
  isWebviewMessage,
  MAX_EXPRESSION_LENGTH,
  type HostMessage,
  type ViewerState,
} from '../../src/shared/clipViewer/protocol';

const state: ViewerState = {
  datasetRoot: '/data/ryvos',
  split: 'train',
  videoId: 'vidA',
  expId: '0',
  frameIndex: 3,
  overlay: { showGt: true, showPred: false, opacity: 0.4, mode: 'outline', gtColor: '', predColor: '#ff0000' },
};

test('viewer state: accepted as saved, rejected when any field is off', () => {
  assert.ok(isViewerState(state));
  assert.ok(isViewerState({ ...state, expId: undefined }));
  for (const bad of [
    { ...state, frameIndex: -1 },
    { ...state, frameIndex: 1.5 },
    { ...state, videoId: 7 },
    { ...state, overlay: { ...state.overlay, opacity: 1.5 } },
    { ...state, overlay: { ...state.overlay, mode: 'glow' } },
    { ...state, overlay: undefined },
    null,
    'state',
  ]) {
    assert.equal(isViewerState(bad), false, JSON.stringify(bad));
  }
});

test('webview messages: requests need a request id, notifications a valid payload', () => {
  assert.ok(isWebviewMessage({ type: 'getClip', requestId: 1 }));
  assert.ok(isWebviewMessage({ type: 'getFrame', requestId: 2, expId: '0', frameIndex: 0 }));
  assert.ok(isWebviewMessage({ type: 'getFrame', requestId: 2, frameIndex: 4 }));
  assert.ok(isWebviewMessage({ type: 'ready' }));
  assert.ok(isWebviewMessage({ type: 'ready', state }));
  assert.ok(isWebviewMessage({ type: 'stateChanged', state }));
  assert.equal(isWebviewMessage({ type: 'getClip' }), false);
  assert.equal(isWebviewMessage({ type: 'getClip', requestId: '1' }), false);
  assert.equal(isWebviewMessage({ type: 'getFrame', requestId: 2, frameIndex: -1 }), false);
  assert.equal(isWebviewMessage({ type: 'getFrame', requestId: 2, expId: 0, frameIndex: 1 }), false);
  assert.equal(isWebviewMessage({ type: 'ready', state: { videoId: 'x' } }), false);
  assert.equal(isWebviewMessage({ type: 'stateChanged' }), false);
  assert.equal(isWebviewMessage({ type: 'writeFile', path: '/etc/passwd' }), false);
  assert.equal(isWebviewMessage([{ type: 'getClip', requestId: 1 }]), false);
});

test('host messages: responses echo a request id, notifications are told apart', () => {
  const frame: HostMessage = { type: 'frame', requestId: 5, frame: { frameIndex: 0, notes: [] } };
  const error: HostMessage = { type: 'error', requestId: 6, message: '/x.png: not a PNG file' };
  const show: HostMessage = { type: 'show', state, playback: { fps: 6, prefetch: 4 } };
  for (const m of [frame, error, show, { type: 'invalidate' } as const, { type: 'notice', message: 'x' } as const])
    assert.ok(isHostMessage(m), m.type);
  assert.ok(isHostResponse(frame) && isHostResponse(error));
  assert.equal(isHostResponse(show), false);
  assert.equal(isHostMessage({ type: 'show', state }), false); // playback settings missing
  assert.equal(isHostMessage({ type: 'error', requestId: 1 }), false);
  assert.equal(isHostMessage({ type: 'clip', clip: {} }), false);
  assert.equal(isHostMessage({ type: 'unknown' }), false);
});

test('YOFO messages: runs are tagged by the webview run id; expressions are checked', () => {
  assert.ok(isViewerState({ ...state, source: 'yofo' }));
  assert.equal(isViewerState({ ...state, source: 'gpu' }), false);
  assert.ok(isWebviewMessage({ type: 'runYofo', runId: 3, expId: 'user-1' }));
  assert.ok(isWebviewMessage({ type: 'cancelYofo', runId: 3 }));
  assert.ok(isWebviewMessage({ type: 'addExpression', requestId: 4, text: 'the red square' }));
  assert.ok(isWebviewMessage({ type: 'linkExpression', expId: 'user-1', objId: '2' }));
  assert.ok(isWebviewMessage({ type: 'linkExpression', expId: 'user-1' }));
  assert.ok(isWebviewMessage({ type: 'removeExpression', expId: 'user-1' }));
  assert.equal(isWebviewMessage({ type: 'runYofo', expId: '0' }), false);
  assert.equal(isWebviewMessage({ type: 'cancelYofo', runId: -1 }), false);
  assert.equal(
    isWebviewMessage({ type: 'addExpression', requestId: 4, text: 'x'.repeat(MAX_EXPRESSION_LENGTH + 1) }),
    false,
  );
  assert.equal(isWebviewMessage({ type: 'linkExpression', expId: 'user-1', objId: 2 }), false);

  const rle = { width: 2, height: 1, runs: Uint32Array.from([1, 1]) };
  const messages: HostMessage[] = [
    { type: 'yofoProgress', runId: 1, expId: '0', modelName: 'm', device: 'cpu', total: 3, cached: false },
    { type: 'yofoFrame', runId: 1, expId: '0', frameIndex: 2, mask: rle, score: { J: 1, F: 1 } },
    { type: 'yofoDone', runId: 1, expId: '0', modelName: 'm', unknownWords: [], cached: true },
    { type: 'yofoError', runId: 1, expId: '0', message: 'cancelled', cancelled: true },
    { type: 'runSelected' },
  ];
  for (const m of messages) {
    assert.ok(isHostMessage(m), m.type);
    assert.equal(isHostResponse(m), false, `${m.type} is a notification`);
  }
  const added: HostMessage = { type: 'expressionAdded', requestId: 4, expId: 'user-1' };
  assert.ok(isHostMessage(added) && isHostResponse(added));
  assert.equal(isHostMessage({ type: 'yofoFrame', runId: 1, expId: '0', frameIndex: -1, mask: rle }), false);
  assert.equal(isHostMessage({ type: 'yofoDone', expId: '0' }), false);
});
