// Expression probing: exact variant lists, and the runner with a real scorer (a rule-based "model" that turns words
// into masks, scored with the exact J&F against ground-truth masks), including cancellation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeVariants, runProbe, type ScoreText } from '../../src/core/analysis/probe';
import { scorePair } from '../../src/core/scoring';
import type { ExpressionScore, Mask } from '../../src/core/types';

const texts = (t: string) => probeVariants(t).map((v) => [v.kind, v.text]);

describe('probeVariants', () => {
  it('drops each word and swaps left/right; a colour removal equal to a dropped word is not repeated', () => {
    assert.deepEqual(texts('the red square on the right'), [
      ['drop-word', 'red square on the right'],
      ['drop-word', 'the square on the right'],
      ['drop-word', 'the red on the right'],
      ['drop-word', 'the red square the right'],
      ['drop-word', 'the red square on right'],
      ['drop-word', 'the red square on the'],
      ['swap-left-right', 'the red square on the left'],
    ]);
  });

  it('swaps top/bottom words keeping their case, and describes each variant', () => {
    assert.deepEqual(probeVariants('Upper cat above'), [
      { kind: 'drop-word', description: 'without "Upper"', text: 'cat above' },
      { kind: 'drop-word', description: 'without "cat"', text: 'Upper above' },
      { kind: 'drop-word', description: 'without "above"', text: 'Upper cat' },
      {
        kind: 'swap-top-bottom',
        description: 'top and bottom swapped (upper/lower, above/below)',
        text: 'Lower cat below',
      },
    ]);
  });

  it('removes colour words with their hyphenated compounds; both swaps when both kinds occur', () => {
    assert.deepEqual(texts('white-and-black dog at top left'), [
      ['drop-word', 'dog at top left'],
      ['drop-word', 'white-and-black at top left'],
      ['drop-word', 'white-and-black dog top left'],
      ['drop-word', 'white-and-black dog at left'],
      ['drop-word', 'white-and-black dog at top'],
      ['swap-left-right', 'white-and-black dog at top right'],
      ['swap-top-bottom', 'white-and-black dog at bottom left'],
    ]);
    assert.deepEqual(texts('a Grey cat and a blue mat'), [
      ['drop-word', 'Grey cat and a blue mat'],
      ['drop-word', 'a cat and a blue mat'],
      ['drop-word', 'a Grey and a blue mat'],
      ['drop-word', 'a Grey cat a blue mat'],
      ['drop-word', 'a Grey cat and blue mat'],
      ['drop-word', 'a Grey cat and a mat'],
      ['drop-word', 'a Grey cat and a blue'],
      ['drop-colours', 'a cat and a mat'],
    ]);
    assert.equal(probeVariants('whitehouse leftover').length, 2); // no whole colour or position word
    assert.deepEqual(probeVariants('dog'), []); // dropping the only word leaves nothing
  });
});

// A 24×16 scene with three squares: A red top-left, B blue top-right, C red bottom-right.
const W = 24;
const H = 16;
const OBJECTS = {
  A: { words: ['red', 'left', 'top'], rect: [1, 1, 9, 7] },
  B: { words: ['blue', 'right', 'top'], rect: [14, 1, 22, 7] },
  C: { words: ['red', 'right', 'bottom'], rect: [14, 9, 22, 15] },
} as const;
const ATTRIBUTES = new Set(['red', 'blue', 'left', 'right', 'top', 'bottom']);

function rect([x0, y0, x1, y1]: readonly number[], shift: number): Mask {
  const data = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0 + shift; x < x1 + shift; x++) data[y * W + x] = 1;
  return { width: W, height: H, data };
}

/** The "model": segments every object having all attribute words of the text (all objects when none is given). */
function segment(text: string, shift: number): Mask {
  const wanted = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => ATTRIBUTES.has(w));
  const out = new Uint8Array(W * H);
  for (const o of Object.values(OBJECTS)) {
    if (!wanted.every((w) => (o.words as readonly string[]).includes(w))) continue;
    const m = rect(o.rect, shift);
    for (let i = 0; i < out.length; i++) out[i] |= m.data[i];
  }
  return { width: W, height: H, data: out };
}

/** A real scorer: J and F per frame (two frames, objects shifted by one pixel) against object C's ground truth. */
function scorer(calls: string[]): ScoreText {
  return async (text) => {
    calls.push(text);
    const frames = [0, 1].map((shift) => ({
      frame: String(shift * 5).padStart(5, '0'),
      ...scorePair(rect(OBJECTS.C.rect, shift), segment(text, shift)),
      missing: false,
    }));
    const J = (frames[0].J + frames[1].J) / 2;
    const F = (frames[0].F + frames[1].F) / 2;
    return { video: 'v', expId: '0', expression: text, J, F, JF: (J + F) / 2, frames } satisfies ExpressionScore;
  };
}

describe('runProbe', () => {
  it('scores the original and each variant with the given scorer, drop = original − variant', async () => {
    const calls: string[] = [];
    const progress: number[] = [];
    const r = await runProbe('the red square on the right', scorer(calls), {
      onProgress: (done) => progress.push(done),
    });
    assert.equal(calls.length, 8);
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(r.original.JF, 1);
    const byText = new Map(r.variants.map((v) => [v.text, v]));
    assert.equal(byText.get('red square on the right')!.drop, 0); // "the" does not matter
    // Without "red": B and C are segmented. J = |C| / |B ∪ C| = 48 / 96.
    const noRed = byText.get('the square on the right')!;
    assert.equal(noRed.J, 0.5);
    assert.ok(noRed.drop > 0 && noRed.drop < 1);
    // Without "right": A and C. Same J (A and C have the same size).
    assert.equal(byText.get('the red square on the')!.J, 0.5);
    // Left swapped in: A only, disjoint from C.
    const swapped = byText.get('the red square on the left')!;
    assert.equal(swapped.J, 0);
    assert.equal(swapped.F, 0);
    assert.equal(swapped.drop, 1);
  });

  it('stops at an abort, even while a scorer that ignores the signal is running', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const real = scorer(calls);
    const slow: ScoreText = async (text) => {
      if (calls.length === 2) controller.abort(new Error('stop'));
      return new Promise((resolve) => setTimeout(() => resolve(real(text)), 20));
    };
    await assert.rejects(runProbe('the red square on the right', slow, { signal: controller.signal }), /stop/);
    assert.equal(calls.length, 2);
    await assert.rejects(runProbe('x y', real, { signal: controller.signal }), /stop/); // already aborted
  });
});
