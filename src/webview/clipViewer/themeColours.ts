// Overlay colours from the VS Code theme. Pure: the caller passes a lookup that resolves a CSS colour expression to
// the computed colour string (getComputedStyle in the webview, a table in the tests). Each difference class takes the
// first theme colour that resolves and is not already used by another class, so true positives, false positives and
// false negatives stay distinct even in themes that give several chart colours the same value.

import type { DiffColours } from '../../core/analysis/diffOverlay';
import type { ResolveCss } from '../shared/theme';
import { parseColor, type Rgb } from './overlay';

/** Theme variables tried in order for each class; the fixed colour is the last resort. */
export const DIFF_CANDIDATES: Record<keyof DiffColours, { vars: string[]; fallback: Rgb }> = {
  tp: { vars: ['--vscode-charts-green', '--vscode-testing-iconPassed', '--vscode-terminal-ansiGreen'], fallback: [56, 166, 90] },
  fp: { vars: ['--vscode-charts-red', '--vscode-testing-iconFailed', '--vscode-errorForeground', '--vscode-terminal-ansiRed'], fallback: [229, 72, 77] },
  fn: { vars: ['--vscode-charts-blue', '--vscode-charts-purple', '--vscode-terminal-ansiBlue'], fallback: [55, 148, 255] },
};

const same = (a: Rgb, b: Rgb) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** The colour of `css` (a colour in any syntax) or else of theme variable `themeVar`, else `fallback`. */
export function resolveColour(resolve: ResolveCss, css: string, themeVar: string, fallback: Rgb): Rgb {
  return (css && parseColor(resolve(css))) || parseColor(resolve(`var(${themeVar})`)) || fallback;
}

/** Distinct colours for the difference classes (tp first, so "correct" keeps the theme's green). */
export function diffColours(resolve: ResolveCss): DiffColours {
  const taken: Rgb[] = [];
  const pick = (key: keyof DiffColours): Rgb => {
    const { vars, fallback } = DIFF_CANDIDATES[key];
    for (const v of vars) {
      const rgb = parseColor(resolve(`var(${v})`));
      if (rgb && !taken.some((t) => same(t, rgb))) return rgb;
    }
    return fallback;
  };
  const tp = pick('tp');
  taken.push(tp);
  const fp = pick('fp');
  taken.push(fp);
  return { tp, fp, fn: pick('fn') };
}

/** "rgb(r, g, b)" for SVG and CSS. */
export function cssRgb(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
