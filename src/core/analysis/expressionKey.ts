// One key per (video, expression id): joins scores of different runs, annotations and UI selections.

import type { ExpressionScore } from '../types';

/** NUL cannot occur in ids that become file names, so the key is unambiguous. */
export function expressionKey(video: string, expId: string): string {
  return `${video}\u0000${expId}`;
}

/** The scores of a run by expressionKey. */
export function scoresByKey(expressions: readonly ExpressionScore[]): Map<string, ExpressionScore> {
  const map = new Map<string, ExpressionScore>();
  for (const e of expressions) map.set(expressionKey(e.video, e.expId), e);
  return map;
}

/** Orders expression ids as numbers when both are ("2" before "10"), else as text. */
export function compareExpIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
