// The Failures panel: one WebviewPanel listing the open split's expressions worst-first for the active run (or two and
// more runs side by side), answering the webview's paged queries with FailuresModel, saving tags and notes through
// WorkspaceAnnotations and opening the clip viewer at an expression's worst frame. Rebuilt lazily when the session's
// dataset, runs or scores change; comes back after a reload through the serializer.

import * as vscode from 'vscode';
import type { NamedRun } from '../../core/analysis/compareRuns';
import { isRefDavis17, refDavisExpressionSubsets, subsetsOf } from '../../core/benchmarks/subsets';
import { runVariantTable } from '../../core/benchmarks/variants/forRun';
import type { SplitScore } from '../../core/types';
import {
  isFailuresWebviewMessage,
  type FailuresContext,
  type FailuresHostMessage,
  type FailuresRequest,
  type FailuresWebviewMessage,
  type VariantsView,
} from '../../shared/failures/protocol';
import type { WorkspaceAnnotations } from '../annotations/annotations';
import type { ClipViewerPanels } from '../clipViewer/clipViewerPanel';
import { reportError } from '../common/errors';
import { failuresEmptyState } from './failuresEmptyState';
import { failuresHtml } from './failuresHtml';
import { FailuresModel } from './failuresModel';
import { localResourceFolders } from '../webviews/webviewPage';
import { runSummary, scorableExpressions, splitScoreOf } from './failuresScores';
import { variantsView } from './failuresVariants';
import type { Session } from '../session/session';

export const FAILURES_VIEW_TYPE = 'rvos.failures';

export interface FailuresDeps {
  extensionUri: vscode.Uri;
  session: Session;
  panels: ClipViewerPanels;
  annotations: WorkspaceAnnotations;
}

/** What the serializer keeps: the runs compared (the webview keeps its own query). */
interface PanelMemory {
  compareRuns?: string[];
}

