// The viewer's YOFO insight logic without a DOM: W heat pixels, W maps from messages, the memory strip, the probe's
// state from streamed messages and its table order; and YofoResults keeping each frame's insight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameInsight } from '../../src/inference/frameInsight';
import { encodeRle } from '../../src/inference/maskRle';
import type { Rgb } from '../../src/webview/clipViewer/overlay';
import {
  heatColour,
  heatRamp,
  insightSummary,
  isWeightMapKey,
  memoryChips,
  weightMapFromMessage,
  weightMapPixels,
  weightScale,
  weightText,
  weightTicks,
} from '../../src/webview/clipViewer/yofoInsight';
import { ProbeRun, probeStatusText, probeTableRows } from '../../src/webview/clipViewer/yofoInsightProbe';
import { YofoResults } from '../../src/webview/clipViewer/yofoResults';

const RAMP: Rgb[] = [
  [0, 0, 255],
  [255, 255, 0],
  [255, 0, 0],
];

test('heat colours run through the ramp stops; theme variables pick the stops, with fallbacks', () => {
  assert.deepEqual(heatColour(0, RAMP), [0, 0, 255]);
  assert.deepEqual(heatColour(0.5, RAMP), [255, 255, 0]);
  assert.deepEqual(heatColour(1, RAMP), [255, 0, 0]);
  assert.deepEqual(heatColour(0.25, RAMP), [128, 128, 128]);
  assert.deepEqual(heatColour(7, RAMP), [255, 0, 0], 'clamped');
  const theme: Record<string, string> = {
    'var(--vscode-charts-blue)': 'rgb(1, 2, 3)',
    'var(--vscode-charts-red)': 'rgb(7, 8, 9)',
  };
  const ramp = heatRamp((css) => theme[css] ?? '');
  assert.deepEqual(ramp, [
    [1, 2, 3],
    [204, 167, 0],
    [7, 8, 9],
  ]);
});

test('W pixels: ramp colour per value, alpha from a quarter of the opacity (W = 0) to the opacity (W = 1)', () => {
  const px = weightMapPixels({ width: 3, height: 1, data: Uint8Array.from([0, 128, 255]) }, RAMP, 0.8);
  assert.equal(px.length, 12);
  assert.deepEqual([...px.subarray(0, 4)], [0, 0, 255, 51]);
  assert.deepEqual([...px.subarray(8, 12)], [255, 0, 0, 204]);
  assert.deepEqual([...px.subarray(4, 7)], heatColour(128 / 255, RAMP));
});

test('W maps from messages: typed arrays as they are, serialised copies decoded, wrong sizes refused', () => {
  const data = Uint8Array.from([1, 2, 3, 4]);
  assert.equal(weightMapFromMessage({ width: 2, height: 2, data }).data, data);
  assert.deepEqual(weightMapFromMessage({ width: 2, height: 2, data: [1, 2, 3, 4] as never }).data, data);
  assert.deepEqual(weightMapFromMessage({ width: 2, height: 2, data: JSON.parse(JSON.stringify(data)) }).data, data);
  assert.throws(() => weightMapFromMessage({ width: 3, height: 2, data }), /6|3×2/);
  assert.ok(isWeightMapKey('w') && isWeightMapKey('W') && !isWeightMapKey('d'));
});

const insight = (memory: FrameInsight['memory'], selfShare: number): FrameInsight => ({
  weight: { width: 2, height: 1, data: Uint8Array.from([0, 255]) },
  meanWeight: 0.5,
  memory,
  selfShare,
});

