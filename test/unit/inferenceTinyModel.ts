// Test fixture: writes a tiny but real YOFO-contract model folder (model.json + text.onnx + frame.onnx) built from
// plain ONNX operators, encoded as protobuf by hand so the tests need neither Python nor a trained model. Its outputs
// are simple closed-form functions of every input (see `expectedLogits`), so tests can check the host's wiring exactly.

import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

// --- minimal protobuf writer (only what ONNX ModelProto needs) ---
type Field = Uint8Array;
const enc = new TextEncoder();

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}
const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
const vint = (field: number, n: number | bigint): Field => Uint8Array.from([...varint((field << 3) | 0), ...varint(n)]);
const bytes = (field: number, data: Uint8Array): Field =>
  concat([Uint8Array.from([...varint((field << 3) | 2), ...varint(data.length)]), data]);
const str = (field: number, s: string): Field => bytes(field, enc.encode(s));
const msg = (field: number, parts: Field[]): Field => bytes(field, concat(parts));
const f32 = (field: number, x: number): Field => {
  const b = Buffer.alloc(5);
  b[0] = (field << 3) | 5;
  b.writeFloatLE(x, 1);
  return b;
};

const FLOAT = 1;
const INT64 = 7;

type Attr = { name: string; i?: number; f?: number; ints?: number[] };
function node(op: string, inputs: string[], outputs: string[], attrs: Attr[] = []): Field {
  return msg(1, [
    ...inputs.map((i) => str(1, i)),
    ...outputs.map((o) => str(2, o)),
    str(3, `${op}_${outputs[0]}`),
    str(4, op),
    ...attrs.map((a) =>
      msg(5, [
        str(1, a.name),
        ...(a.i !== undefined ? [vint(3, a.i), vint(20, 2)] : []),
        ...(a.f !== undefined ? [f32(2, a.f), vint(20, 1)] : []),
        ...(a.ints ? [...a.ints.map((x) => vint(8, x)), vint(20, 7)] : []),
      ]),
    ),
  ]);
}
function valueInfo(field: number, name: string, elemType: number, shape: number[]): Field {
  return msg(field, [
    str(1, name),
    msg(2, [
      msg(1, [
        vint(1, elemType),
        msg(
          2,
          shape.map((d) => msg(1, [vint(1, d)])),
        ),
      ]),
    ]),
  ]);
}
function initializer(name: string, dims: number[], type: number, data: Float32Array | BigInt64Array): Field {
  return msg(5, [
    ...dims.map((d) => vint(1, d)),
    vint(2, type),
    str(8, name),
    bytes(9, new Uint8Array(data.buffer.slice(0))),
  ]);
}
function model(graphName: string, nodes: Field[], inits: Field[], inputs: Field[], outputs: Field[]): Uint8Array {
  const graph = msg(7, [...nodes, str(2, graphName), ...inits, ...inputs, ...outputs]);
  return concat([vint(1, 8), str(2, 'rvos-test'), graph, msg(8, [str(1, ''), vint(2, 17)])]);
}

// --- the tiny YOFO ---
export interface TinyModelOptions {
  width?: number;
  height?: number;
  maxTokens?: number;
  /** Text feature size D. */
  dim?: number;
  memory?: number;
  /** Rename graph inputs/outputs (to make contract mismatches). */
  rename?: Record<string, string>;
  /** Declare this height in frame.onnx while model.json keeps `height` (a shape mismatch). */
  declaredHeight?: number;
  /** frame.onnx returns sqrt(logits): NaN wherever the plain logit is negative. */
  nanLogits?: boolean;
  vocab?: string[];
}

export const TINY_STRIDE = 4;
export const TINY_WORD_WEIGHTS = [1, 0.5, -1, 2, 0.25, -0.5, 3, -2];

export interface TinyModel {
  dir: string;
  width: number;
  height: number;
  maxTokens: number;
  memory: number;
  mean: number[];
  std: number[];
}