export class FailuresPanel implements vscode.WebviewPanelSerializer<PanelMemory>, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private compareRuns: string[] = [];
  private model: FailuresModel | undefined;
  /** The variant table of the listed run, computed once per run and split; aborted when either changes. */
  private variantsJob: { key: string; table: Promise<VariantsView>; abort: AbortController } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private panelSubscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: FailuresDeps) {
    this.subscriptions.push(
      deps.session.onDidChange((kind) => {
        if (kind === 'filter') return; // the Clips filter is the tree's own
        this.model = undefined;
        this.dropVariants();
        this.post({ type: 'invalidate' });
      }),
      deps.annotations.onDidChange(() => this.post({ type: 'invalidate' })),
    );
  }

  dispose(): void {
    this.dropVariants();
    for (const d of this.subscriptions) d.dispose();
    this.panel?.dispose();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel; `compareRuns` with two or more names shows them side by side, [] the active run. */
  show(compareRuns?: string[]): void {
    if (compareRuns !== undefined) this.setCompare(compareRuns);
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      FAILURES_VIEW_TYPE,
      'RVOS Failures',
      vscode.ViewColumn.Active,
      this.options(),
    );
    this.adopt(panel);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelMemory | undefined): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.options();
    if (Array.isArray(state?.compareRuns) && state.compareRuns.every((r) => typeof r === 'string'))
      this.compareRuns = state.compareRuns;
    this.adopt(panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const { extensionUri } = this.deps;
    return {
      enableScripts: true,
      localResourceRoots: localResourceFolders(extensionUri.fsPath).map((f) => vscode.Uri.file(f)),
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    const { extensionUri } = this.deps;
    const webview = panel.webview;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'rvos.svg');
    webview.html = failuresHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'failures.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'failures.css')).toString(),
      title: 'RVOS Failures',
    });
    this.panelSubscriptions = [
      webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => {
        for (const d of this.panelSubscriptions) d.dispose();
        this.panelSubscriptions = [];
        this.panel = undefined;
      }),
    ];
  }

  private post(message: FailuresHostMessage): void {
    if (this.panel) void this.panel.webview.postMessage(message);
  }

  private setCompare(runs: string[]): void {
    this.compareRuns = runs.length >= 2 ? [...new Set(runs)] : [];
    this.model = undefined;
    this.post({ type: 'invalidate' });
  }

  private async receive(raw: unknown): Promise<void> {
    if (!isFailuresWebviewMessage(raw)) return; // never trust the shape of webview input
    try {
      await this.handle(raw);
    } catch (err) {
      if ('requestId' in raw) {
        // The webview shows the message of whatever failed (bad file, no scored run, anything else) beside its request.
        const message = err instanceof Error ? err.message : String(err);
        this.post({ type: 'error', requestId: raw.requestId, message });
      } else reportError(err, 'Failures panel');
    }
  }

  private async handle(m: FailuresWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return;
      case 'open': {
        const ds = this.deps.session.dataset;
        if (!ds) throw new Error('no dataset is open');
        this.deps.panels.show(ds, m.video, m.expId, { frameIndex: m.frameIndex, column: vscode.ViewColumn.Beside });
        return;
      }
      case 'setCompare':
        this.setCompare(m.runs.filter((r) => this.deps.session.runs.has(r)));
        return;
      case 'command':
        await vscode.commands.executeCommand(m.command, ...(m.args ?? []));
        return;
      default:
        await this.answer(m);
    }
  }

  private async answer(m: FailuresRequest): Promise<void> {
    if (m.type === 'getContext') {
      this.post({ type: 'context', requestId: m.requestId, context: await this.context() });
    } else if (m.type === 'query') {
      const model = this.currentModel();
      if (!model) throw new RangeError('nothing to list: no scored run');
      const { store } = await this.deps.annotations.lookup();
      const page = model.page(m.query, m.offset, m.limit, store, m.histograms);
      this.post({ type: 'rows', requestId: m.requestId, ...page });
    } else if (m.type === 'variants') {
      this.post({ type: 'variants', requestId: m.requestId, table: await this.variants() });
    } else {
      const a = await this.deps.annotations.set(m.video, m.expId, { tags: m.tags, note: m.note });
      this.post({ type: 'annotated', requestId: m.requestId, tags: a.tags, note: a.note });
    }
  }

  private dropVariants(): void {
    this.variantsJob?.abort.abort();
    this.variantsJob = undefined;
  }

  /**
   * The variant table of the active run: the rows of `rvos score --variants` (runVariantTable scores the run once on
   * the scoring workers). Asynchronous throughout, so the panel keeps answering meanwhile.
   */
  private variants(): Promise<VariantsView> {
    const { session } = this.deps;
    const ds = session.dataset;
    const active = session.activeRun;
    const name = session.activeRunName;
    if (!ds || !active || name === undefined) return Promise.reject(new Error('no scored run to re-score'));
    const key = `${ds.root}\0${ds.split}\0${name}\0${active.run.dir}`;
    if (this.variantsJob?.key !== key) {
      this.dropVariants();
      const abort = new AbortController();
      // Ref-DAVIS17's subsets as `rvos score --benchmark ref-davis17 --variants` tags them; ReVOS tags its type_ids.
      const tagsOf = isRefDavis17(ds) ? refDavisExpressionSubsets : undefined;
      const table = runVariantTable(ds, active.run, {
        videos: active.videos,
        signal: abort.signal,
        tagsOf,
        skipUnscorable: true,
      }).then(({ rows }) => variantsView(name, ds, rows));
      table.catch(() => undefined); // a failure is the request's answer; a dropped job is not reported
      this.variantsJob = { key, table, abort };
    }
    return this.variantsJob.table;
  }

  /** The scores of each imported run against the open split, by name. */
  private scoresByRun(): Map<string, { score: SplitScore; complete: boolean; skipped?: number }> {
    const ds = this.deps.session.dataset;
    const out = new Map<string, { score: SplitScore; complete: boolean; skipped?: number }>();
    if (!ds) return out;
    for (const [name, r] of this.deps.session.runs)
      out.set(name, { score: splitScoreOf(ds.videos, r.scores), complete: r.complete, skipped: r.skipped?.length });
    return out;
  }

  private compared(): string[] {
    const runs = this.compareRuns.filter((r) => this.deps.session.runs.has(r));
    return runs.length >= 2 ? runs : [];
  }

  private currentModel(): FailuresModel | undefined {
    if (this.model) return this.model;
    const ds = this.deps.session.dataset;
    const scores = this.scoresByRun();
    const named = (name: string): NamedRun | undefined => {
      const s = scores.get(name);
      return s && s.score.expressions.length > 0 ? { name, score: s.score } : undefined;
    };
    const compared = this.compared();
    if (compared.length >= 2) {
      this.model = new FailuresModel({
        mode: 'compare',
        runs: compared.map((n) => named(n) ?? { name: n, score: scores.get(n)!.score }),
        videos: ds?.videoById,
      });
      return this.model;
    }
    const active = this.deps.session.activeRunName;
    const run = active === undefined ? undefined : named(active);
    if (!run) return undefined;
    const baselines = new Map<string, SplitScore>();
    for (const [name, s] of scores) if (name !== active && s.score.expressions.length > 0) baselines.set(name, s.score);
    const subsets = ds && subsetsOf(ds);
    this.model = new FailuresModel({
      mode: 'single',
      runs: [run],
      baselines,
      videos: ds?.videoById,
      ...(subsets ? { subsetsOf: subsets } : {}),
    });
    return this.model;
  }

  private async context(): Promise<FailuresContext> {
    const { session, annotations } = this.deps;
    const ds = session.dataset;
    const compared = this.compared();
    const mode = compared.length >= 2 ? 'compare' : 'single';
    const scores = this.scoresByRun();
    const { store, problem } = await annotations.lookup();
    const context: FailuresContext = {
      mode,
      expressions: ds ? scorableExpressions(ds) : 0,
      compareRuns: compared,
      runs: [...scores].map(([name, s]) => runSummary(name, s.score, s.complete, s.skipped)),
      videos: [],
      categories: [],
      subsets: [],
      objectCategories: [],
      tags: store?.allTags() ?? [],
    };
    if (ds) {
      context.datasetRoot = ds.root;
      context.split = ds.split;
    }
    if (session.activeRunName !== undefined) context.run = session.activeRunName;
    const fileLabel = annotations.fileLabel; // never the long internal storage path
    if (fileLabel !== undefined) context.annotationsFile = fileLabel;
    if (problem !== undefined) context.annotationsProblem = problem;
    const empty = failuresEmptyState({
      split: ds?.split,
      hasGroundTruth: ds?.hasAnnotations ?? false,
      runNames: [...scores.keys()],
      activeRun: context.run,
      activeScored: context.run === undefined ? 0 : (scores.get(context.run)?.score.expressions.length ?? 0),
    });
    // Compare mode lists its runs whichever is active; only a missing dataset or ground truth leaves it empty.
    if (empty && (mode === 'single' || !ds?.hasAnnotations)) {
      context.empty = empty.text;
      context.emptyActions = empty.actions;
    }
    const model = context.empty === undefined ? this.currentModel() : undefined;
    if (model) {
      const index = model.index();
      context.videos = [...index.videos];
      context.categories = [...index.categories];
      context.subsets = [...model.subsets().keys()].filter((s) => !context.categories.includes(s));
      context.objectCategories = [...index.objectCategories];
    }
    return context;
  }
}
