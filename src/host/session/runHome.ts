// Which dataset a prediction run belongs to: the dataset root and split it was made or imported for. When another
// dataset or split is opened, runs of another home are set aside (kept, not scored, not active), so a run never shows
// scores against ground truth it was not made for. Pure, so the rules are unit-tested without VS Code.

import * as path from 'node:path';
import type { ImportedRun } from './importedRun';

export interface RunHome {
  root: string;
  split: string;
}

export function homeOf(ds: { root: string; split: string }): RunHome {
  return { root: path.resolve(ds.root), split: ds.split };
}

export function sameHome(a: RunHome, b: RunHome): boolean {
  return path.resolve(a.root) === path.resolve(b.root) && a.split === b.split;
}

/** "valid of /data/ytvos": how a title names the dataset a view shows. */
export function homeLabel(home: RunHome): string {
  return `${home.split} of ${path.basename(home.root) || home.root}`;
}

export interface SortedRuns {
  /** The runs of `home` (runs of no home yet are given this one), in their former order. */
  current: Map<string, ImportedRun>;
  /** The runs of other datasets, kept. */
  setAside: Map<string, ImportedRun>;
  /** The active run when it belongs to `home`, else the most recent run of `home`, else none. */
  active: string | undefined;
}

/** Sorts all runs for the dataset `home` that is being opened. */
export function sortRunsFor(
  home: RunHome,
  all: Iterable<[string, ImportedRun]>,
  active: string | undefined,
): SortedRuns {
  const current = new Map<string, ImportedRun>();
  const setAside = new Map<string, ImportedRun>();
  for (const [name, r] of all) {
    r.home ??= home;
    (sameHome(r.home, home) ? current : setAside).set(name, r);
  }
  const newest = [...current.keys()].at(-1);
  return { current, setAside, active: active !== undefined && current.has(active) ? active : newest };
}
