// Plain-text tables for terminal output: columns padded to their widest cell, numbers right-aligned.

export type Align = 'left' | 'right';

/** Formats rows under a header, two spaces between columns; the last column is not padded (no trailing blanks). */
export function formatTable(header: string[], rows: string[][], align: Align[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c] - [...cell].length);
        if (c === r.length - 1 && align[c] !== 'right') return cell;
        return align[c] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Column alignments from one letter each: 'l' left, 'r' right ("lrr" → left, right, right). */
export function aligned(letters: string): Align[] {
  return [...letters].map((c) => (c === 'l' ? 'left' : 'right'));
}

/** A score in [0, 1] as a percentage with one decimal, the way RVOS papers report J, F and J&F. */
export function percent(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(1) : '–';
}

/** Shortens text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** "1 expression", "3 expressions". */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
