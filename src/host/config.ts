// Typed view of the `rvos.*` settings. Takes the configuration section as a parameter (instead of importing vscode)
// so the parsing and its fallbacks are unit-tested in Node; callers pass `workspace.getConfiguration('rvos')`.

import type { OverlayMode, OverlaySettings } from '../shared/protocol';

export interface RvosConfig {
  /** Dataset folder to open on activation; empty = detect from the workspace. */
  datasetPath: string;
  overlay: OverlaySettings;
  /** Frames fetched ahead of the shown one during playback. */
  prefetchFrames: number;
  /** Playback speed in frames per second. */
  fps: number;
}

/** The subset of vscode.WorkspaceConfiguration used here. */
export interface ConfigSection {
  get<T>(key: string): T | undefined;
}

export const DEFAULT_OVERLAY: OverlaySettings = { showGt: true, showPred: true, opacity: 0.5, mode: 'fill', gtColor: '', predColor: '' };

function num(section: ConfigSection, key: string, fallback: number, min: number, max: number): number {
  const v = section.get<unknown>(key);
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

function str(section: ConfigSection, key: string, fallback: string): string {
  const v = section.get<unknown>(key);
  return typeof v === 'string' ? v.trim() : fallback;
}

function mode(section: ConfigSection): OverlayMode {
  const v = section.get<unknown>('overlay.mode');
  return v === 'outline' ? 'outline' : 'fill';
}

/** Reads the settings; wrong types fall back to the defaults, numbers are clamped to their ranges. */
export function parseConfig(section: ConfigSection): RvosConfig {
  return {
    datasetPath: str(section, 'datasetPath', ''),
    overlay: {
      showGt: section.get<unknown>('overlay.showGroundTruth') !== false,
      showPred: section.get<unknown>('overlay.showPrediction') !== false,
      opacity: num(section, 'overlay.opacity', DEFAULT_OVERLAY.opacity, 0, 1),
      mode: mode(section),
      gtColor: str(section, 'overlay.groundTruthColor', ''),
      predColor: str(section, 'overlay.predictionColor', ''),
    },
    prefetchFrames: Math.round(num(section, 'viewer.prefetchFrames', 4, 0, 32)),
    fps: num(section, 'viewer.fps', 6, 1, 60),
  };
}
