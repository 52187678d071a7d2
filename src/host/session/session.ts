// What the extension has open: a dataset split, the imported prediction runs with their scores, the active run and
// the Clips filter. A run belongs to the dataset and split it was made or imported for (runHome.ts): `runs` holds
// those of the open split; runs of another dataset wait in `setAside`, kept but neither scored nor active. Fires `onDidChange` so the tree and the open viewers refresh. Remembers the dataset and the runs
// in the workspace state, so a reload brings them back. Never writes inside the dataset or a run folder.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { openBenchmarkDataset } from '../../core/benchmarks';
import type { Dataset } from '../../core/dataset';
import { openPredictionRun } from '../../core/predictions';
import type { SplitScore } from '../../core/types';
import type { ClipFilter } from '../clips/clipFilter';
import type { ImportedRun } from './importedRun';
import { scoreClipOnce } from './runClipScores';
import { homeOf, sortRunsFor, type RunHome } from './runHome';
import { RunScores } from './runScores';

export type ChangeKind = 'dataset' | 'runs' | 'scores' | 'filter';

interface Remembered {
  datasetRoot?: string;
  split?: string;
  runs: {
    name: string;
    dir: string;
    owned?: boolean;
    videos?: string[];
    home?: RunHome;
    /** The folder holds the <video> folders itself (a MeViS run). */
    videoFolders?: boolean;
  }[];
  active?: string;
}

const MEMORY_KEY = 'rvos.session';

/** Where the scorer lives; loaded on first use so activation stays fast. */
type Evaluate = typeof import('../../core/evaluate');

