// A self-contained HTML failure report: inline CSS, thumbnails as data-URI PNGs, no scripts and no external
// resources, so it opens anywhere and can be mailed or attached to an issue. Every piece of user text is escaped.

import type { DiffColours, Rgb } from '../analysis/diffOverlay';
import type { ExpressionRow } from '../analysis/expressionIndex';
import type { Histogram } from '../analysis/histogram';
import type { Thumbnail } from './thumbnail';

export interface ReportItem {
  row: ExpressionRow;
  tags: string[];
  note: string;
  thumbnail?: Thumbnail;
  /** Why there is no thumbnail, when there is none. */
  thumbnailProblem?: string;
}

export interface ReportInput {
  title: string;
  dataset: string;
  split: string;
  run: string;
  /** ISO date of generation. */
  generated: string;
  summary: { J: number; F: number; JF: number; expressions: number; unscored: number; skipped?: number };
  histogram?: Histogram;
  colours: DiffColours;
  items: ReportItem[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : (100 * v).toFixed(1));
const signedPct = (v: number) => (v > 0 ? '+' : '') + (100 * v).toFixed(1);
const css = ([r, g, b]: Rgb) => `rgb(${r | 0}, ${g | 0}, ${b | 0})`;

/** Only our own data-URI PNGs may be embedded: anything else would be an external resource. */
function imageSrc(uri: string): string | undefined {
  return /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/.test(uri) ? uri : undefined;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: .2em; } .meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
img { display: block; max-width: 320px; image-rendering: auto; border: 1px solid #ccc; }
.tag { display: inline-block; padding: 0 6px; margin: 0 4px 2px 0; border-radius: 8px; background: #e8eef8; font-size: 12px; }
.note { white-space: pre-wrap; color: #444; margin-top: 4px; } .problem { color: #a33; font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; border: 1px solid #999; }
.hist { display: flex; align-items: flex-end; gap: 2px; height: 120px; margin: 1em 0 .2em; }
.hist div { flex: 1; background: #6b8fd6; min-height: 1px; } .hist-axis { display: flex; justify-content: space-between; color: #666; font-size: 12px; }
@media (prefers-color-scheme: dark) { body { background: #1e1e1e; color: #ddd; } th { background: #2a2a2a; } td, th { border-color: #444; } .tag { background: #2f3b52; } .note { color: #bbb; } }
`;

function renderHistogram(h: Histogram): string {
  const most = Math.max(1, ...h.bins.map((b) => b.count));
  const bars = h.bins
    .map(
      (b) =>
        `<div style="height:${((100 * b.count) / most).toFixed(1)}%" title="${pct(b.lo)}–${pct(b.hi)}: ${b.count}"></div>`,
    )
    .join('');
  const first = h.bins[0];
  const last = h.bins[h.bins.length - 1];
  return `<h2>Per-expression ${h.measure === 'JF' ? 'J&amp;F' : escapeHtml(h.measure)}</h2>
<div class="hist">${bars}</div><div class="hist-axis"><span>${pct(first.lo)}</span><span>${pct(last.hi)}</span></div>`;
}

function renderItem(item: ReportItem, rank: number): string {
  const r = item.row;
  const src = item.thumbnail ? imageSrc(item.thumbnail.dataUri) : undefined;
  const c = item.thumbnail?.counts;
  const picture = src
    ? `<img src="${src}" alt="frame ${escapeHtml(r.worstFrame?.frame ?? '')} with difference overlay">`
    : `<span class="problem">${escapeHtml(item.thumbnailProblem ?? 'no thumbnail')}</span>`;
  const frameProblem = item.thumbnail?.frameProblem
    ? `<div class="problem">${escapeHtml(item.thumbnail.frameProblem)}</div>`
    : '';
  const counts = c ? `<div>TP ${c.tp} · FP ${c.fp} · FN ${c.fn} px</div>` : '';
  const tags = item.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join('');
  const note = item.note ? `<div class="note">${escapeHtml(item.note)}</div>` : '';
  const category = [r.category, r.objectCategory]
    .filter((v) => v !== undefined)
    .map((v) => escapeHtml(v))
    .join(' · ');
  const delta = r.deltaJF !== undefined ? `<br>Δ ${signedPct(r.deltaJF)}` : '';
  const worst = r.worstFrame ? `${escapeHtml(r.worstFrame.frame)}<br>J&amp;F ${pct(r.worstFrame.JF)}` : '–';
  return `<tr>
<td class="num">${rank}</td>
<td><strong>${escapeHtml(r.text)}</strong><div>${escapeHtml(r.video)} · expression ${escapeHtml(r.expId)}${category ? ` · ${category}` : ''}</div>${tags ? `<div>${tags}</div>` : ''}${note}</td>
<td class="num">${pct(r.JF)}${delta}</td><td class="num">${pct(r.J)}</td><td class="num">${pct(r.F)}</td>
<td class="num">${worst}${r.missing ? `<br>${r.missing}/${r.frames} missing` : ''}</td>
<td>${picture}${frameProblem}${counts}</td>
</tr>`;
}

export function renderHtmlReport(input: ReportInput): string {
  const { summary: s, colours } = input;
  const legend = (['tp', 'fp', 'fn'] as const)
    .map(
      (k) =>
        `<span class="swatch" style="background:${css(colours[k])}"></span>${{ tp: 'true positive', fp: 'false positive', fn: 'false negative' }[k]}`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">Dataset ${escapeHtml(input.dataset)} · split ${escapeHtml(input.split)} · run ${escapeHtml(input.run)} · ${escapeHtml(input.generated)}</p>
<p>J ${pct(s.J)} · F ${pct(s.F)} · <strong>J&amp;F ${pct(s.JF)}</strong> (percent) over ${s.expressions} expressions${s.unscored ? `, ${s.unscored} not scored` : ''}.</p>
${s.skipped ? `<p class="partial"><strong>Partial score:</strong> ${s.skipped} expression${s.skipped === 1 ? '' : 's'} cannot be scored (unknown obj_id, missing ground truth or an unreadable mask) and ${s.skipped === 1 ? 'is' : 'are'} left out.</p>` : ''}
${input.histogram ? renderHistogram(input.histogram) : ''}
<h2>${input.items.length} worst expressions</h2>
<p>Thumbnails show each expression's worst frame:${legend}</p>
<table>
<thead><tr><th>#</th><th>Expression</th><th>J&amp;F</th><th>J</th><th>F</th><th>Worst frame</th><th>Difference</th></tr></thead>
<tbody>
${input.items.map((item, i) => renderItem(item, i + 1)).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
