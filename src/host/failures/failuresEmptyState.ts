// What the Failures panel says, and which buttons it offers, when it has nothing to list. Pure, so each case is
// unit-tested. Every button runs a command that works in that state: a hint never leads to an error.
//
// YOFO results made in the clip viewer are not a run: the panel lists prediction runs only. They are kept in the
// result cache, and Run YOFO on Split takes them from there, so they are never computed twice; the text says so.

import type { PanelAction } from '../../shared/failures/protocol';

export interface EmptyStateInput {
  /** The open split, or undefined when no dataset is open. */
  split?: string;
  hasGroundTruth: boolean;
  /** Runs loaded for the split, and the active one. */
  runNames: readonly string[];
  activeRun?: string;
  /** Expressions the active run has scores for. */
  activeScored: number;
}

export interface EmptyState {
  text: string;
  actions: PanelAction[];
}

const RUN_YOFO: PanelAction = { label: 'Run YOFO on Split…', command: 'rvos.runYofoOnSplit', primary: true };
const IMPORT: PanelAction = { label: 'Import Predictions…', command: 'rvos.importPredictions' };

/** Undefined when there is something to list (the single-run list with a scored active run). */
export function failuresEmptyState(input: EmptyStateInput): EmptyState | undefined {
  if (input.split === undefined) {
    return {
      text: 'No dataset is open.',
      actions: [{ label: 'Open Dataset…', command: 'rvos.openDataset', primary: true }],
    };
  }
  if (!input.hasGroundTruth) {
    return {
      text: `Split "${input.split}" has no ground truth (no Annotations folder), so nothing can be scored. Choose a split with annotations (train).`,
      actions: [{ label: 'Choose Split…', command: 'rvos.chooseSplit', primary: true }],
    };
  }
  if (input.runNames.length === 0) {
    return {
      text:
        'No prediction run yet. Run YOFO on the split to list its expressions worst first (expressions already run in ' +
        "the clip viewer are taken from the cache), or import another model's masks.",
      actions: [RUN_YOFO, IMPORT],
    };
  }
  if (input.activeRun === undefined) {
    const n = input.runNames.length;
    return {
      text: `No prediction run is active (${n} loaded: ${input.runNames.join(', ')}).`,
      actions: [
        { label: 'Select Prediction Run…', command: 'rvos.selectRun', primary: true },
        { ...RUN_YOFO, primary: false },
        IMPORT,
      ],
    };
  }
  if (input.activeScored === 0) {
    return {
      text: `"${input.activeRun}" is not scored yet.`,
      actions: [{ label: 'Score Run', command: 'rvos.scoreRun', args: [input.activeRun], primary: true }],
    };
  }
  return undefined;
}