test('memory strip: one chip per memory frame with its name and share; the first frame says the memory is empty', () => {
  const frames = ['00000', '00005', '00010'];
  const chips = memoryChips(
    insight(
      [
        { frame: 0, meanWeight: 0.25, share: 0.2 },
        { frame: 1, meanWeight: 0.5, share: 0.4 },
      ],
      0.4,
    ),
    frames,
  );
  assert.deepEqual(
    chips.map((c) => [c.frame, c.label]),
    [
      [0, '00000 · 20%'],
      [1, '00005 · 40%'],
    ],
  );
  assert.match(chips[1].title, /frame 00005: 40% of the fit's weight \(mean W 0.50\)/);
  assert.deepEqual(memoryChips(insight([], 1), frames), []);
  assert.match(insightSummary(insight([], 1)), /100% of the fit \(first frame: the memory is empty\)/);
  assert.match(insightSummary(insight([{ frame: 0, meanWeight: 0.5, share: 0.5 }], 0.5)), /memory frames used:$/);
});

test("YofoResults keeps each streamed frame's insight", () => {
  const results = new YofoResults();
  const r = results.begin('0', 2);
  results.apply({
    type: 'yofoProgress',
    runId: r.runId,
    expId: '0',
    modelName: 'tiny',
    device: 'cpu',
    total: 2,
    cached: false,
  });
  const mask = encodeRle({ width: 2, height: 1, data: Uint8Array.from([0, 1]) });
  const first = insight([], 1);
  results.apply({ type: 'yofoFrame', runId: r.runId, expId: '0', frameIndex: 0, mask, insight: first });
  results.apply({ type: 'yofoFrame', runId: r.runId, expId: '0', frameIndex: 1, mask });
  assert.equal(r.insights.get(0), first);
  assert.equal(r.insights.has(1), false);
});

const variants = [
  { kind: 'drop-word' as const, description: 'without "red"', text: 'square on the left' },
  { kind: 'drop-word' as const, description: 'without "left"', text: 'red square on the' },
  { kind: 'swap-left-right' as const, description: 'left and right swapped', text: 'red square on the right' },
];

test('probe: starting → running → done; rows stream; stale probes and out-of-order messages are dropped', () => {
  const probe = new ProbeRun();
  const id = probe.begin('3');
  assert.ok(probe.busy);
  assert.equal(
    probe.apply({ type: 'probeRow', probeId: id, expId: '3', row: 0, score: { J: 1, F: 1, JF: 1 }, cached: false }),
    undefined,
    'row before start',
  );
  assert.ok(
    probe.apply({ type: 'probeStarted', probeId: id, expId: '3', original: 'red square on the left', variants }),
  );
  assert.match(probeStatusText(probe.state!), /0\/4 texts scored/);
  assert.equal(
    probe.apply({ type: 'probeRow', probeId: id + 1, expId: '3', row: 0, score: { J: 0, F: 0, JF: 0 }, cached: false }),
    undefined,
    'another probe',
  );
  assert.equal(
    probe.apply({ type: 'probeRow', probeId: id, expId: '3', row: 9, score: { J: 0, F: 0, JF: 0 }, cached: false }),
    undefined,
    'no such row',
  );
  probe.apply({ type: 'probeRow', probeId: id, expId: '3', row: 0, score: { J: 0.6, F: 0.8, JF: 0.7 }, cached: true });
  probe.apply({ type: 'probeRow', probeId: id, expId: '3', row: 1, score: { J: 0.6, F: 0.6, JF: 0.6 }, cached: false });
  probe.apply({ type: 'probeRow', probeId: id, expId: '3', row: 3, score: { J: 0.2, F: 0.2, JF: 0.2 }, cached: false });
  // Original first, scored variants by drop (largest first), then the one still to come.
  const rows = probeTableRows(probe.state!);
  assert.deepEqual(
    rows.map((r) => [r.text, r.change, r.JF, r.delta === undefined ? undefined : Number(r.delta.toFixed(6))]),
    [
      ['red square on the left', 'original', 0.7, undefined],
      ['red square on the right', 'left and right swapped', 0.2, -0.5],
      ['square on the left', 'without "red"', 0.6, -0.1],
      ['red square on the', 'without "left"', undefined, undefined],
    ],
  );
  probe.apply({ type: 'probeRow', probeId: id, expId: '3', row: 2, score: { J: 0.9, F: 0.9, JF: 0.9 }, cached: false });
  assert.equal(probeTableRows(probe.state!)[3].text, 'red square on the', 'a variant that does better goes last');
  probe.apply({ type: 'probeDone', probeId: id, expId: '3' });
  assert.equal(probe.busy, false);
  assert.equal(
    probeStatusText(probe.state!),
    'Probe: 3 variants scored (1 of 4 texts from the cache); sorted by J&F drop',
  );
  assert.equal(
    probe.apply({ type: 'probeError', probeId: id, expId: '3', message: 'late', cancelled: false }),
    undefined,
    'a late error does not undo done',
  );
});

test('probe: cancel and errors keep the rows that arrived; a new probe replaces the old one', () => {
  const probe = new ProbeRun();
  const first = probe.begin('0');
  probe.apply({ type: 'probeStarted', probeId: first, expId: '0', original: 'red square on the left', variants });
  probe.apply({
    type: 'probeRow',
    probeId: first,
    expId: '0',
    row: 0,
    score: { J: 0.5, F: 0.5, JF: 0.5 },
    cached: false,
  });
  probe.apply({ type: 'probeError', probeId: first, expId: '0', message: 'cancelled', cancelled: true });
  assert.equal(probeStatusText(probe.state!), 'Probe: cancelled after 1/4 texts');
  assert.equal(probeTableRows(probe.state!)[0].JF, 0.5);
  const second = probe.begin('0');
  assert.notEqual(second, first);
  probe.apply({ type: 'probeError', probeId: second, expId: '0', message: 'no ground truth here', cancelled: false });
  assert.equal(probeStatusText(probe.state!), 'Probe: no ground truth here');
  assert.deepEqual(probeTableRows(probe.state!), []);
});

test('probe of a total miss (J&F 0): the done line says why every variant is ±0.0', () => {
  const probe = new ProbeRun();
  const id = probe.begin('5');
  probe.apply({ type: 'probeStarted', probeId: id, expId: '5', original: 'red square on the left', variants });
  for (let row = 0; row <= variants.length; row++)
    probe.apply({ type: 'probeRow', probeId: id, expId: '5', row, score: { J: 0, F: 0, JF: 0 }, cached: false });
  assert.doesNotMatch(probeStatusText(probe.state!), /total miss/, 'only once the probe is done');
  probe.apply({ type: 'probeDone', probeId: id, expId: '5' });
  assert.match(
    probeStatusText(probe.state!),
    /^Probe: 3 variants scored; sorted by J&F drop\. The original is a total miss \(J&F 0\.0\), so no variant can score lower/,
  );
  assert.ok(
    probeTableRows(probe.state!)
      .slice(1)
      .every((r) => r.delta === 0),
  );
});

test('protocol guards accept the probe messages and refuse malformed ones', async () => {
  const { isHostMessage, isWebviewMessage } = await import('../../src/shared/clipViewer/protocol');
  assert.ok(isWebviewMessage({ type: 'runProbe', probeId: 1, expId: '0' }));
  assert.ok(isWebviewMessage({ type: 'cancelProbe', probeId: 1 }));
  assert.ok(!isWebviewMessage({ type: 'runProbe', probeId: -1, expId: '0' }));
  assert.ok(!isWebviewMessage({ type: 'runProbe', probeId: 1 }));
  assert.ok(isHostMessage({ type: 'probeSelected' }));
  assert.ok(isHostMessage({ type: 'probeStarted', probeId: 1, expId: '0', original: 'x', variants: [] }));
  assert.ok(
    isHostMessage({ type: 'probeRow', probeId: 1, expId: '0', row: 0, score: { J: 1, F: 1, JF: 1 }, cached: false }),
  );
  assert.ok(!isHostMessage({ type: 'probeRow', probeId: 1, expId: '0', row: 0 }));
  assert.ok(isHostMessage({ type: 'probeError', probeId: 1, expId: '0', message: 'm', cancelled: true }));
});

test('W scale: per frame from the 2nd to the 98th percentile; a flat map says so; pixels span the ramp over the scale', () => {
  // A faint map (W about 0.03, as a well-fitted frame gives) with a few extreme pixels that must not set the scale.
  const data = new Uint8Array(1000);
  for (let i = 0; i < data.length; i++) data[i] = 4 + (i % 10); // 4..13
  data[0] = 255;
  data[1] = 0;
  const map = { width: 100, height: 10, data };
  const scale = weightScale(map);
  assert.deepEqual(scale, { lo: 4, hi: 13, flat: false });
  assert.deepEqual(weightTicks(scale), ['0.016', '0.033', '0.051']);
  const px = weightMapPixels(map, RAMP, 0.8, scale);
  assert.deepEqual([...px.subarray(9 * 4, 9 * 4 + 3)], heatColour(1, RAMP), "the frame's highest W takes the hot end");
  assert.deepEqual([...px.subarray(10 * 4, 10 * 4 + 3)], heatColour(0, RAMP), 'its lowest the cold end');
  assert.deepEqual([...px.subarray(0, 3)], heatColour(1, RAMP), 'an outlier above the scale is clamped');
  assert.equal(weightScale({ width: 4, height: 1, data: Uint8Array.from([8, 8, 9, 8]) }).flat, true);
  assert.equal(weightText(255), '1.00');
});
