// The tabbed area under the controls: the per-frame scores chart or the YOFO memory strip and probe table, one at a
// time, so the frame keeps the height of a half-width panel and nothing below it grows when a result comes in.

export interface Tab {
  button: HTMLElement;
  panel: HTMLElement;
}

export class Tabs {
  constructor(private readonly tabs: readonly Tab[]) {
    tabs.forEach((t, i) => {
      t.button.addEventListener('click', () => this.select(i));
      t.button.addEventListener('keydown', (e) => {
        const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        e.preventDefault();
        e.stopPropagation(); // not a frame step
        const next = (i + step + tabs.length) % tabs.length;
        this.select(next);
        tabs[next].button.focus();
      });
    });
    this.select(0);
  }

  select(index: number): void {
    this.tabs.forEach((t, i) => {
      const on = i === index;
      t.button.setAttribute('aria-selected', String(on));
      t.button.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
    });
  }
}
