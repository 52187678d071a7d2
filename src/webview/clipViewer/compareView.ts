// The "compare with" summary under the panes: both predictions' expression means and ΔJ&F, this frame's J&F of A
// and B and their difference, and the frames where B loses most (buttons that seek there).

import { largestRegressions, signedPoints, type Comparison } from './comparison';

const pct = (x: number | undefined) => (x === undefined ? '–' : (x * 100).toFixed(1));

export class CompareSummary {
  private comparison: Comparison | undefined;
  private frames: readonly string[] = [];
  private current = 0;
  private readonly frameLine = Object.assign(document.createElement('div'), { className: 'compare-frame' });

  constructor(
    private readonly root: HTMLElement,
    private readonly onSeek: (frameIndex: number) => void,
  ) {}

  /** `comparison` undefined hides the summary (not comparing, or B has no scores yet: `pending` says so). */
  update(
    comparison: Comparison | undefined,
    labels: [string, string],
    frames: readonly string[],
    current: number,
    pending?: string,
  ): void {
    this.comparison = comparison;
    this.frames = frames;
    this.current = current;
    this.root.hidden = !comparison && !pending;
    if (!comparison) {
      this.root.replaceChildren(
        ...(pending ? [Object.assign(document.createElement('div'), { textContent: pending })] : []),
      );
      return;
    }
    const { a, b, deltaJF } = comparison;
    const means = document.createElement('div');
    means.className = 'compare-means';
    const delta = Object.assign(document.createElement('strong'), {
      textContent: `ΔJ&F (B − A) ${signedPoints(deltaJF)}`,
    });
    delta.dataset.testid = 'compare-delta';
    delta.dataset.deltaJf = String(deltaJF);
    delta.classList.add(deltaJF < 0 ? 'worse' : deltaJF > 0 ? 'better' : 'same');
    means.append(
      `A · ${labels[0]}: J&F ${pct(a.JF)} (J ${pct(a.J)}, F ${pct(a.F)}) · B · ${labels[1]}: J&F ${pct(b.JF)} (J ${pct(b.J)}, F ${pct(b.F)}) · `,
      delta,
    );
    const worst = largestRegressions(comparison.frames, 5);
    const regressions = document.createElement('div');
    regressions.className = 'compare-regressions';
    if (worst.length === 0) regressions.textContent = 'B loses on no frame.';
    else {
      regressions.append('Frames where B loses most: ');
      for (const f of worst) {
        const button = Object.assign(document.createElement('button'), {
          className: 'link',
          type: 'button',
          textContent: `${frames[f.frameIndex]} (${signedPoints(f.delta!)})`,
        });
        button.addEventListener('click', () => this.onSeek(f.frameIndex));
        regressions.append(button, ' ');
      }
    }
    this.root.replaceChildren(means, this.frameLine, regressions);
    this.renderFrame();
  }

  setCurrent(current: number): void {
    this.current = current;
    this.renderFrame();
  }

  private renderFrame(): void {
    const row = this.comparison?.frames.find((f) => f.frameIndex === this.current);
    const name = this.frames[this.current] ?? '';
    this.frameLine.textContent = row
      ? `Frame ${name}: A ${pct(row.a)} · B ${pct(row.b)} · Δ ${row.delta === undefined ? '–' : signedPoints(row.delta)}`
      : `Frame ${name}: not scored`;
  }
}
