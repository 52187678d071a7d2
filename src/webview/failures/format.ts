// Texts of the Failures panel: scores as percentages, the score-range filter between percent inputs and fractions,
// and the score cells of a row. Pure, so the wording and the conversions are unit-tested.

import type { FailureRow, Measure, RangeFilter } from '../../shared/failures/protocol';
import { formatPercent } from '../../shared/scoreFormat';

export const MEASURE_LABELS: Record<Measure, string> = { JF: 'J&F', J: 'J', F: 'F', deltaJF: 'ΔJ&F' };

/** A score (fraction) as a percentage with one decimal; '–' when unknown. */
export function pct(v: number | null | undefined): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '–' : formatPercent(v);
}

/** A difference with its sign ("+2.5", "−10.0"). */
export function signedPct(v: number | null | undefined): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '–';
  const text = formatPercent(Math.abs(v));
  return v > 0 && text !== '0.0' ? `+${text}` : v < 0 && text !== '0.0' ? `−${text}` : text;
}

/** A percentage typed in a range input ('' = open end) as a fraction; NaN for text that is not a number. */
function fraction(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return Number(t) / 100;
}

/** The range filter of the two percent inputs (min inclusive, max exclusive); undefined when both are empty. */
export function rangeFromInputs(measure: Measure, minText: string, maxText: string): RangeFilter | undefined {
  const min = fraction(minText);
  const max = fraction(maxText);
  if (min === undefined && max === undefined) return undefined;
  if ((min !== undefined && !Number.isFinite(min)) || (max !== undefined && !Number.isFinite(max))) {
    throw new RangeError('the score range takes numbers in percent, e.g. 20 and 35.5');
  }
  return { measure, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

/** The percent texts of a range for the inputs, without binary noise (0.35 → "35", not "35.00000000000001"). */
export function rangeInputs(range: RangeFilter | undefined): { min: string; max: string } {
  const text = (v: number | undefined) => (v === undefined ? '' : String(Number((v * 100).toFixed(6))));
  return { min: text(range?.min), max: text(range?.max) };
}

/** "J&F 20.0 – 25.0" with the bracket the filter uses: [lo, hi) or [lo, hi]. */
export function rangeLabel(range: RangeFilter): string {
  const lo = range.min === undefined ? '−∞' : formatPercent(range.min);
  const hi = range.max === undefined ? '∞' : formatPercent(range.max);
  return `${MEASURE_LABELS[range.measure]} in [${lo}, ${hi}${range.maxInclusive ? ']' : ')'}`;
}

export interface ScoreCell {
  text: string;
  /** A second, smaller line: compare mode's difference to the first run. */
  detail?: string;
  title: string;
  /** 'worse' / 'better' for a difference below / above zero. */
  tone?: 'worse' | 'better';
}

const tone = (d: number | null | undefined): ScoreCell['tone'] =>
  d === undefined || d === null || d === 0 ? undefined : d < 0 ? 'worse' : 'better';

/** Column titles of the score cells. */
export function scoreHeaders(mode: 'single' | 'compare', runs: readonly string[], baseline?: string): string[] {
  if (mode === 'compare') return runs.map((r, k) => (k === 0 ? `${r} J&F` : `${r} J&F (Δ)`));
  return ['J&F', 'J', 'F', ...(baseline ? [`Δ vs ${baseline}`] : [])];
}

/** Whether a score column (by position in `scoreHeaders`) is left out when the panel is narrow: J and F (J&F is their mean). */
export function isSecondaryColumn(mode: 'single' | 'compare', index: number): boolean {
  return mode === 'single' && (index === 1 || index === 2);
}

/** The score cells of a row, in the order of `scoreHeaders`. */
export function scoreCells(
  row: FailureRow,
  mode: 'single' | 'compare',
  runs: readonly string[],
  baseline?: string,
): ScoreCell[] {
  if (mode === 'compare') {
    return runs.map((run, k) => {
      const jf = row.runsJF?.[k];
      const d = row.runsDelta?.[k];
      if (k === 0) return { text: pct(jf), title: `${run}: J&F ${pct(jf)}` };
      return {
        text: pct(jf),
        detail: signedPct(d),
        title: `${run}: J&F ${pct(jf)}, ${signedPct(d)} against ${runs[0]}`,
        tone: tone(d),
      };
    });
  }
  const cells: ScoreCell[] = [
    { text: pct(row.JF), title: `J&F ${pct(row.JF)}` },
    { text: pct(row.J), title: `J (region) ${pct(row.J)}` },
    { text: pct(row.F), title: `F (boundary) ${pct(row.F)}` },
  ];
  if (baseline)
    cells.push({
      text: signedPct(row.deltaJF),
      title: `${baseline}: J&F ${pct(row.baselineJF)}`,
      tone: tone(row.deltaJF),
    });
  return cells;
}

/** "vidA · expression 0 · appearance · square · worst frame 00005 (J&F 12.0)" */
export function rowMeta(row: FailureRow): string {
  const parts = [row.video, `expression ${row.expId}`];
  if (row.category) parts.push(row.category);
  if (row.objectCategory) parts.push(row.objectCategory);
  if (row.worstFrame) {
    const f = row.worstFrame;
    parts.push(
      f.delta !== undefined ? `frame ${f.frame} (${signedPct(f.delta)})` : `worst frame ${f.frame} (J&F ${pct(f.JF)})`,
    );
  }
  if (row.missing > 0) parts.push(`${row.missing}/${row.frames} frames without a mask`);
  return parts.join(' · ');
}

/** "1,234 of 12,913 expressions" */
export function countText(shown: number, total: number): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return shown === total ? `${n(total)} expression${total === 1 ? '' : 's'}` : `${n(shown)} of ${n(total)} expressions`;
}
