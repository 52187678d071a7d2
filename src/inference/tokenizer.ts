// The YOFO word tokenizer, reproducing yofo/tokenizer.py exactly (see training/CONTRACT.md): ASCII-only lowercasing,
// tokens are maximal runs of [a-z0-9], everything else separates; unknown words map to unkId; padded/truncated to
// maxTokens. Non-ASCII letters are separators on purpose: String#toLowerCase would fold them (and 'İ' even grows a
// combining dot), which Python's rule does not do.

import { InputError } from '../core/errors';

export interface TokenizerSpec {
  maxTokens: number;
  padId: number;
  unkId: number;
  /** Vocabulary; a word's id is its index in this list. */
  vocab: readonly string[];
}

export interface Tokens {
  /** Token ids, padded with padId to maxTokens (the `tokens` input of text.onnx). */
  ids: BigInt64Array;
  /** 1 for a real token, 0 for padding (the `word_mask` input of frame.onnx). */
  mask: Float32Array;
  /** Number of real tokens (≤ maxTokens). */
  count: number;
  /** Words of the expression not in the vocabulary (before truncation), for diagnostics. */
  unknown: string[];
}

/** Splits text into lowercase ASCII words: maximal runs of [a-z0-9] after mapping A–Z to a–z. */
export function splitWords(text: string, limit = Infinity): string[] {
  const words: string[] = [];
  let current = '';
  for (let i = 0; i < text.length && words.length < limit; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      current += String.fromCharCode(c);
    } else if (current) {
      words.push(current);
      current = '';
    }
  }
  if (current && words.length < limit) words.push(current);
  return words;
}

export class Tokenizer {
  private readonly ids = new Map<string, number>();

  constructor(readonly spec: TokenizerSpec) {
    spec.vocab.forEach((word, id) => {
      if (!this.ids.has(word)) this.ids.set(word, id);
    });
  }

  /** Tokenizes an expression; `source` names where the text came from for the error on an empty expression. */
  encode(text: string, source = 'expression'): Tokens {
    const { maxTokens, padId, unkId } = this.spec;
    const words = splitWords(text, maxTokens);
    if (words.length === 0) throw new InputError(source, 'expression is empty (no letters or digits to tokenize)');
    const ids = new BigInt64Array(maxTokens).fill(BigInt(padId));
    const mask = new Float32Array(maxTokens);
    const unknown: string[] = [];
    words.forEach((word, i) => {
      const id = this.ids.get(word);
      if (id === undefined) unknown.push(word);
      ids[i] = BigInt(id ?? unkId);
      mask[i] = 1;
    });
    return { ids, mask, count: words.length, unknown };
  }
}
