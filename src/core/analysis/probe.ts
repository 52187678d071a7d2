// Expression probing: automatic variants of one expression (each word dropped, left↔right and top↔bottom swapped,
// colour words removed) and a runner that scores each variant with a caller-given function (the host passes one
// backed by YOFO + J&F scoring) to show which words the model relies on.

import type { ExpressionScore } from '../types';

export type VariantKind = 'drop-word' | 'swap-left-right' | 'swap-top-bottom' | 'drop-colours';

export interface ProbeVariant {
  kind: VariantKind;
  description: string;
  text: string;
}

/**
 * Colour words removed by the 'drop-colours' variant (whole words, any case). Basic colour terms, their common
 * synonyms and the shades that occur in Ref-YouTube-VOS expressions; "dark"/"light" stay: they also describe lighting.
 */
export const COLOUR_WORDS: readonly string[] = [
  'beige',
  'black',
  'blue',
  'brown',
  'cyan',
  'gold',
  'golden',
  'gray',
  'green',
  'grey',
  'khaki',
  'magenta',
  'maroon',
  'navy',
  'orange',
  'pink',
  'purple',
  'red',
  'silver',
  'tan',
  'teal',
  'turquoise',
  'violet',
  'white',
  'yellow',
];

/** Word pairs swapped by the two swap variants (each word maps to its partner). */
const LEFT_RIGHT: readonly [string, string][] = [
  ['left', 'right'],
  ['leftmost', 'rightmost'],
];
const TOP_BOTTOM: readonly [string, string][] = [
  ['top', 'bottom'],
  ['upper', 'lower'],
  ['above', 'below'],
  ['topmost', 'bottommost'],
  ['uppermost', 'lowermost'],
];

/** `word` in the letter case of `like` (lower, Capitalised or UPPER). */
function matchCase(word: string, like: string): string {
  if (like.length > 1 && like === like.toUpperCase()) return word.toUpperCase();
  if (like[0] === like[0].toUpperCase()) return word[0].toUpperCase() + word.slice(1);
  return word;
}

/** Replaces each whole word of `pairs` by its partner; undefined when the text has none of them. */
function swapWords(text: string, pairs: readonly [string, string][]): string | undefined {
  const partner = new Map<string, string>();
  for (const [a, b] of pairs) {
    partner.set(a, b);
    partner.set(b, a);
  }
  const pattern = new RegExp(`\\b(${[...partner.keys()].join('|')})\\b`, 'gi');
  let found = false;
  const out = text.replace(pattern, (w) => {
    found = true;
    return matchCase(partner.get(w.toLowerCase())!, w);
  });
  return found ? out : undefined;
}

/** The variants of `text`, without duplicates, empty texts or the text itself. */
export function probeVariants(text: string): ProbeVariant[] {
  const variants: ProbeVariant[] = [];
  const seen = new Set([text.trim()]);
  const add = (kind: VariantKind, description: string, variant: string) => {
    const t = variant.trim().replace(/\s+/g, ' ');
    if (t === '' || seen.has(t)) return;
    seen.add(t);
    variants.push({ kind, description, text: t });
  };
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  tokens.forEach((word, i) =>
    add('drop-word', `without "${word}"`, [...tokens.slice(0, i), ...tokens.slice(i + 1)].join(' ')),
  );
  const lr = swapWords(text, LEFT_RIGHT);
  if (lr !== undefined) add('swap-left-right', 'left and right swapped', lr);
  const tb = swapWords(text, TOP_BOTTOM);
  if (tb !== undefined) add('swap-top-bottom', 'top and bottom swapped (upper/lower, above/below)', tb);
  // A colour word goes with its hyphenated compound ("dark-green", "red-haired"): half a compound reads as noise.
  const colours = new RegExp(`[\\w-]*\\b(?:${COLOUR_WORDS.join('|')})\\b[\\w-]*`, 'gi');
  const removed = text.match(colours);
  if (removed) add('drop-colours', `without colour words (${removed.join(', ')})`, text.replace(colours, ' '));
  return variants;
}

/** Scores one text (e.g. runs YOFO on the clip with it and scores the masks); should stop when the signal aborts. */
export type ScoreText = (text: string, signal?: AbortSignal) => Promise<ExpressionScore>;

export interface ProbeScore {
  J: number;
  F: number;
  JF: number;
}

export interface ProbeVariantResult extends ProbeVariant, ProbeScore {
  /** Original J&F − variant J&F: positive when the variant does worse (the removed words mattered). */
  drop: number;
}

export interface ProbeResult {
  original: ProbeScore & { text: string };
  variants: ProbeVariantResult[];
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Default: probeVariants(text). */
  variants?: readonly ProbeVariant[];
  /** Called as each variant is scored (done, total including the original). */
  onProgress?: (done: number, total: number) => void;
}

/** Rejects with the signal's reason as soon as it aborts, even if `promise` ignores the signal. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Scores the original text and then each variant, one at a time (the model runs one request at a time anyway). */
export async function runProbe(text: string, score: ScoreText, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { signal } = options;
  const variants = options.variants ?? probeVariants(text);
  const total = variants.length + 1;
  const pick = (s: ExpressionScore): ProbeScore => ({ J: s.J, F: s.F, JF: s.JF });
  const original = { text, ...pick(await abortable(score(text, signal), signal)) };
  options.onProgress?.(1, total);
  const results: ProbeVariantResult[] = [];
  for (const v of variants) {
    const s = pick(await abortable(score(v.text, signal), signal));
    results.push({ ...v, ...s, drop: original.JF - s.JF });
    options.onProgress?.(results.length + 1, total);
  }
  return { original, variants: results };
}
