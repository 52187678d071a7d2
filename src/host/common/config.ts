// Typed view of the `rvos.*` settings. Takes the configuration section as a parameter (instead of importing vscode)
// so the parsing and its fallbacks are unit-tested in Node; callers pass `workspace.getConfiguration('rvos')`.

import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../core/errors';
import { isInside } from '../../core/safePath';
import { defaultModelDir } from '../../inference/defaultModel';
import { EXECUTION_PROVIDER_SETTINGS, type ExecutionProviderSetting } from '../../inference/executionProvider';
import type { OverlayMode, OverlaySettings } from '../../shared/clipViewer/protocol';

export interface InferenceConfig {
  /** `rvos.model.path` as set: empty = the bundled default model. */
  modelPath: string;
  executionProvider: ExecutionProviderSetting;
  /** onnxruntime threads; 0 = its default. */
  threads: number;
  cacheResults: boolean;
}

export interface RvosConfig {
  /** Dataset folder to open on activation; empty = detect from the workspace. */
  datasetPath: string;
  overlay: OverlaySettings;
  /** Frames fetched ahead of the shown one during playback. */
  prefetchFrames: number;
  /** Playback speed in frames per second. */
  fps: number;
  inference: InferenceConfig;
  /** `rvos.annotationsFile`: tags and notes; empty = `<workspace folder>/.rvos/annotations.json`. */
  annotationsFile: string;
  /** `rvos.openFirstClipOnStart` (set by `npm run demo`): reveal the RVOS view and, once per workspace, the first clip. */
  openFirstClipOnStart: boolean;
}

/** The subset of vscode.WorkspaceConfiguration used here. */
export interface ConfigSection {
  get<T>(key: string): T | undefined;
}

export const DEFAULT_OVERLAY: OverlaySettings = {
  showGt: true,
  showPred: true,
  opacity: 0.5,
  mode: 'fill',
  gtColor: '',
  predColor: '',
};

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
    inference: {
      modelPath: str(section, 'model.path', ''),
      executionProvider: executionProvider(section),
      threads: Math.round(num(section, 'inference.threads', 0, 0, 256)),
      cacheResults: section.get<unknown>('inference.cacheResults') !== false,
    },
    annotationsFile: str(section, 'annotationsFile', ''),
    openFirstClipOnStart: section.get<unknown>('openFirstClipOnStart') === true,
  };
}

function executionProvider(section: ConfigSection): ExecutionProviderSetting {
  const v = section.get<unknown>('inference.executionProvider');
  return (EXECUTION_PROVIDER_SETTINGS as readonly unknown[]).includes(v) ? (v as ExecutionProviderSetting) : 'auto';
}

/**
 * The model folder for `rvos.model.path`: empty = the bundled default under `extensionRoot`; a relative path is
 * resolved against the first workspace folder (without one it is refused, as it would mean nothing).
 */
export function resolveModelDir(modelPath: string, extensionRoot: string, workspaceFolder: string | undefined): string {
  if (modelPath === '') return defaultModelDir(extensionRoot);
  if (path.isAbsolute(modelPath)) return path.normalize(modelPath);
  if (workspaceFolder === undefined)
    throw new Error(`rvos.model.path "${modelPath}" is relative but no workspace folder is open; use an absolute path`);
  return path.resolve(workspaceFolder, modelPath);
}

/** The folder with symlinks resolved, so a link cannot hide where a model lies; as given when it does not exist. */
function realFolder(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return path.resolve(dir);
  }
}

/**
 * Refuses to load a model from a workspace folder the user has not trusted (VS Code Restricted Mode): onnxruntime
 * parses the graphs in native code, so an untrusted repository must not get its files loaded by opening a clip.
 * Browsing and scoring need no trust. The bundled default model is always allowed.
 */
export function checkModelTrust(
  modelDir: string,
  extensionRoot: string,
  workspaceFolders: readonly string[],
  trusted: boolean,
): void {
  if (trusted) return;
  const real = realFolder(modelDir);
  if (real === realFolder(defaultModelDir(extensionRoot))) return;
  const folder = workspaceFolders.find((f) => isInside(realFolder(f), real));
  if (folder !== undefined) {
    throw new InputError(
      modelDir,
      `YOFO model inside the workspace folder ${folder}, which is not trusted (Restricted Mode); trust the workspace or choose a model folder outside it`,
    );
  }
}

/** The model folder to load for `rvos.model.path`: resolved as resolveModelDir does, then checked by checkModelTrust. */
export function modelDirToLoad(
  modelPath: string,
  extensionRoot: string,
  workspaceFolders: readonly string[],
  trusted: boolean,
): string {
  const dir = resolveModelDir(modelPath, extensionRoot, workspaceFolders[0]);
  checkModelTrust(dir, extensionRoot, workspaceFolders, trusted);
  return dir;
}