export class Session implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ChangeKind>();
  readonly onDidChange = this.changed.event;
  private readonly removed = new vscode.EventEmitter<ImportedRun>();
  /** A run was removed by the user (not fired when a newer run of the same folder replaces it): owned runs get their folder deleted. */
  readonly onDidRemoveRun = this.removed.event;

  dataset: Dataset | undefined;
  /** The runs of the open dataset and split (all runs while none is open). */
  readonly runs = new Map<string, ImportedRun>();
  /** Runs of another dataset or split: kept (and remembered), not scored, not active, until theirs is opened. */
  readonly setAside = new Map<string, ImportedRun>();
  activeRunName: string | undefined;
  filter: ClipFilter | undefined;

  constructor(private readonly memento: vscode.Memento) {}

  dispose(): void {
    this.changed.dispose();
    this.removed.dispose();
  }

  get activeRun(): ImportedRun | undefined {
    return this.activeRunName === undefined ? undefined : this.runs.get(this.activeRunName);
  }

  async openDataset(root: string, split?: string): Promise<Dataset> {
    const ds = await openBenchmarkDataset(root, { split });
    this.dataset = ds;
    const sorted = sortRunsFor(homeOf(ds), [...this.runs, ...this.setAside], this.activeRunName);
    for (const map of [this.runs, this.setAside]) map.clear();
    for (const [name, r] of sorted.current) this.runs.set(name, r);
    for (const [name, r] of sorted.setAside) this.setAside.set(name, r);
    this.activeRunName = sorted.active;
    for (const r of this.runs.values()) {
      r.scores = new RunScores();
      r.complete = false;
      r.skipped = undefined;
    }
    this.remember();
    this.changed.fire('dataset');
    return ds;
  }

  /** Imports a run under a unique name (suffix " (2)", …) and makes it active. */
  async importRun(dir: string, name?: string): Promise<ImportedRun> {
    // MeViS runs may be the folder of the <video> folders, as its script takes them.
    const run = await openPredictionRun(dir, name, { videoFolders: this.dataset?.benchmark === 'mevis' });
    run.name = this.uniqueName(run.name, run.dir);
    const imported: ImportedRun = {
      run,
      scores: new RunScores(),
      complete: false,
      home: this.dataset && homeOf(this.dataset),
    };
    this.runs.set(run.name, imported);
    this.activeRunName = run.name;
    this.remember();
    this.changed.fire('runs');
    return imported;
  }

  /**
   * Registers a run the extension made (its folder lies in our storage) and makes it active. An earlier run of the
   * same folder (same model, dataset and split) is replaced in place; a user's run with the same name is kept and the
   * new one gets a " (2)" suffix.
   */
  async registerOwnedRun(dir: string, name: string, videos?: readonly string[]): Promise<ImportedRun> {
    const run = await openPredictionRun(dir, name);
    for (const map of [this.runs, this.setAside]) for (const [n, r] of map) if (r.run.dir === run.dir) map.delete(n);
    run.name = this.uniqueName(run.name, run.dir);
    const home = this.dataset && homeOf(this.dataset);
    const imported: ImportedRun = {
      run,
      scores: new RunScores(),
      complete: false,
      owned: true,
      videos: videos && [...videos],
      home,
    };
    this.runs.set(run.name, imported);
    this.activeRunName = run.name;
    this.remember();
    this.changed.fire('runs');
    return imported;
  }

  private uniqueName(base: string, dir: string): string {
    const taken = (name: string) => this.runs.has(name) || this.setAside.has(name);
    const existing = this.runs.get(base) ?? this.setAside.get(base);
    if (!existing || existing.run.dir === dir) return base;
    for (let i = 2; ; i++) if (!taken(`${base} (${i})`)) return `${base} (${i})`;
  }

  removeRun(name: string): void {
    const imported = this.runs.get(name);
    if (!imported || !this.runs.delete(name)) return;
    if (this.activeRunName === name) this.activeRunName = this.runs.keys().next().value;
    this.remember();
    this.changed.fire('runs');
    this.removed.fire(imported);
  }

  setActiveRun(name: string | undefined): void {
    if (name !== undefined && !this.runs.has(name)) return;
    this.activeRunName = name;
    this.remember();
    this.changed.fire('runs');
  }

  setFilter(filter: ClipFilter | undefined): void {
    this.filter = filter;
    this.changed.fire('filter');
  }

  /** Scores a whole run against the open split (worker threads; cancellable through `signal`). */
  async scoreRun(
    name: string,
    signal: AbortSignal,
    onProgress: (done: number, total: number) => void,
  ): Promise<SplitScore> {
    const ds = this.dataset;
    const imported = this.runs.get(name);
    if (!ds || !imported) throw new Error(`nothing to score: ${ds ? `no run "${name}"` : 'no dataset open'}`);
    const { scoreSplit }: Evaluate = await import('../../core/evaluate');
    // Expressions that cannot be scored are left out and listed (the extension shows them and marks the score partial).
    const score = await scoreSplit(ds, imported.run, {
      signal,
      onProgress,
      skipUnscorable: true,
      videos: imported.videos?.filter((id) => ds.videoById.has(id)),
    });
    if (this.dataset !== ds || this.runs.get(name) !== imported) return score; // dataset or run changed meanwhile
    imported.scores = RunScores.fromSplit(score);
    imported.complete = true;
    imported.skipped = score.skipped?.length ? score.skipped : undefined;
    this.changed.fire('scores');
    return score;
  }

  /**
   * Scores the expressions of one clip for the active run when they are not known yet (opening a viewer). Returns
   * true when new scores were added (several viewers, or a refetch, asking at once share one job).
   */
  async scoreClip(videoId: string): Promise<boolean> {
    const ds = this.dataset;
    const imported = this.activeRun;
    if (!ds || !imported) return false;
    const added = await scoreClipOnce(ds, imported, videoId, () => this.dataset === ds);
    if (added) this.changed.fire('scores');
    return added;
  }

  private remember(): void {
    const memory: Remembered = {
      datasetRoot: this.dataset?.root,
      split: this.dataset?.split,
      runs: [...this.runs.values(), ...this.setAside.values()].map((r) => ({
        name: r.run.name,
        dir: r.run.dir,
        videoFolders: r.run.masksDir !== undefined || undefined,
        owned: r.owned,
        videos: r.videos,
        home: r.home,
      })),
      active: this.activeRunName,
    };
    void this.memento.update(MEMORY_KEY, memory);
  }

  /** Reopens what the last session had open. Folders that went away are skipped (returned as messages). */
  async restore(): Promise<string[]> {
    const memory = this.memento.get<Remembered>(MEMORY_KEY);
    const problems: string[] = [];
    if (!memory) return problems;
    for (const r of memory.runs ?? []) {
      try {
        const run = await openPredictionRun(r.dir, r.name, { videoFolders: r.videoFolders });
        this.runs.set(run.name, {
          run,
          scores: new RunScores(),
          complete: false,
          owned: r.owned,
          videos: r.videos,
          home: r.home,
        });
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (memory.active !== undefined && this.runs.has(memory.active)) this.activeRunName = memory.active;
    if (memory.datasetRoot && !this.dataset) {
      try {
        await this.openDataset(memory.datasetRoot, memory.split);
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (this.runs.size > 0) this.changed.fire('runs');
    return problems;
  }

  /** The open dataset when it is `root`/`split`; else undefined (a restored viewer of another dataset). */
  datasetIfOpen(root: string, split: string): Dataset | undefined {
    const ds = this.dataset;
    return ds && path.resolve(ds.root) === path.resolve(root) && ds.split === split ? ds : undefined;
  }
}