/** Writes the model folder `dir` and returns its sizes. */
export async function writeTinyModel(dir: string, options: TinyModelOptions = {}): Promise<TinyModel> {
  const W = options.width ?? 16;
  const H = options.height ?? 8;
  const T = options.maxTokens ?? 6;
  const D = options.dim ?? 4;
  const M = options.memory ?? 3;
  const C = 3;
  const h = H / TINY_STRIDE;
  const w = W / TINY_STRIDE;
  const n = (name: string): string => options.rename?.[name] ?? name;
  const mean = [0.5, 0.4, 0.3];
  const std = [0.25, 0.2, 0.5];

  const text = model(
    'text',
    [
      node('Cast', [n('tokens')], ['tf'], [{ name: 'to', i: FLOAT }]),
      node('Unsqueeze', ['tf', 'axis2'], ['tu']),
      node('Mul', ['tu', 'wvec'], [n('words')]),
      node(
        'ReduceMean',
        [n('words')],
        [n('sentence')],
        [
          { name: 'axes', ints: [1] },
          { name: 'keepdims', i: 0 },
        ],
      ),
    ],
    [
      initializer('axis2', [1], INT64, BigInt64Array.from([2n])),
      initializer('wvec', [1, 1, D], FLOAT, Float32Array.from(TINY_WORD_WEIGHTS.slice(0, D))),
    ],
    [valueInfo(11, n('tokens'), INT64, [1, T])],
    [valueInfo(12, n('words'), FLOAT, [1, T, D]), valueInfo(12, n('sentence'), FLOAT, [1, D])],
  );

  const all = (input: string, out: string): Field => node('ReduceMean', [input], [out], [{ name: 'keepdims', i: 0 }]);
  const frameNodes = [
    node(
      'ReduceMean',
      [n('image')],
      ['g'],
      [
        { name: 'axes', ints: [1] },
        { name: 'keepdims', i: 1 },
      ],
    ),
    node(
      'ReduceMean',
      [n('prev_image')],
      ['gp'],
      [
        { name: 'axes', ints: [1] },
        { name: 'keepdims', i: 1 },
      ],
    ),
    node('Sub', ['g', 'gp'], ['motion']),
    node('Add', ['g', 'motion'], ['base']),
    all(n('sentence'), 's_sent'),
    node('Mul', ['s_sent', 'c001'], ['s_sent2']),
    all(n('words'), 's_words'),
    node('Mul', ['s_words', 'c0001'], ['s_words2']),
    all(n('word_mask'), 's_wm'),
    all(n('mem_valid'), 's_mv'),
    all(n('mem_x'), 's_mx'),
    all(n('mem_y'), 's_my'),
    all(n('mem_w'), 's_mw'),
    node('Sum', ['s_sent2', 's_words2', 's_wm', 's_mv', 's_mx', 's_my', 's_mw'], ['bias']),
    node('Add', ['base', 'bias'], [options.nanLogits ? 'plain' : n('logits')]),
    ...(options.nanLogits ? [node('Sqrt', ['plain'], [n('logits')])] : []),
    node(
      'AveragePool',
      [n('image')],
      [n('x')],
      [
        { name: 'kernel_shape', ints: [TINY_STRIDE, TINY_STRIDE] },
        { name: 'strides', ints: [TINY_STRIDE, TINY_STRIDE] },
      ],
    ),
    node(
      'AveragePool',
      [n('prev_image')],
      [n('y')],
      [
        { name: 'kernel_shape', ints: [TINY_STRIDE, TINY_STRIDE] },
        { name: 'strides', ints: [TINY_STRIDE, TINY_STRIDE] },
      ],
    ),
    node(
      'ReduceMean',
      [n('x')],
      ['xm'],
      [
        { name: 'axes', ints: [1] },
        { name: 'keepdims', i: 1 },
      ],
    ),
    node('Sigmoid', ['xm'], [n('w')]),
  ];
  const HD = options.declaredHeight ?? H;
  const frame = model(
    'frame',
    frameNodes,
    [
      initializer('c001', [], FLOAT, Float32Array.from([0.01])),
      initializer('c0001', [], FLOAT, Float32Array.from([0.001])),
    ],
    [
      valueInfo(11, n('image'), FLOAT, [1, 3, HD, W]),
      valueInfo(11, n('prev_image'), FLOAT, [1, 3, HD, W]),
      valueInfo(11, n('words'), FLOAT, [1, T, D]),
      valueInfo(11, n('word_mask'), FLOAT, [1, T]),
      valueInfo(11, n('sentence'), FLOAT, [1, D]),
      valueInfo(11, n('mem_x'), FLOAT, [1, M, C, h, w]),
      valueInfo(11, n('mem_y'), FLOAT, [1, M, C, h, w]),
      valueInfo(11, n('mem_w'), FLOAT, [1, M, 1, h, w]),
      valueInfo(11, n('mem_valid'), FLOAT, [1, M]),
    ],
    [
      valueInfo(12, n('logits'), FLOAT, [1, 1, HD, W]),
      valueInfo(12, n('x'), FLOAT, [1, C, h, w]),
      valueInfo(12, n('y'), FLOAT, [1, C, h, w]),
      valueInfo(12, n('w'), FLOAT, [1, 1, h, w]),
    ],
  );

  const manifest = {
    format: 'yofo-onnx',
    version: 1,
    name: 'tiny-test',
    input: { width: W, height: H, mean, std, resize: 'bilinear-half-pixel' },
    tokenizer: {
      type: 'word',
      lowercase: 'ascii',
      tokenPattern: '[a-z0-9]+',
      maxTokens: T,
      padId: 0,
      unkId: 1,
      vocab: options.vocab ?? ['<pad>', '<unk>', 'the', 'red', 'square', 'left', 'circle', 'moving'],
    },
    memory: { length: M, channels: C, height: h, width: w },
    solver: { type: 'steepest-descent', steps: 1, lambda: 0.1 },
    graphs: { text: 'text.onnx', frame: 'frame.onnx' },
    training: { note: 'hand-built test graph, not trained' },
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'text.onnx'), text);
  await writeFile(path.join(dir, 'frame.onnx'), frame);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  return { dir, width: W, height: H, maxTokens: T, memory: M, mean, std };
}
