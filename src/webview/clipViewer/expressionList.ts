// The expression side: the list (each expression with its J&F or its YOFO state), the header with the selected
// expression and its mean scores, the text box that adds a typed expression, and a typed expression's tools (its
// ground-truth link, remove).

import type { ClipExpression } from '../../shared/clipViewer/protocol';
import type { ViewerActions, ViewerContext } from './context';
import { percent } from './shownPrediction';

export class ExpressionList {
  constructor(
    private readonly ctx: ViewerContext,
    private readonly actions: ViewerActions,
  ) {
    const { ui } = ctx;
    ui.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void this.submit();
    });
    ui.linkObject.addEventListener('change', () => this.linkObject());
    ui.removeExpression.addEventListener('click', () => this.removeSelected());
  }

  render(): void {
    const { store, ui, shown } = this.ctx;
    const clip = store.clip;
    if (!clip || !store.state) return;
    ui.run.textContent = clip.runName
      ? `Run: ${clip.runName}`
      : 'No imported prediction run; YOFO runs on the expression you pick';
    ui.list.replaceChildren(...clip.expressions.map((e) => this.item(e)));
    const selected = shown.selectedExpression();
    ui.text.textContent = selected ? selected.text : 'No expression selected';
    const s = selected && shown.scoreOf(selected, shown.sourceOf(selected));
    ui.expressionScore.textContent = s
      ? `J&F ${percent(s.JF)} · J ${percent(s.J)} · F ${percent(s.F)} (${s.by})`
      : selected && !selected.hasGroundTruth
        ? 'no ground truth'
        : '';
    this.renderUserTools(selected);
  }

  /** Short text for an expression's YOFO state in the list ('' when it was never run). */
  private yofoBrief(expId: string): string {
    const r = this.ctx.yofo.get(expId);
    if (!r) return '';
    if (r.status === 'starting' || r.status === 'running') return `YOFO ${r.masks.size}/${r.total}`;
    if (r.status === 'cancelled') return 'YOFO cancelled';
    if (r.status === 'error') return 'YOFO failed';
    return r.score ? '' : 'YOFO done';
  }

  private item(e: ClipExpression): HTMLLIElement {
    const { store, shown } = this.ctx;
    const li = document.createElement('li');
    li.className = 'expression';
    li.dataset.testid = 'expression';
    li.dataset.expId = e.expId;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(e.expId === store.state?.expId));
    li.tabIndex = 0;
    const text = document.createElement('span');
    text.className = 'expression-item-text';
    text.textContent = e.text;
    li.append(text);
    if (e.user)
      li.append(
        Object.assign(document.createElement('span'), {
          className: 'badge',
          textContent: 'yours',
          title: 'Typed in this viewer (kept for this clip)',
        }),
      );
    const source = shown.sourceOf(e);
    const primary = shown.scoreOf(e, source);
    const score = document.createElement('span');
    score.className = 'score';
    if (primary) {
      // The e2e tests read the exact value from data-jf; the text is rounded for people.
      score.textContent = `J&F ${percent(primary.JF)}${source === 'yofo' && store.clip?.runName ? ' (YOFO)' : ''}`;
      score.title = `J ${percent(primary.J)} · F ${percent(primary.F)} (${primary.by})`;
      score.dataset.testid = 'expression-score';
      score.dataset.jf = String(primary.JF);
    } else if (!e.hasGroundTruth) {
      score.textContent = 'no ground truth';
    } else if (source === 'run') {
      score.textContent = '…';
    }
    // A replay of the split run's own model adds nothing to its score: no second line for it.
    const brief = shown.runIsYofo(e) ? '' : this.yofoBrief(e.expId);
    if (score.textContent) li.append(score);
    // YOFO alongside the imported run: its J&F (or its state) under the run's.
    const other = source === 'run' && !shown.runIsYofo(e) ? shown.scoreOf(e, 'yofo') : undefined;
    if (other || brief) {
      li.append(
        Object.assign(document.createElement('span'), {
          className: 'yofo-score',
          textContent: other ? `${shown.yofoName(e.expId)}: J&F ${percent(other.JF)}` : brief,
        }),
      );
    }
    const select = () => this.actions.pickExpression(e.expId);
    li.addEventListener('click', select);
    li.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') select();
    });
    return li;
  }

  private renderUserTools(selected: ClipExpression | undefined): void {
    const { ui, store } = this.ctx;
    const clip = store.clip;
    ui.userTools.hidden = !selected?.user;
    if (!selected?.user || !clip) return;
    const none = Object.assign(document.createElement('option'), {
      value: '',
      textContent: clip.objects.length ? 'none (not scored)' : 'none: this split has no ground truth',
    });
    const objects = clip.objects.map((o) =>
      Object.assign(document.createElement('option'), {
        value: o.objId,
        textContent: `object ${o.objId}${o.category ? ` (${o.category})` : ''}`,
      }),
    );
    ui.linkObject.replaceChildren(none, ...objects);
    ui.linkObject.value = selected.objId ?? '';
    ui.linkObject.disabled = clip.objects.length === 0;
  }

  /** Enter in the text box: the expression joins the clip's list (or selects the same existing one) and YOFO runs. */
  private async submit(): Promise<void> {
    const { ui, store, rpc } = this.ctx;
    const text = ui.input.value.trim();
    if (!text || !store.state) return;
    try {
      const { expId } = await rpc.request({ type: 'addExpression', text });
      ui.input.value = '';
      store.update({ expId });
      await this.actions.reloadClip();
      this.actions.runYofo(expId);
    } catch (err) {
      this.actions.showNotes([err instanceof Error ? err.message : String(err)]);
    }
  }

  /** A typed expression gets new ground truth: its YOFO result is rescored (the cache makes the rerun instant). */
  private linkObject(): void {
    const { store, ui, yofo } = this.ctx;
    const expId = store.state?.expId;
    if (!expId) return;
    yofo.drop(expId);
    this.actions.rerunYofoAfterReload(expId); // once the host's `invalidate` brings the new link
    store.post({ type: 'linkExpression', expId, objId: ui.linkObject.value || undefined });
  }

  private removeSelected(): void {
    const { store, yofo } = this.ctx;
    const clip = store.clip;
    const expId = store.state?.expId;
    if (!expId || !clip) return;
    const active = yofo.get(expId);
    if (active && (active.status === 'starting' || active.status === 'running'))
      store.post({ type: 'cancelYofo', runId: active.runId });
    yofo.drop(expId);
    store.update({ expId: clip.expressions.find((e) => e.expId !== expId)?.expId });
    store.post({ type: 'removeExpression', expId });
  }
}
