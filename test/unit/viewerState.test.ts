import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ViewerState, WebviewMessage } from '../../src/shared/clipViewer/protocol';
import { LatestJob } from '../../src/webview/shared/latestJob';
import { ViewerStore } from '../../src/webview/clipViewer/state';

/** The webview API as the store uses it, recording what it was given. */
function recordingApi() {
  const saved: ViewerState[] = [];
  const posted: WebviewMessage[] = [];
  return {
    saved,
    posted,
    api: {
      postMessage: (m: WebviewMessage) => posted.push(m),
      getState: () => saved.at(-1),
      setState: (s: ViewerState) => saved.push(s),
    },
  };
}

const STATE: ViewerState = {
  datasetRoot: '/d',
  split: 'valid',
  videoId: 'v1',
  frameIndex: 0,
  overlay: { showGt: true, showPred: true, opacity: 0.5, mode: 'fill', gtColor: '', predColor: '' },
};

test('ViewerStore: every change is persisted and told to the host; transient zoom changes only at the end', () => {
  const { saved, posted, api } = recordingApi();
  const store = new ViewerStore(api);
  store.update({ frameIndex: 3 });
  assert.equal(saved.length, 0, 'no state yet: nothing to change');
  store.replace(STATE);
  store.update({ expId: '1', frameIndex: 4 });
  assert.deepEqual(saved.at(-1), { ...STATE, expId: '1', frameIndex: 4 });
  assert.deepEqual(posted.at(-1), { type: 'stateChanged', state: { ...STATE, expId: '1', frameIndex: 4 } });
  assert.equal(STATE.frameIndex, 0, 'the given state object is not mutated');
  const before = saved.length;
  store.update({ view: { zoom: 2, cx: 0.5, cy: 0.5 } }, { persist: false });
  assert.equal(saved.length, before);
  assert.equal(store.state?.view?.zoom, 2);
  store.update({ view: { zoom: 3, cx: 0.5, cy: 0.5 } }, { persist: true });
  assert.equal(saved.at(-1)?.view?.zoom, 3);
  assert.equal(store.saved(), saved.at(-1));
});

test('LatestJob: a new job aborts the previous one; an older result never shows after a newer one', () => {
  const jobs = new LatestJob();
  const a = jobs.start();
  const b = jobs.start();
  assert.ok(a.signal.aborted && !b.signal.aborted);
  assert.ok(!a.isLatest() && b.isLatest());
  // a finished first: it may show (the picture follows the scrubbing); then b shows; a late c-before-b cannot.
  assert.ok(a.claimShow());
  const c = jobs.start();
  assert.ok(c.claimShow());
  assert.ok(!b.claimShow(), 'b is older than c, which is shown');
  assert.ok(!c.claimShow(), 'once');
  jobs.cancel();
  assert.ok(c.signal.aborted && !c.isLatest());
});
