// Checks loaded ONNX graphs against the YOFO export contract (training/CONTRACT.md) before any frame is run: input and
// output names, element types and, where the graph declares them, fixed dimensions. A model that doesn't match is
// refused with an InputError naming the .onnx file and the first mismatch, instead of failing obscurely mid-clip.

import { InputError } from '../core/errors';
import type { ModelManifest } from './manifest';

/** A dimension: a fixed size, or a named size that must agree everywhere it appears (the text feature size D). */
type Dim = number | string;

interface TensorSpec {
  name: string;
  type: 'float32' | 'int64';
  shape: Dim[];
}

export interface GraphSpec {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/** The part of onnxruntime's InferenceSession the check reads. */
export interface GraphSignature {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly ValueInfo[];
  readonly outputMetadata?: readonly ValueInfo[];
}

interface ValueInfo {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: ReadonlyArray<number | string>;
}

/** The contract's graph signatures for a manifest (T, H, W, M, C, h, w from model.json; D is free but shared). */
export function contractSpecs(m: ModelManifest): { text: GraphSpec; frame: GraphSpec } {
  const T = m.tokenizer.maxTokens;
  const { width: W, height: H } = m.input;
  const { length: M, channels: C, height: h, width: w } = m.memory;
  const f = (name: string, shape: Dim[]): TensorSpec => ({ name, type: 'float32', shape });
  return {
    text: {
      inputs: [{ name: 'tokens', type: 'int64', shape: [1, T] }],
      outputs: [f('words', [1, T, 'D']), f('sentence', [1, 'D'])],
    },
    frame: {
      inputs: [
        f('image', [1, 3, H, W]),
        f('prev_image', [1, 3, H, W]),
        f('words', [1, T, 'D']),
        f('word_mask', [1, T]),
        f('sentence', [1, 'D']),
        f('mem_x', [1, M, C, h, w]),
        f('mem_y', [1, M, C, h, w]),
        f('mem_w', [1, M, 1, h, w]),
        f('mem_valid', [1, M]),
      ],
      outputs: [f('logits', [1, 1, H, W]), f('x', [1, C, h, w]), f('y', [1, C, h, w]), f('w', [1, 1, h, w])],
    },
  };
}

/**
 * Throws an InputError naming `file` when the graph differs from `spec`. `bound` carries named dimensions across
 * graphs (pass the same object for text.onnx then frame.onnx so D must agree); returns it.
 */
export function checkGraph(
  file: string,
  graph: GraphSignature,
  spec: GraphSpec,
  bound: Record<string, number> = {},
): Record<string, number> {
  const fail = (problem: string): never => {
    throw new InputError(file, `does not match the YOFO model contract: ${problem}`);
  };
  for (const [kind, names, metadata, expected] of [
    ['input', graph.inputNames, graph.inputMetadata, spec.inputs],
    ['output', graph.outputNames, graph.outputMetadata, spec.outputs],
  ] as const) {
    const wanted = expected.map((t) => t.name);
    const missing = wanted.filter((n) => !names.includes(n));
    const extra = names.filter((n) => !wanted.includes(n));
    if (missing.length || extra.length) {
      fail(
        [
          missing.length ? `missing ${kind}s ${missing.map((n) => `"${n}"`).join(', ')}` : '',
          extra.length ? `unexpected ${kind}s ${extra.map((n) => `"${n}"`).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') + ` (expected ${kind}s ${wanted.join(', ')})`,
      );
    }
    for (const t of expected) {
      const info = metadata?.find((v) => v.name === t.name);
      if (!info) continue; // this onnxruntime build exposes no metadata: names are all we can check
      if (!info.isTensor) fail(`${kind} "${t.name}" is not a tensor`);
      if (info.type !== undefined && info.type !== t.type)
        fail(`${kind} "${t.name}" has type ${info.type}, expected ${t.type}`);
      const shape = info.shape;
      if (!shape || shape.length === 0) continue; // shape not declared
      if (shape.length !== t.shape.length) {
        fail(
          `${kind} "${t.name}" has shape [${shape.join(',')}], expected rank ${t.shape.length} [${t.shape.join(',')}]`,
        );
      }
      t.shape.forEach((want, axis) => {
        const got = shape[axis];
        if (typeof got !== 'number' || got < 0) return; // symbolic or unknown: any size is accepted
        if (typeof want === 'number') {
          if (got !== want)
            fail(`${kind} "${t.name}" has shape [${shape.join(',')}], expected [${t.shape.join(',')}] (axis ${axis})`);
        } else if (bound[want] === undefined) {
          bound[want] = got;
        } else if (bound[want] !== got) {
          fail(`${kind} "${t.name}" has ${want}=${got} on axis ${axis}, but ${want}=${bound[want]} elsewhere`);
        }
      });
    }
  }
  return bound;
}
