// The host's "latest wins" job slot (YOFO and probe controllers of the clip viewer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestJob } from '../../src/host/common/latestJob';

const untilAborted = (signal: AbortSignal) =>
  new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('aborted')));

test('a new job cancels the running one; a cancel of an old id leaves the new job running', async () => {
  const slot = new LatestJob();
  const first = slot.run(1, untilAborted);
  let secondSignal: AbortSignal | undefined;
  let finishSecond = (): void => undefined;
  const second = slot.run(2, (signal) => {
    secondSignal = signal;
    return new Promise<string>((resolve) => (finishSecond = () => resolve('done')));
  });
  assert.equal(await first, 'aborted');
  slot.cancel(1);
  assert.equal(secondSignal?.aborted, false);
  assert.equal(slot.runningId, 2);
  finishSecond();
  assert.equal(await second, 'done');
  assert.equal(slot.runningId, undefined, 'the slot is free once the job settled');
});

test("cancel by id, the job's own cancel, dispose; errors pass through and free the slot", async () => {
  const slot = new LatestJob();
  const byId = slot.run(7, untilAborted);
  slot.cancel(7);
  assert.equal(await byId, 'aborted');
  assert.equal(await slot.run(8, (signal, cancel) => (cancel(), Promise.resolve(signal.aborted))), true);
  const disposed = slot.run(9, untilAborted);
  slot.dispose();
  assert.equal(await disposed, 'aborted');
  await assert.rejects(
    slot.run(10, () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.equal(slot.runningId, undefined);
});
