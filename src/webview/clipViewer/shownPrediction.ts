// What the viewer shows for the selected expression, derived from the state, the clip and the YOFO results: which
// prediction (the imported run or YOFO), its scores and name, and what it can be compared with. A run made by Run
// YOFO on Split and the per-expression YOFO result of the same model are one prediction to the user: one entry in
// the source and comparison choices, one score in the list. No DOM.

import { modelLabel, modelOfRunName } from '../../shared/clipViewer/modelLabel';
import type { ClipExpression, CompareTarget, PredictionSource } from '../../shared/clipViewer/protocol';
import { compareOptions, sameTarget, type CompareOption } from './comparison';
import type { ViewerStore } from './state';
import type { YofoResults } from './yofoResults';

export const percent = (x: number): string => (x * 100).toFixed(1);

export class ShownPrediction {
  constructor(
    private readonly store: ViewerStore,
    private readonly yofo: YofoResults,
  ) {}

  selectedExpression(): ClipExpression | undefined {
    const { clip, state } = this.store;
    return clip?.expressions.find((e) => e.expId === state?.expId);
  }

  /** The model of the active run when Run YOFO on Split made it; undefined for an imported run. */
  runModel(): string | undefined {
    return modelOfRunName(this.store.clip?.runName);
  }

  /** The active run holds YOFO's masks for `e`, the same model as its per-expression result (or it has none yet). */
  runIsYofo(e: ClipExpression | undefined): boolean {
    const model = this.runModel();
    if (!model || !e || e.user) return false;
    const own = this.yofo.get(e.expId)?.modelName;
    return own === undefined || own === model;
  }

  /** The prediction drawn for an expression: YOFO for user expressions and when no run is imported, else the choice. */
  sourceOf(e: ClipExpression | undefined): PredictionSource {
    if (!this.store.clip?.runName || e?.user) return 'yofo';
    if (this.runIsYofo(e)) return 'run';
    return this.store.state?.source ?? 'run';
  }

  yofoName(expId: string | undefined): string {
    return modelLabel(this.yofo.get(expId)?.modelName ?? this.runModel());
  }

  /** The mean scores of `e` under `source`, with the name of what produced them. */
  scoreOf(e: ClipExpression, source: PredictionSource): { JF: number; J: number; F: number; by: string } | undefined {
    if (source === 'run') return e.score && { ...e.score, by: this.store.clip?.runName ?? '' };
    const s = this.yofo.get(e.expId)?.score;
    return s && { ...s, by: this.yofoName(e.expId) };
  }

  /** The shown prediction as a comparison target. */
  shownTarget(e: ClipExpression | undefined): CompareTarget {
    const runName = this.store.clip?.runName;
    return this.sourceOf(e) === 'run' && runName ? { kind: 'run', name: runName } : { kind: 'yofo' };
  }

  targetLabel(t: CompareTarget, expId: string | undefined): string {
    return t.kind === 'run' ? t.name : this.yofoName(expId);
  }

  compareChoices(e: ClipExpression | undefined): CompareOption[] {
    const clip = this.store.clip;
    if (!clip || !e) return [];
    const hasYofo = (this.yofo.get(e.expId)?.masks.size ?? 0) > 0 && !this.runIsYofo(e);
    return compareOptions(
      this.shownTarget(e),
      clip.runs ?? [],
      e.user === true,
      hasYofo ? this.yofoName(e.expId) : undefined,
    );
  }

  /** What the shown prediction is compared with now: the saved choice, while it is available for this expression. */
  compareTarget(e: ClipExpression | undefined): CompareTarget | undefined {
    const wanted = this.store.state?.compareWith;
    return wanted && this.compareChoices(e).some((o) => sameTarget(o.target, wanted)) ? wanted : undefined;
  }
}
